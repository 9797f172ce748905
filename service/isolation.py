"""Running a function of untrusted input in a process of its own, with a memory limit and a
deadline, so that a file built to exhaust memory or time costs that process and not the server.

Processes are forked from a small server process that has already imported the work's modules
(``forkserver`` with a preload), so each run starts in milliseconds and shares nothing with the
server's threads, event loop or database connections.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import anyio
import structlog

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Budget:
    seconds: float
    memory_bytes: int


class BudgetExceeded(Exception):
    """The work needed more time or memory than its budget; the message says which, plainly."""


_context: Any = None
# Every module asked for so far: the fork server imports them all when it starts (the render
# pool's and the importers' alike; a later list adds to an earlier one, never replaces it).
_preload: list[str] = []


def _forkserver(preload: Iterable[str]) -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
    added = [module for module in preload if module not in _preload]
    if added:
        _preload.extend(added)
        _context.set_forkserver_preload(list(_preload))  # effective until the server starts
    return _context


def preload(modules: Iterable[str]) -> Any:
    """The fork server's context, ``modules`` added to what the fork server imports once, when
    it starts (whoever starts it: the render pool, or the first bounded run)."""
    return _forkserver(modules)


def warm_up(preload: list[str]) -> None:
    """Starts the fork server now (it imports ``preload`` once), so that the first run does not
    wait for it."""
    _forkserver(preload)
    from multiprocessing import forkserver

    forkserver.ensure_running()


def run_bounded(function: Callable[..., T], *args: Any, budget: Budget, preload: list[str]) -> T:
    """``function(*args)`` in a fresh process limited to ``budget``. Blocks; call it from a
    worker thread. ``function`` and its result must pickle.

    Raises BudgetExceeded when the process runs out of time (it is killed) or of memory.
    """
    context = _forkserver(preload)
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sending, function, args, budget.memory_bytes), daemon=True
    )
    process.start()
    sending.close()
    try:
        if not receiving.poll(budget.seconds):
            raise BudgetExceeded(f"it took longer than {budget.seconds:g} seconds")
        outcome, value = receiving.recv()
    except EOFError:
        # The process died without answering: the kernel killed it, or the allocator failed hard.
        raise BudgetExceeded(
            f"it needed more than {budget.memory_bytes // 2**20} MB of memory"
        ) from None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join()
    if outcome == "memory":
        raise BudgetExceeded(f"it needed more than {budget.memory_bytes // 2**20} MB of memory")
    if outcome == "error":
        raise RuntimeError(value)
    return value


async def run_bounded_async(
    function: Callable[..., T],
    *args: Any,
    budget: Budget,
    preload: list[str],
    limiter: anyio.CapacityLimiter | None = None,
) -> T:
    return await anyio.to_thread.run_sync(
        lambda: run_bounded(function, *args, budget=budget, preload=preload), limiter=limiter
    )


def _child(
    sending: Connection, function: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int
) -> None:
    # Address space, not resident memory: an allocation past it fails at once with MemoryError
    # instead of pushing the machine into swap.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        result = function(*args)
    except MemoryError:
        sending.send(("memory", None))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        sending.send(("error", f"{type(error).__name__}: {error}"))
    else:
        sending.send(("ok", result))
    finally:
        sending.close()

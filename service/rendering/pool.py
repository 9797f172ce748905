"""Rendering a packet off the event loop's thread: in a pool of processes, or in a worker thread.

Rendering is CPU-bound Python; in a thread it holds the GIL against the event loop, so while
packets render every request of the process waits. The pool's processes each load the packs
and compile their templates once (``_warm``), then render what the server sends: the pack's
name, the answers and the options in, the documents out. A pack the processes do not have
(another folder, a newer version) is rendered in a thread, as is everything when the pool is
off, has not started, or lost a process (it is then started again). Each process is replaced
after ``TASKS_PER_PROCESS`` packets, which bounds what fragmentation can keep.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import datetime as dt
import os
import select
import threading
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import anyio.to_thread
import structlog

from service import isolation
from service.packs.model import Pack
from service.rendering.packet import RenderedDocument, render_packet

log = structlog.get_logger(__name__)

TASKS_PER_PROCESS = 1000
MAX_RESTARTS = 3
# What the fork server imports once, before it forks the pool's processes: the server process
# itself imports none of the rendering libraries (docxtpl, python-docx, lxml).
PRELOAD = ("service.packs", "service.rendering.pool", "service.rendering.docx_template")


class PacketRenderer:
    """Renders in a worker thread of this process (the pool's fallback, and the tests')."""

    processes = 0

    def start(self, after: float = 0.0) -> None:
        pass

    def stop(self) -> None:
        pass

    async def render(
        self,
        pack: Pack,
        answers: dict[str, Any],
        *,
        packet_pages: int | None = None,
        generated_at: dt.datetime | None = None,
        draft: bool = False,
        documents: Collection[str] | None = None,
    ) -> list[RenderedDocument]:
        """``render_packet`` of ``pack`` (only the documents whose ids are in ``documents``,
        if given). Raises RenderError as it does."""
        generated_at = generated_at or dt.datetime.now(dt.UTC)
        return await anyio.to_thread.run_sync(
            lambda: render_packet(
                _only(pack, documents),
                answers,
                packet_pages=packet_pages,
                generated_at=generated_at,
                draft=draft,
            )
        )


class PooledPacketRenderer(PacketRenderer):
    """Renders in ``processes`` processes that have loaded the packs of these folders."""

    def __init__(self, templates_dir: Path, schemas_dir: Path, processes: int) -> None:
        self.processes = processes
        self._folders = (templates_dir, schemas_dir)
        self._pool: ProcessPoolExecutor | None = None
        # Set while a start runs in the background; done once the pool exists (or failed).
        self._starting: concurrent.futures.Future[None] | None = None
        # Set when a start that was told to wait should go ahead at once.
        self._now = threading.Event()
        self._lock = threading.Lock()
        # Pools lost in a row, without a packet rendered between: past MAX_RESTARTS the
        # processes cannot start (or die at once), and the server renders in threads.
        self._lost = 0

    def start(self, after: float = 0.0) -> None:
        """Starts the processes in the background and returns at once: forking the first one
        waits for the fork server to have imported the rendering modules, which the server's
        first requests need not wait for. A packet asked for meanwhile waits for the pool.

        With ``after``, the start begins that many seconds later, or as soon as a packet is
        asked for: the fork server's imports and each process's packs (seconds of CPU) would
        otherwise take the cores a server needs for its first answers."""
        with self._lock:
            if self._pool is not None or (self._starting and not self._starting.done()):
                return
            starting = self._starting = concurrent.futures.Future()
            self._now.clear()
        threading.Thread(
            target=self._start_now,
            args=(starting, after),
            name="rendering-pool-start",
            daemon=True,
        ).start()

    def _start_now(self, starting: concurrent.futures.Future[None], after: float) -> None:
        self._now.wait(after)
        with self._lock:
            stopped = self._starting is not starting  # stop() came while this waited
        if stopped:
            starting.set_result(None)
            return
        # Starting the first process starts the fork server, if nothing has: it then imports
        # these and what else was asked for (``serve`` adds the importers' modules).
        context = isolation.preload(PRELOAD)
        try:
            pool = ProcessPoolExecutor(
                self.processes,
                mp_context=context,
                initializer=_warm,
                initargs=(*self._folders, os.getpid()),
                max_tasks_per_child=TASKS_PER_PROCESS,
            )
            # A process starts per task submitted while none is idle: one task each starts all.
            for _ in range(self.processes):
                pool.submit(os.getpid)
        except OSError as exc:
            log.error("rendering.pool.unavailable", error=str(exc))
        else:
            with self._lock:
                stopped = self._starting is not starting  # stop() came meanwhile
                if not stopped:
                    self._pool = pool
            if stopped:
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                log.info("rendering.pool.started", processes=self.processes)
        finally:
            starting.set_result(None)

    def stop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            starting, self._starting = self._starting, None
        if starting is not None:
            self._now.set()  # a start still waiting gives up at once
            starting.result()  # a start under way ends first (and shuts its pool down)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            log.info("rendering.pool.stopped")

    def pids(self) -> list[int]:
        """The pool's processes (for the benchmark's memory figures and the tests), once the
        pool has started."""
        starting = self._starting
        if starting is not None:
            self._now.set()
            starting.result()
        pool = self._pool
        return list(getattr(pool, "_processes", None) or {}) if pool is not None else []

    async def render(
        self,
        pack: Pack,
        answers: dict[str, Any],
        *,
        packet_pages: int | None = None,
        generated_at: dt.datetime | None = None,
        draft: bool = False,
        documents: Collection[str] | None = None,
    ) -> list[RenderedDocument]:
        generated_at = generated_at or dt.datetime.now(dt.UTC)
        starting = self._starting
        if self._pool is None and starting is not None and not starting.done():
            self._now.set()  # a start told to wait begins now
            await asyncio.wrap_future(starting)  # the pool is being started: it renders this
        pool = self._pool
        if pool is not None:
            wanted = None if documents is None else tuple(documents)
            try:
                rendered = await asyncio.wrap_future(
                    pool.submit(
                        _render_in_process,
                        pack.name,
                        pack.version,
                        answers,
                        packet_pages,
                        generated_at,
                        draft,
                        wanted,
                    )
                )
            except BrokenProcessPool:
                # A process died (killed, out of memory): this packet is rendered here, and
                # the pool is started again for the next ones.
                if self._pool is pool:
                    self._pool = None
                    self._lost += 1
                    pool.shutdown(wait=False, cancel_futures=True)
                    log.error("rendering.pool.broken", pack=pack.name, lost=self._lost)
                    if self._lost <= MAX_RESTARTS:
                        self.start()
            else:
                self._lost = 0
                if rendered is not None:
                    return rendered
                log.warning("rendering.pool.pack_unknown", pack=pack.name, version=pack.version)
        return await super().render(
            pack,
            answers,
            packet_pages=packet_pages,
            generated_at=generated_at,
            draft=draft,
            documents=documents,
        )


def renderer_from(setting: str, templates_dir: Path, schemas_dir: Path) -> PacketRenderer:
    """The renderer ``RENDER_PROCESSES`` asks for: "auto" (a process per core), a number of
    processes, or "off" (a worker thread). Raises ValueError for anything else."""
    value = setting.strip().lower()
    if value == "off":
        return PacketRenderer()
    if value == "auto":
        processes = len(os.sched_getaffinity(0))
    else:
        try:
            processes = int(value)
        except ValueError:
            raise ValueError(
                f'RENDER_PROCESSES must be "auto", "off" or a number, got {setting!r}'
            ) from None
        if processes < 1:
            return PacketRenderer()
    return PooledPacketRenderer(templates_dir, schemas_dir, processes)


def _only(pack: Pack, documents: Collection[str] | None) -> Pack:
    if documents is None:
        return pack
    return dataclasses.replace(
        pack, documents=tuple(d for d in pack.documents if d.id in documents)
    )


# --- in the pool's processes ------------------------------------------------------------------

_packs: dict[str, Pack] = {}


def _warm(templates_dir: Path, schemas_dir: Path, server_pid: int) -> None:
    """Loads every pack and compiles its templates, once per process."""
    _exit_with(server_pid)
    from service.packs import PackRegistry
    from service.rendering.docx_template import DRAFT_ENVIRONMENT, ENVIRONMENT
    from service.rendering.packet import compiled_template

    for pack in PackRegistry.load(templates_dir, schemas_dir):
        for spec in pack.documents:
            compiled = compiled_template(spec.template).compiled
            compiled.compile(ENVIRONMENT)
            compiled.compile(DRAFT_ENVIRONMENT)
        _packs[pack.name] = pack


def _exit_with(server_pid: int) -> None:
    """Ends this process when the server that started the pool ends, however it ends.

    A server killed outright (SIGKILL, the out-of-memory killer) cannot stop its pool, and a
    pool process waiting for work would wait for ever: it holds both ends of its own queue, and
    the fork server it came from stays up as long as any of its children does.
    """
    try:
        server = os.pidfd_open(server_pid)
    except (AttributeError, OSError):  # not Linux 5.3+, or the server is already gone
        return

    def watch() -> None:
        select.select([server], [], [])  # readable once the server has ended
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-server", daemon=True).start()


def _render_in_process(
    name: str,
    version: str,
    answers: dict[str, Any],
    packet_pages: int | None,
    generated_at: dt.datetime,
    draft: bool,
    documents: tuple[str, ...] | None,
) -> list[RenderedDocument] | None:
    """The packet, or None when this process has no such pack (the server renders it)."""
    pack = _packs.get(name)
    if pack is None or pack.version != version:
        return None
    return render_packet(
        _only(pack, documents),
        answers,
        packet_pages=packet_pages,
        generated_at=generated_at,
        draft=draft,
    )

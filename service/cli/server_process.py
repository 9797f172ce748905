"""What each server process runs: uvicorn imports this module by name in every worker and
calls ``served_app``. It imports little itself, so that a worker's imports are made with the
collector off (``served_app``)."""

from __future__ import annotations

import asyncio
import gc
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from litestar import Litestar

log = structlog.get_logger(__name__)

# Allocations between two collections of the youngest generation in a server process.
YOUNG_THRESHOLD = 10_000
# The full collection before the freeze walks everything start-up made (50-100 ms of CPU):
# done once the server listens and has answered its first requests, not before it listens.
SETTLE_AFTER_SECONDS = 1.0


def served_app() -> Litestar:
    """``create_app``, with what start-up made set aside from the garbage collector once it is
    all made.

    The collector is off from here until then (``settle_memory``): importing the app and
    building it make ~180,000 objects that live as long as the process, nearly none of them
    garbage, and the collections they set off walked them again and again, a sixth of a
    start's CPU. ``serve`` turns it off in its own process already; a worker that uvicorn
    spawns starts here."""
    gc.disable()
    from service.app import create_app
    from service.logging import cache_loggers

    app = create_app()
    app.on_startup.extend([first_admin_key, cache_loggers, settle_memory_soon])
    return app


async def first_admin_key(app: Litestar) -> None:
    """On a first start (no key at all in the database): an admin key, printed once. Asked on
    the connection the app's requests read keys with (its first use, which the first request
    would otherwise pay); the key is made under the database's lock, so that of several server
    processes starting on an empty database exactly one makes it."""
    from service.cli.keys import create_first_admin_key
    from service.storage.point_reads import POINT_READS_STATE_KEY

    reads = app.state.get(POINT_READS_STATE_KEY)
    if reads is not None and await reads.any_key():
        return
    await asyncio.to_thread(create_first_admin_key, app.state.settings)


def settle_memory_soon() -> None:
    asyncio.get_running_loop().call_later(SETTLE_AFTER_SECONDS, settle_memory)


def settle_memory() -> None:
    """What start-up made (the packs, their compiled templates, the routes: ~180,000 objects)
    lives as long as the process. Frozen, it is out of the collector's sight: a full collection
    walked all of it (160-240 ms, the event loop stopped) every few seconds under load, the
    long tail of every request. Not in create_app: the tests build hundreds of apps in one
    process, and a frozen app is never freed.

    The youngest generation is then collected every YOUNG_THRESHOLD allocations rather than
    Python's 700: a PATCH allocates thousands of containers, nearly all freed by their counts
    within the request, and a collection every 700 walked what was alive at that instant, many
    times a request (~5 % of a PATCH's time in py-spy's samples; 5-10 % less CPU per PATCH
    without). Garbage in cycles waits a little longer: until 10,000 more allocations."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
    gc.enable()
    log.info("server.memory.settled", frozen_objects=gc.get_freeze_count())

"""``serve``: migrate, then run the app under uvicorn."""

from __future__ import annotations

import argparse
import ctypes
import gc
import os

import structlog
import uvicorn

from service.isolation import preload, warm_up
from service.logging import configure_logging
from service.packs.plugins import import_preload, installed
from service.rendering.pool import PRELOAD, PooledPacketRenderer, renderer_from
from service.settings import Settings
from service.storage.database import upgrade

log = structlog.get_logger(__name__)

_M_ARENA_MAX = -8  # glibc's mallopt parameter


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="apply migrations and serve the app")
    parser.add_argument("--host", default=None, help="default: HOST or 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default: PORT or 8000")
    parser.add_argument(
        "--no-migrate", action="store_true", help="do not apply pending migrations first"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes; default: WORKERS, else one per core",
    )
    parser.set_defaults(run=run)


def worker_count(asked: int) -> int:
    """``asked`` processes, or one per core the process may use when ``asked`` is 0."""
    if asked < 0:
        raise SystemExit("--workers: must be 0 (one per core) or more")
    if asked:
        return asked
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fewer_malloc_arenas() -> None:
    """At most MALLOC_ARENA_MAX (default 2) glibc malloc arenas in this process and the workers
    it spawns. Documents are rendered on a pool of threads, and glibc would give each thread an
    arena of its own that keeps its freed memory: 202 MiB after 300 generated packets against
    167 MiB with two arenas; generating ran at 16.5 and 16.6 packets/s (interleaved runs)."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")  # read by the worker processes as they start
    try:
        arenas = int(os.environ["MALLOC_ARENA_MAX"])
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, arenas)  # this process: before its threads
    except (OSError, ValueError, AttributeError):
        pass  # not glibc, or a value glibc would not take either


def run(args: argparse.Namespace) -> int:
    # Until the server has made what lives as long as it does (server_process.settle_memory).
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    fewer_malloc_arenas()
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    if not args.no_migrate:
        upgrade(settings.database_url)
        log.info("db.upgraded", revision="head")
    # Imported letters are read, and documents rendered, in processes forked from a server
    # that has imported their modules. The render pool starts it as the app starts, in the
    # background: started here, its imports (a second of CPU) would compete with the server's
    # own on a small machine. Without a pool it is started here, before the first import.
    importers = import_preload(p.importer for p in installed().values() if p.importer)
    if isinstance(
        renderer_from(settings.render_processes, settings.templates_dir, settings.schemas_dir),
        PooledPacketRenderer,
    ):
        preload([*importers, *PRELOAD])
    else:
        warm_up([*importers, *PRELOAD])
    host = args.host or settings.host
    port = args.port or settings.port
    workers = worker_count(args.workers if args.workers is not None else settings.workers)
    log.info("server.starting", url=f"http://{host}:{port}/", workers=workers)
    # Each worker builds its own app (engine, pool, webhook dispatcher); they share the port,
    # and the database is what they share otherwise (webhook deliveries are leased there).
    uvicorn.run(
        "service.cli.server_process:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        # The app serves no websockets: "auto" would import a websockets implementation
        # (about 40 ms of every start) for nothing.
        ws="none",
        # asyncio's own loop, not uvloop ("auto"): saturated by requests that do their work
        # without waiting (SQLite's reads and writes, a PATCH worked out on the loop), uvloop
        # left a few requests waiting ten times as long as the rest (SQLite PATCH p99 756 ms
        # against 59 ms, GET 167 against 19 ms, at the same throughput; PostgreSQL's GET 8 %
        # slower), measured interleaved at 50 connections.
        loop="asyncio",
    )
    return 0

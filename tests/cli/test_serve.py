"""What ``serve`` hands uvicorn and the fork server, and what its app does as it starts."""

import argparse
import asyncio
import gc

import pytest
import structlog
from litestar.testing import AsyncTestClient

from service.cli import serve, server_process
from service.cli.server_process import YOUNG_THRESHOLD, served_app, settle_memory_soon
from service.logging import cache_loggers

RENDERING = {"service.packs", "service.rendering.pool", "service.rendering.docx_template"}


@pytest.fixture
def start(monkeypatch, tmp_path):
    """``serve.run`` with the database, the fork server and uvicorn replaced by recorders."""

    def started(**environment: str) -> dict:
        seen: dict = {}
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
        monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # restored after the test
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(serve, "configure_logging", lambda *args: None)
        monkeypatch.setattr(serve, "warm_up", lambda modules: seen.setdefault("started", modules))
        monkeypatch.setattr(serve, "preload", lambda modules: seen.setdefault("preload", modules))
        monkeypatch.setattr(
            serve.uvicorn,
            "run",
            lambda app, **options: seen.update(options, app=app, collecting=gc.isenabled()),
        )
        args = argparse.Namespace(host="127.0.0.1", port=8123, no_migrate=True, workers=1)
        assert serve.run(args) == 0
        return seen

    return started


def test_uvicorn_loads_no_websocket_implementation(start):
    # The app has no websocket route; "auto" imported one on every start.
    assert start()["ws"] == "none"


def test_uvicorn_runs_asyncio_s_own_loop(start):
    # uvloop, saturated, left some requests waiting ten times as long as the rest.
    assert start()["loop"] == "asyncio"


def test_uvicorn_runs_the_served_app_in_each_worker(start):
    seen = start()
    assert seen["app"] == "service.cli.server_process:served_app" and seen["factory"] is True


def test_the_server_starts_with_the_collector_off_and_gives_it_back_when_it_stops(start):
    # Collections while start-up makes what lives as long as the process were wasted work.
    assert start()["collecting"] is False
    assert gc.isenabled()


def test_the_render_pool_starts_the_fork_server_with_the_importers_modules(start):
    # The default (the suite sets "off" for the servers it starts).
    seen = start(RENDER_PROCESSES="auto")
    # Not started here: its imports would compete with the server's own as it starts.
    assert "started" not in seen
    assert RENDERING | {"adcvd_petition.importing"} <= set(seen["preload"])


def test_without_a_pool_the_fork_server_starts_before_the_app(start):
    seen = start(RENDER_PROCESSES="off")
    assert RENDERING | {"adcvd_petition.importing"} <= set(seen["started"])


async def test_a_served_app_sets_its_start_up_aside_from_the_collector(monkeypatch, sqlite_url):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RENDER_PROCESSES", "off")
    monkeypatch.setattr(server_process, "SETTLE_AFTER_SECONDS", 0.2)
    # Cached loggers would stop following the log captures of the tests after this one.
    cached = []
    monkeypatch.setattr("service.logging.cache_loggers", lambda: cached.append(True))
    # The suite's shared database is left without the key a first start makes (tested below).
    monkeypatch.setattr(server_process, "first_admin_key", lambda app: None)
    app = served_app()
    # Off while a spawned worker imports and builds the app, until the freeze below.
    assert not gc.isenabled()
    # After every hook of create_app's own: the pool, the converter and the rest are made.
    assert app.on_startup[-1] is settle_memory_soon
    gc.unfreeze()
    thresholds = gc.get_threshold()
    try:
        async with AsyncTestClient(app) as client:
            # Not before the server answers: the collection would delay its first answer.
            assert gc.get_freeze_count() == 0
            assert (await client.get("/healthz")).status_code == 200
            for _ in range(200):
                if gc.get_freeze_count():
                    break
                await asyncio.sleep(0.01)
            frozen = gc.get_freeze_count()
            # The packs, their compiled templates and the routes, at least.
            assert frozen > 50_000
            # A full collection now walks only what was made since, a small part of it.
            assert len(gc.get_objects()) < frozen // 10
            # The youngest generation is collected less often; the older ones as before.
            assert gc.get_threshold() == (YOUNG_THRESHOLD, *thresholds[1:])
            assert gc.isenabled()
            response = await client.get("/healthz")
            assert response.status_code == 200
            assert cached == [True]
    finally:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_server_process_caches_its_loggers():
    was = structlog.get_config()["cache_logger_on_first_use"]
    try:
        cache_loggers()
        assert structlog.get_config()["cache_logger_on_first_use"] is True
    finally:
        structlog.configure(cache_logger_on_first_use=was)
    assert was is False


async def test_a_served_app_makes_the_first_admin_key_as_it_starts(monkeypatch, database_url):
    from service.cli import keys

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RENDER_PROCESSES", "off")
    monkeypatch.setattr("service.logging.cache_loggers", lambda: None)
    monkeypatch.setattr(server_process, "SETTLE_AFTER_SECONDS", 60)
    printed, asked = [], []
    monkeypatch.setattr(keys, "print_new_key", lambda new, heading: printed.append(new.row.key_id))
    real = keys.create_first_admin_key
    monkeypatch.setattr(
        keys, "create_first_admin_key", lambda settings: asked.append(True) or real(settings)
    )
    try:
        made = []
        for _ in range(2):
            async with AsyncTestClient(served_app()) as client:
                assert (await client.get("/healthz")).status_code == 200
            made.append((len(asked), len(printed)))
    finally:
        gc.enable()
    # Made on the empty database; a start with a key asks the connection of its reads alone.
    assert made == [(1, 1), (1, 1)]

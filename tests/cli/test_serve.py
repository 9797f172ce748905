"""What ``serve`` hands uvicorn and the fork server."""

import argparse

import pytest

from service.cli import serve

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
        monkeypatch.setattr(serve, "create_first_admin_key", lambda settings: None)
        monkeypatch.setattr(serve, "warm_up", lambda modules: seen.setdefault("started", modules))
        monkeypatch.setattr(serve, "preload", lambda modules: seen.setdefault("preload", modules))
        monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: seen.update(options))
        args = argparse.Namespace(host="127.0.0.1", port=8123, no_migrate=True, workers=1)
        assert serve.run(args) == 0
        return seen

    return started


def test_uvicorn_loads_no_websocket_implementation(start):
    # The app has no websocket route; "auto" imported one on every start.
    assert start()["ws"] == "none"


def test_the_render_pool_starts_the_fork_server_with_the_importers_modules(start):
    seen = start()
    # Not started here: its imports would compete with the server's own as it starts.
    assert "started" not in seen
    assert RENDERING | {"adcvd_petition.importing"} <= set(seen["preload"])


def test_without_a_pool_the_fork_server_starts_before_the_app(start):
    seen = start(RENDER_PROCESSES="off")
    assert RENDERING | {"adcvd_petition.importing"} <= set(seen["started"])

"""What ``serve`` hands uvicorn and the fork server."""

import argparse

import pytest

from service.cli import serve


@pytest.fixture
def started(monkeypatch, tmp_path) -> dict:
    """``serve.run`` with the database, the fork server and uvicorn replaced by recorders."""
    seen: dict = {}
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")  # restored after the test
    monkeypatch.setattr(serve, "configure_logging", lambda *args: None)
    monkeypatch.setattr(serve, "create_first_admin_key", lambda settings: None)
    monkeypatch.setattr(serve, "warm_up", lambda preload: seen.setdefault("preload", preload))
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: seen.update(options))
    args = argparse.Namespace(host="127.0.0.1", port=8123, no_migrate=True, workers=1)
    assert serve.run(args) == 0
    return seen


def test_uvicorn_loads_no_websocket_implementation(started):
    # The app has no websocket route; "auto" imported one on every start.
    assert started["ws"] == "none"


def test_the_fork_server_imports_what_renders(started):
    # The server process itself does not import docxtpl: the rendering processes, forked from
    # the fork server, find it imported once there.
    assert {
        "service.packs",
        "service.rendering.pool",
        "service.rendering.docx_template",
    } <= set(started["preload"])

"""``python -m service keys ...``: a key is printed once and stored only as its hash."""

import concurrent.futures
import logging
import re
import sqlite3

import pytest
import structlog

from service import cli
from service.cli import keys
from service.settings import Settings
from service.storage.database import upgrade

KEY = re.compile(r"^\s+(fa_[0-9a-f]{12}_\S{43})$", re.MULTILINE)


@pytest.fixture(autouse=True)
def logging_as_it_was():
    """The commands configure logging for a terminal; here that terminal is pytest's capture,
    closed after the test, so the suite's logging is put back as it was."""
    structlog_config = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.configure(**structlog_config)
    root.handlers[:], root.level = handlers, level


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "keys.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return path


def in_a_thread(function, *args):
    # The commands run asyncio.run(); in the test thread that would disturb pytest-asyncio's loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def main(argv):
    return in_a_thread(cli.main, argv)


def create_first_admin_key(settings):
    return in_a_thread(keys.create_first_admin_key, settings)


def rows(path, query):
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


class TestKeysCommand:
    def test_create_prints_the_key_once_and_stores_its_hash(self, database, capsys):
        assert (
            main(["keys", "create", "--name", "matter portal", "--scopes", "read,write,generate"])
            == 0
        )
        printed = capsys.readouterr().out
        key = KEY.search(printed).group(1)
        stored = rows(database, "SELECT key_id, name, owner, scopes, secret_hash FROM api_key")
        key_id = key.split("_")[1]
        assert stored[0][:4] == (key_id, "matter portal", f"key:{key_id}", "read,write,generate")
        assert key not in repr(stored) and key.split("_", 2)[2] not in repr(stored)

        assert main(["keys", "list"]) == 0
        listing = capsys.readouterr().out
        assert key_id in listing and "active" in listing and key not in listing

    def test_unknown_scope_is_refused(self, database, capsys):
        assert main(["keys", "create", "--name", "x", "--scopes", "read,root"]) == 2
        assert "'root' is not a scope" in capsys.readouterr().err
        assert rows(database, "SELECT count(*) FROM api_key") == [(0,)]

    def test_revoke(self, database, capsys):
        main(["keys", "create", "--name", "old portal", "--scopes", "read", "--owner", "firm-a"])
        key = KEY.search(capsys.readouterr().out).group(1)
        assert main(["keys", "revoke", key]) == 0  # the whole key is taken too, for its id
        assert "revoked" in capsys.readouterr().out
        assert rows(database, "SELECT revoked_at IS NOT NULL, owner FROM api_key") == [
            (1, "firm-a")
        ]
        assert main(["keys", "revoke", "0123456789ab"]) == 1
        assert "no key" in capsys.readouterr().err

    def test_a_database_without_the_table_says_what_to_do(self, tmp_path, monkeypatch, capsys):
        monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
        with pytest.raises(SystemExit):
            main(["keys", "list"])
        assert "db upgrade" in capsys.readouterr().err


class TestFirstStart:
    def test_an_admin_key_is_made_on_the_first_start_only(self, database, capsys):
        settings = Settings.from_env()
        first = create_first_admin_key(settings)
        printed = capsys.readouterr().out
        assert first is not None and first.secret in printed and "admin" in first.row.scopes
        assert create_first_admin_key(settings) is None
        assert capsys.readouterr().out == ""

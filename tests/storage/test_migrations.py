"""Migration 0006: a session's answers, chat state and problems as ``json`` on PostgreSQL (they
were ``jsonb``); nothing changes on SQLite. Up and down on both databases, the data kept."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest
from alembic import command

from service.storage.database import alembic_config, upgrade
from tests.conftest import POSTGRES_BASE_URL, drop_database_later, run_outside_the_test_loop

ANSWERS = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "solar-2024.json").read_text()
)
# Text a writer may have sent: unicode, escapes, nesting, numbers of every kind.
ANSWERS = {**ANSWERS, "note": 'Zoë — "quoted" \\ back\nslash', "n": [0, -1.5, 1e20, None, True]}
CHAT_STATE = {"skipped": ["a.b"], "history": [{"role": "user", "text": "help"}]}
PROBLEMS = [{"path": "filing.date", "message": "Missing", "severity": "error", "code": "missing"}]
COLUMNS = ("answers", "chat_state", "problems")


def _session_rows() -> list[tuple[uuid.UUID, object]]:
    # One session with every column set, one whose problems were never derived (SQL NULL).
    return [(uuid.uuid4(), PROBLEMS), (uuid.uuid4(), None)]


def _downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


@pytest.fixture
def empty_postgresql() -> str:
    name = f"fa_migration_{uuid.uuid4().hex[:12]}"
    dsn = POSTGRES_BASE_URL.replace("postgresql+asyncpg://", "postgresql://")

    async def admin() -> None:
        connection = await asyncpg.connect(dsn, timeout=10)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    run_outside_the_test_loop(admin)
    yield f"{POSTGRES_BASE_URL.rsplit('/', 1)[0]}/{name}"
    drop_database_later(name)


def _pg(url: str, work):
    async def run():
        connection = await asyncpg.connect(
            url.replace("postgresql+asyncpg://", "postgresql://"), timeout=10
        )
        try:
            return await work(connection)
        finally:
            await connection.close()

    return run_outside_the_test_loop(run)


def _pg_insert(url: str, rows: list[tuple[uuid.UUID, object]]) -> None:
    async def work(connection) -> None:
        for session_id, problems in rows:
            await connection.execute(
                "INSERT INTO interview_session (id, pack, pack_version, title, status, answers,"
                " chat_state, revision, created_at, updated_at, problems)"
                " VALUES ($1, 'p', '1', 't', 'in_progress', $2::jsonb, $3::jsonb, 1, now(), now(),"
                " $4::jsonb)",
                session_id,
                json.dumps(ANSWERS),
                json.dumps(CHAT_STATE),
                None if problems is None else json.dumps(problems),
            )

    _pg(url, work)


def _pg_state(url: str) -> tuple[dict[str, str], dict[uuid.UUID, tuple]]:
    async def work(connection):
        types = {
            r["column_name"]: r["data_type"]
            for r in await connection.fetch(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_name = 'interview_session' AND column_name = ANY($1::text[])",
                list(COLUMNS),
            )
        }
        rows = {
            r["id"]: (r["answers"], r["chat_state"], r["problems"])
            for r in await connection.fetch(
                "SELECT id, answers::text, chat_state::text, problems::text FROM interview_session"
            )
        }
        return types, rows

    return _pg(url, work)


def _decoded(rows: dict[uuid.UUID, tuple]) -> dict[uuid.UUID, tuple]:
    return {
        key: tuple(None if v is None else json.loads(v) for v in values)
        for key, values in rows.items()
    }


def _expected(rows: list[tuple[uuid.UUID, object]]) -> dict[uuid.UUID, tuple]:
    return {session_id: (ANSWERS, CHAT_STATE, problems) for session_id, problems in rows}


def test_postgresql_json_columns_go_to_json_and_back_with_their_data(empty_postgresql):
    url = empty_postgresql
    upgrade(url, "0005")
    rows = _session_rows()
    _pg_insert(url, rows)
    types, _ = _pg_state(url)
    assert types == dict.fromkeys(COLUMNS, "jsonb")

    upgrade(url)
    types, stored = _pg_state(url)
    assert types == dict.fromkeys(COLUMNS, "json")
    assert _decoded(stored) == _expected(rows)
    # SQL NULL stays NULL (a session whose derived state was never stored).
    assert [s[2] for k, s in stored.items() if k == rows[1][0]] == [None]

    _downgrade(url, "0005")
    types, stored = _pg_state(url)
    assert types == dict.fromkeys(COLUMNS, "jsonb")
    assert _decoded(stored) == _expected(rows)

    upgrade(url)
    assert _pg_state(url)[0] == dict.fromkeys(COLUMNS, "json")


def test_postgresql_json_keeps_the_text_written(empty_postgresql):
    # What the service writes goes out on a read as written: key order and spacing kept
    # (jsonb printed its own order: shorter keys first).
    url = empty_postgresql
    upgrade(url)
    text = '{"zeta":1,"a":{"longer":2,"b":3}}'

    async def work(connection):
        session_id = uuid.uuid4()
        await connection.execute(
            "INSERT INTO interview_session (id, pack, pack_version, title, status, answers,"
            " chat_state, revision, created_at, updated_at)"
            " VALUES ($1, 'p', '1', 't', 'in_progress', $2::json, '{}'::json, 1, now(), now())",
            session_id,
            text,
        )
        return await connection.fetchval(
            "SELECT answers::text FROM interview_session WHERE id = $1", session_id
        )

    assert _pg(url, work) == text


def test_sqlite_is_unchanged_up_and_down(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}"
    path = tmp_path / "migrated.db"
    upgrade(url, "0005")
    rows = _session_rows()
    with sqlite3.connect(path) as connection:
        for session_id, problems in rows:
            connection.execute(
                "INSERT INTO interview_session (id, pack, pack_version, title, status, answers,"
                " chat_state, revision, created_at, updated_at, problems)"
                " VALUES (?, 'p', '1', 't', 'in_progress', ?, ?, 1, '2026-12-06 00:00:00.000000',"
                " '2026-12-06 00:00:00.000000', ?)",
                (
                    session_id.bytes,
                    json.dumps(ANSWERS),
                    json.dumps(CHAT_STATE),
                    None if problems is None else json.dumps(problems),
                ),
            )

    def state() -> tuple[str, dict[uuid.UUID, tuple]]:
        with sqlite3.connect(path) as connection:
            schema = connection.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'interview_session'"
            ).fetchone()[0]
            found = {
                uuid.UUID(bytes=r[0]): r[1:]
                for r in connection.execute(
                    "SELECT id, answers, chat_state, problems FROM interview_session"
                )
            }
        return schema, found

    before, _ = state()
    upgrade(url)
    after, stored = state()
    assert after == before
    assert _decoded(stored) == _expected(rows)
    _downgrade(url, "0005")
    assert state()[0] == before
    assert _decoded(state()[1]) == _expected(rows)

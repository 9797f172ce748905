"""A revision written without the ORM (service.storage.session_writes): only if the session is
still at the revision read, with its answer log and any deliveries in the same transaction;
on SQLite from a thread of its own, never the event loop's, which stays free while the write
waits for SQLite's lock."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
import threading
import types
import uuid

import pytest
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Column, MetaData, Table, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.packs import PackRegistry
from service.sessions.service import Actor, SessionService
from service.storage import session_writes
from service.storage.session_writes import (
    FAILED,
    MOVED_ON,
    ON_LOOP_BYTES,
    REMEMBERED,
    WRITTEN,
    Delivery,
    NewRevision,
    Outcome,
    PostgresWrites,
    SqliteWrites,
    session_writes_for,
    sqlite_time,
)

ANN = Actor(name="ann's key", owner="ann")
NOW = dt.datetime(2026, 12, 6, 20, 0, 0, 0, tzinfo=dt.UTC)


@dataclasses.dataclass
class Prepared:
    write: NewRevision | None
    row: object = None


@pytest.fixture
async def session_id(database_url, petition_pack) -> uuid.UUID:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            service = SessionService(db, PackRegistry({"adcvd-petition": petition_pack}))
            view = await service.create("adcvd-petition", {"filing": {"total_pages": 3}}, ANN)
            return view.row.id
    finally:
        await engine.dispose()


@pytest.fixture
async def writes(database_url):
    made = session_writes_for(database_url, 2)
    yield made
    await made.stop()


def revision_of(session_id: uuid.UUID, revision: int = 1, **changed) -> NewRevision:
    values = {
        "session_id": session_id,
        "revision": revision,
        "answers_json": json.dumps({"filing": {"total_pages": 4 + revision}}),
        "chat_state_json": "{}",
        "title": "Untitled petition",
        "status": "in_progress",
        "derived_for": "adcvd-petition@1.0.0#2",
        "progress_answered": 1,
        "progress_required": 25,
        "open_errors": 24,
        "open_warnings": 0,
        "problems_json": "[]",
        "updated_at": NOW,
        "actor": ANN.name,
        "source": "api",
        "changes": [
            ("filing.total_pages", "3", str(4 + revision)),
            ("filing.version", "null", '"public"'),
        ],
    }
    return NewRevision(**{**values, **changed})


def row_of(session_id: uuid.UUID, revision: int = 1):
    """The session as read before the write (what prepare is first given)."""
    return types.SimpleNamespace(id=session_id, revision=revision, answers_json="{}")


async def stored(database_url: str, session_id: uuid.UUID) -> tuple:
    engine = create_async_engine(database_url)
    sqlite = database_url.startswith("sqlite")
    key = session_id.hex if sqlite else str(session_id)
    where = "lower(hex(session_id)) = :id" if sqlite else "session_id = CAST(:id AS uuid)"
    try:
        async with engine.connect() as connection:
            (row,) = (
                await connection.execute(
                    text(
                        "SELECT revision, CAST(answers AS TEXT), title, updated_at"
                        " FROM interview_session WHERE " + where.replace("session_id", "id")
                    ),
                    {"id": key},
                )
            ).all()
            log = (
                await connection.execute(
                    text(
                        "SELECT revision, actor, source, path, CAST(old_value AS TEXT),"
                        f" CAST(new_value AS TEXT) FROM answer_change WHERE {where} ORDER BY id"
                    ),
                    {"id": key},
                )
            ).all()
    finally:
        await engine.dispose()
    revision, answers, title, updated_at = row
    return revision, json.loads(answers), title, updated_at, [tuple(r) for r in log]


class TestWriting:
    async def test_only_at_the_revision_read(self, database_url, session_id, writes):
        prepared, outcome = await writes.run(
            row_of(session_id), lambda row: Prepared(revision_of(session_id))
        )
        assert outcome.result == WRITTEN and outcome.deliveries == 0
        revision, answers, title, updated_at, log = await stored(database_url, session_id)
        assert (revision, answers) == (2, {"filing": {"total_pages": 5}})
        assert updated_at in (NOW, sqlite_time(NOW))
        assert [r[:4] for r in log[-2:]] == [
            (2, ANN.name, "api", "filing.total_pages"),
            (2, ANN.name, "api", "filing.version"),
        ]
        assert [json.loads(r[4]) for r in log[-2:]] == [3, None]
        assert [json.loads(r[5]) for r in log[-2:]] == [5, "public"]

        # Another write read revision 1 too: it is prepared again from the session as it is
        # now, and lands on it.
        given = []

        def again(row):
            given.append(row)
            return Prepared(revision_of(session_id, revision=row.revision))

        _, outcome = await writes.run(row_of(session_id), again)
        assert outcome.result == WRITTEN
        assert [row.revision for row in given] == [1, 2]
        assert json.loads(given[1].answers_json) == {"filing": {"total_pages": 5}}
        assert given[1].id == session_id and given[1].chat_state_json == "{}"
        written = await stored(database_url, session_id)
        assert written[:2] == (3, {"filing": {"total_pages": 6}})

        # One that keeps writing over a revision gone is not written.
        stale = revision_of(session_id, answers_json='{"lost": true}')
        _, outcome = await writes.run(row_of(session_id), lambda row: Prepared(stale))
        assert outcome.result == MOVED_ON
        assert await stored(database_url, session_id) == written

    async def test_a_session_gone_is_not_written(self, database_url, session_id, writes):
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DELETE FROM interview_session"))
        finally:
            await engine.dispose()
        _, outcome = await writes.run(
            row_of(session_id), lambda row: Prepared(revision_of(session_id))
        )
        assert outcome.result == MOVED_ON

    async def test_nothing_to_write(self, writes, session_id):
        prepared = Prepared(None)
        assert await writes.run(row_of(session_id), lambda row: prepared) == (prepared, None)

    async def test_what_prepare_raises_is_raised_and_nothing_written(
        self, database_url, session_id, writes
    ):
        def refuse(row) -> Prepared:
            raise ValueError("refused")

        with pytest.raises(ValueError, match="refused"):
            await writes.run(row_of(session_id), refuse)
        assert (await stored(database_url, session_id))[0] == 1

    async def test_deliveries_are_written_with_the_revision(self, database_url, session_id, writes):
        engine = create_async_engine(database_url)
        hook = uuid.uuid4()
        try:
            async with AsyncSession(engine, expire_on_commit=False) as db:
                from service.auth.service import KeyService
                from service.webhooks.models import Webhook

                key = await KeyService(db).create("portal", "read,write", "ann")
                db.add(
                    Webhook(
                        id=hook,
                        api_key_id=key.row.id,
                        url="https://x.example/h",
                        events="session.completed",
                        secret="s",
                    )
                )
                await db.commit()
        finally:
            await engine.dispose()
        seen = []
        event = uuid.uuid4()

        def deliveries(listeners):
            seen.extend(listeners)
            return [
                Delivery(each.webhook_id, event, "session.completed", '{"id": 1}')
                for each in listeners
            ]

        new = revision_of(session_id, deliveries=deliveries)
        _, outcome = await writes.run(row_of(session_id), lambda row: Prepared(new))
        assert outcome.result == WRITTEN and outcome.deliveries == 1
        assert [(s.webhook_id, s.events, s.key_owner, s.key_scopes) for s in seen] == [
            (hook, "session.completed", "ann", "read,write")
        ]
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                rows = (
                    await connection.execute(
                        text("SELECT event, payload, status, attempts FROM webhook_delivery")
                    )
                ).all()
        finally:
            await engine.dispose()
        assert [tuple(r) for r in rows] == [("session.completed", '{"id": 1}', "pending", 0)]
        assert (await stored(database_url, session_id))[0] == 2

    async def test_a_failed_write_writes_nothing(self, database_url, session_id, writes):
        # A value the database cannot take, after the update (PostgreSQL: problems that are
        # not JSON; SQLite: a log value it cannot bind): nothing of the revision is written.
        if database_url.startswith("sqlite"):
            broken = revision_of(session_id, changes=[("a", "1", "2"), ("b", object(), "2")])
        else:
            broken = revision_of(session_id, problems_json="{not json")
        _, outcome = await writes.run(row_of(session_id), lambda row: Prepared(broken))
        assert outcome.result == FAILED
        revision, answers, *_, log = await stored(database_url, session_id)
        assert (revision, answers) == (1, {"filing": {"total_pages": 3}})
        # And the writer goes on writing.
        _, outcome = await writes.run(
            row_of(session_id), lambda row: Prepared(revision_of(session_id))
        )
        assert outcome.result == WRITTEN


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
class TestSqliteThread:
    @pytest.fixture
    def sqlite_writes(self, database_url):
        return session_writes_for(database_url, 1)

    async def test_a_large_write_is_prepared_and_written_in_one_thread_of_its_own(
        self, sqlite_writes
    ):
        threads = []
        try:
            for _ in range(3):
                await sqlite_writes.run(
                    row_of(uuid.uuid4()),
                    lambda row: threads.append(threading.current_thread()) or Prepared(None),
                    ON_LOOP_BYTES,
                )
        finally:
            await sqlite_writes.stop()
        assert len(set(threads)) == 1
        assert threads[0] is not threading.current_thread()
        assert threads[0].name.startswith("session-writer")

    async def test_a_small_write_is_prepared_and_written_on_the_loop(
        self, database_url, session_id, sqlite_writes
    ):
        threads = []

        def prepare(row) -> Prepared:
            threads.append(threading.current_thread())
            return Prepared(revision_of(session_id))

        try:
            _, outcome = await sqlite_writes.run(row_of(session_id), prepare)
            assert outcome.result == WRITTEN
            assert sqlite_writes._thread is None  # never started
        finally:
            await sqlite_writes.stop()
        assert threads == [threading.current_thread()]
        assert (await stored(database_url, session_id))[0] == 2

    async def test_a_write_waiting_for_the_lock_leaves_the_loop_free(
        self, database_url, session_id, sqlite_writes
    ):
        path = database_url.split("///", 1)[1]
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds SQLite's lock
        prepared = []

        def prepare(row) -> Prepared:
            prepared.append(threading.current_thread())
            return Prepared(revision_of(session_id))

        try:
            writing = asyncio.create_task(sqlite_writes.run(row_of(session_id), prepare))
            while not prepared:
                await asyncio.sleep(0.001)
            # The loop goes on with other work while the write waits for the lock...
            other = await asyncio.gather(*(asyncio.sleep(0, n) for n in range(10)))
            assert other == list(range(10)) and not writing.done()
            holder.execute("COMMIT")
            # ...and the write goes through once the lock is free.
            _, outcome = await writing
            assert outcome.result == WRITTEN
        finally:
            if holder.in_transaction:
                holder.execute("ROLLBACK")
            holder.close()
            await sqlite_writes.stop()
        # Worked out on the loop once; the thread waited for the lock with that work.
        assert prepared == [threading.current_thread()]
        assert (await stored(database_url, session_id))[0] == 2

    async def test_the_thread_checkpoints_what_the_loop_wrote(
        self, database_url, session_id, sqlite_writes, monkeypatch
    ):
        monkeypatch.setattr(session_writes, "CHECKPOINT_EVERY", 3)
        path = database_url.split("///", 1)[1]
        checkpoints = []
        real = sqlite_writes._checkpointed

        def checkpointed() -> None:
            checkpoints.append(threading.current_thread())
            real()

        monkeypatch.setattr(sqlite_writes, "_checkpointed", checkpointed)

        def in_the_file() -> int:
            # The database file alone, without the WAL: what checkpoints copied into it.
            with contextlib.closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as db:
                return db.execute(
                    "SELECT revision FROM interview_session WHERE id = ?", (session_id.bytes,)
                ).fetchone()[0]

        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            for revision in (1, 2):
                await sqlite_writes.run(
                    row_of(session_id, revision),
                    lambda row, revision=revision: Prepared(revision_of(session_id, revision)),
                )
            # The loop's connection copies nothing into the file itself...
            assert sqlite_writes._here.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
            assert in_the_file() == 1 and not checkpoints
            await sqlite_writes.run(
                row_of(session_id, 3), lambda row: Prepared(revision_of(session_id, 3))
            )
            # ...the writer's thread does, after every CHECKPOINT_EVERY writes on the loop.
            await sqlite_writes._checkpoint
        finally:
            await sqlite_writes.stop()
        assert len(checkpoints) == 1 and checkpoints[0].name.startswith("session-writer")
        assert in_the_file() == 4

    async def test_a_new_start_after_stop(self, sqlite_writes):
        await sqlite_writes.run(row_of(uuid.uuid4()), lambda row: Prepared(None))
        await sqlite_writes.stop()
        await sqlite_writes.run(row_of(uuid.uuid4()), lambda row: Prepared(None))
        await sqlite_writes.stop()
        await sqlite_writes.stop()


def test_which_writes_for_which_database(tmp_path):
    assert session_writes_for("sqlite+aiosqlite:///:memory:", 1) is None
    assert session_writes_for("sqlite+aiosqlite://", 1) is None
    assert isinstance(
        session_writes_for(f"sqlite+aiosqlite:///{tmp_path}/a.db?x=1", 1), SqliteWrites
    )
    assert session_writes_for(f"sqlite+aiosqlite:///{tmp_path}/a.db?x=1", 1).path.endswith("a.db")
    made = session_writes_for("postgresql+asyncpg://u@h/db", 3)
    assert isinstance(made, PostgresWrites) and made.connections.size == 3
    assert made.connections.dsn == "postgresql://u@h/db"
    assert session_writes_for("mysql://x", 1) is None


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 12, 6, 20, 0, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
async def test_times_are_stored_as_sqlalchemy_stores_them(tmp_path, moment):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    table = Table("t", MetaData(), Column("at", DateTimeUTC(timezone=True)))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(table.metadata.create_all)
            await connection.execute(table.insert().values(at=moment))
            (raw,) = (await connection.execute(text("SELECT at FROM t"))).one()
    finally:
        await engine.dispose()
    assert raw == sqlite_time(moment)


def next_revision_of(session_id, given: list[int]):
    """A ``prepare`` that writes the revision after the one it is given, noting each in
    ``given``."""

    def prepare(row):
        given.append(row.revision)
        written = types.SimpleNamespace(
            id=session_id, revision=row.revision + 1, chat_state_json="{}", answers_json="{}"
        )
        return types.SimpleNamespace(
            write=revision_of(session_id, revision=row.revision), row=written
        )

    return prepare


class TestRemembered:
    """A write prepared from an older read of a session this process wrote since starts from
    what it wrote (a PATCH read while the one before it was being written)."""

    async def test_the_newest_of_what_was_read_and_what_was_written(
        self, database_url, session_id, writes
    ):
        given = []
        prepare = next_revision_of(session_id, given)

        for _ in range(3):
            _, outcome = await writes.run(row_of(session_id, 1), prepare)
            assert outcome.result == WRITTEN
        # Each read said revision 1; each write started from the one before it.
        assert given == [1, 2, 3]
        assert (await stored(database_url, session_id))[0] == 4
        newer = row_of(session_id, 9)
        assert writes.newest(newer) is newer

    def test_at_most_so_many_and_only_what_was_written(self):
        writes = SqliteWrites("unused.db")
        for n in range(REMEMBERED + 5):
            row = types.SimpleNamespace(id=n, revision=2, chat_state_json="{}")
            writes._remember(types.SimpleNamespace(row=row), Outcome(WRITTEN))
        assert len(writes._written) == REMEMBERED and 0 not in writes._written
        gone = types.SimpleNamespace(id="x", revision=5, chat_state_json="{}")
        writes._remember(types.SimpleNamespace(row=gone), Outcome(MOVED_ON))
        writes._remember(types.SimpleNamespace(row=None), Outcome(WRITTEN))
        assert "x" not in writes._written
        assert writes.newest(types.SimpleNamespace(id="x", revision=1)).revision == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_writes_of_one_session_at_once_go_one_after_another(database_url, session_id, writes):
    """Five PATCHes of one session read at revision 1 and in flight together: each is worked
    out from what the one before it wrote, none has to start again."""
    given = []
    prepare = next_revision_of(session_id, given)

    outcomes = await asyncio.gather(*(writes.run(row_of(session_id, 1), prepare) for _ in range(5)))
    assert [outcome.result for _, outcome in outcomes] == [WRITTEN] * 5
    assert given == [1, 2, 3, 4, 5]
    assert (await stored(database_url, session_id))[0] == 6
    assert writes._writing == {}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize(("body_bytes", "on_loop"), [(0, True), (ON_LOOP_BYTES, False)])
async def test_postgresql_works_out_a_small_write_on_the_loop_and_a_large_one_off_it(
    session_id, writes, body_bytes, on_loop
):
    # A few tenths of a millisecond of Python cost less than a trip to a thread and back; a
    # large session or body would hold the loop.
    threads, kept = [], []

    def prepare(write):
        def prepared(row):
            threads.append(threading.current_thread())
            kept.append(writes.kept(object))
            return Prepared(write)

        return prepared

    _, outcome = await writes.run(row_of(session_id), prepare(revision_of(session_id)), body_bytes)
    assert outcome.result == WRITTEN
    await writes.run(row_of(session_id, 2), prepare(None), body_bytes)
    assert (threads[0] is threading.current_thread()) is on_loop
    assert threads[0] is threads[1]
    # What the work keeps across writes is its thread's own, kept from one write to the next.
    assert kept[0] is kept[1]
    assert (kept[0] is writes.kept(object)) is on_loop

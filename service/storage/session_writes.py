"""The write of a new revision of one session as prebuilt SQL on connections of its own,
without the ORM: the conditional ``UPDATE`` (only if no one wrote since the revision was read),
the answer log's rows and, when the write completes the interview, the webhook deliveries of
that event, in one transaction.

Through SQLAlchemy's async session the same write cost most of a PATCH (the read back, the
unit of work, the statements compiled, and on SQLite a trip to aiosqlite's thread per call).

- SQLite: a small write (``ON_LOOP_BYTES``) is worked out and written on the event loop, on a
  connection of its own that never waits: when another writer holds SQLite's lock (another
  process, the ORM's writes) it hands the write to a worker thread of its own, whose
  connection waits for the lock there. A write takes tens of microseconds (WAL, no fsync at
  commit), and the trip to the thread and back cost more than the write: 33 % less CPU per
  PATCH, measured interleaved. The loop's connection never checkpoints (a checkpoint copies
  megabytes and syncs the file): the thread checkpoints after every ``CHECKPOINT_EVERY``
  writes made on the loop. A large write is worked out and written in the thread.
- PostgreSQL: the work that prepares a write runs on the event loop when the session and the
  body are small (``ON_LOOP_BYTES``; the 2024 case takes a few tenths of a millisecond of
  Python, and a trip to a thread and back cost more than it freed the loop: 14-24 % more
  PATCHes a second, measured interleaved); a large one's runs in a thread of its own (one: it
  is Python, which runs one thread at a time), so that it does not hold the loop. The write
  goes on one of a few asyncpg connections of its own (``pg_connections``). Without an event
  to record it is a single statement (the update, and the log's rows inserted only if the
  update found the revision), so it needs no transaction of its own.

A write is prepared from the session as read before it. When someone wrote in between, it is
prepared again from the session as it is now: on SQLite at once, holding the lock it took for
the write (so the second attempt cannot miss); on PostgreSQL after reading the session again,
a few times at most. ``run`` answers ``WRITTEN``, ``MOVED_ON`` (still not written, or the
session is gone) or ``FAILED`` (nothing was written; logged): the caller then takes the
ordinary path, which reads the session again and reports any real failure.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import datetime as dt
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import structlog

from service.storage.pg_connections import Connections
from service.storage.point_reads import (
    POSTGRES_SESSION,
    SQLITE_SESSION,
    SessionRow,
    postgres_session,
    sqlite_file,
    sqlite_session,
)

log = structlog.get_logger(__name__)

T = TypeVar("T")

SESSION_WRITES_STATE_KEY = "session_writes"

WRITTEN = "written"
MOVED_ON = "moved_on"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Listener:
    """A webhook whose key is not revoked, with what decides whether it hears an event."""

    webhook_id: uuid.UUID
    events: str
    key_owner: str
    key_scopes: str


@dataclass(frozen=True, slots=True)
class Delivery:
    webhook_id: uuid.UUID
    event_id: uuid.UUID
    event: str
    payload: str


@dataclass(frozen=True, slots=True)
class NewRevision:
    """Everything a write of revision ``revision + 1`` stores. JSON columns come as JSON text."""

    session_id: uuid.UUID
    # The revision read: the write happens only if the session is still at it.
    revision: int
    answers_json: str
    chat_state_json: str
    title: str
    status: str
    derived_for: str
    progress_answered: int
    progress_required: int
    open_errors: int
    open_warnings: int
    problems_json: str
    updated_at: dt.datetime
    actor: str
    source: str
    # The answer log: (path, old value as JSON, new value as JSON) per answer changed.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    # When the write records an event: the deliveries it makes for the listening webhooks.
    deliveries: Callable[[list[Listener]], list[Delivery]] | None = None

    def stored_columns(self) -> tuple[Any, ...]:
        """The session's columns the write sets, in the order both databases' UPDATE names them."""
        return (
            self.answers_json,
            self.chat_state_json,
            self.title,
            self.status,
            self.derived_for,
            self.progress_answered,
            self.progress_required,
            self.open_errors,
            self.open_warnings,
            self.problems_json,
        )


class Prepared(Protocol):
    """What the work before a write gives: the revision to write, or None for no write, and the
    session as that write leaves it."""

    @property
    def write(self) -> NewRevision | None: ...

    @property
    def row(self) -> SessionRow | None: ...


# Prepares the write of a session as read (None: the session as read is gone).
Prepare = Callable[[SessionRow], Prepared]
ATTEMPTS = 5


@dataclass(slots=True)
class Outcome:
    result: str
    # Deliveries recorded with the write.
    deliveries: int = 0


# Sessions whose latest write a process remembers (see SessionWrites.newest).
REMEMBERED = 256

# The stored answers' JSON and the body, in bytes, up to which a PATCH is worked out (and on
# SQLite written) on the event loop: the 2024 case is ~8 KB, a few tenths of a millisecond; at
# this size, a few milliseconds at most. A larger one would hold the loop: a thread does it.
ON_LOOP_BYTES = 64 * 1024


class SessionWrites:
    def __init__(self) -> None:
        # The sessions this process wrote last, as written (the newest last), so that a write
        # prepared from an older read of one (a PATCH read while the one before it was being
        # written) starts from what is known to be newer. Used on the loop's thread only.
        self._written: collections.OrderedDict[uuid.UUID, SessionRow] = collections.OrderedDict()
        # The one thread a large write is worked out in (on SQLite, and written; there, too,
        # a small one that found another writer holding the lock, and the checkpoints).
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None
        # What the work before a write keeps across writes (stored_patch.Decoded), one for
        # each thread it runs in: small writes are worked out on the loop, large ones in the
        # thread.
        self._kept = threading.local()

    def _in_thread(self, work: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        if self._thread is None:
            self._thread = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="session-writer"
            )
        return asyncio.get_running_loop().run_in_executor(self._thread, work, *args)

    async def _stop_thread(self, last: Callable[[], None] | None = None) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            if last is not None:
                await asyncio.get_running_loop().run_in_executor(thread, last)
            thread.shutdown(wait=False)

    def kept(self, make: Callable[[], T]) -> T:
        """What the work before a write keeps across writes in the thread it runs in (made by
        ``make`` on first use there)."""
        kept = getattr(self._kept, "value", None)
        if kept is None:
            kept = self._kept.value = make()
        return kept

    async def run(
        self, row: SessionRow, prepare: Prepare, body_bytes: int = 0
    ) -> tuple[Prepared, Outcome | None]:
        """Runs ``prepare(row)``, then writes what it gives (if anything), preparing it again
        from the session as it is now if someone wrote since ``row`` was read. Whatever
        ``prepare`` raises is raised here, and nothing is written. ``body_bytes``: the size of
        the request body ``prepare`` reads (with the session's, it tells a large write)."""
        raise NotImplementedError

    @staticmethod
    def on_loop(row: SessionRow, body_bytes: int) -> bool:
        """Whether a write of ``row`` from a body of ``body_bytes`` is small enough for the loop."""
        return len(row.answers_json) + body_bytes <= ON_LOOP_BYTES

    def newest(self, row: SessionRow) -> SessionRow:
        """``row``, or the session as this process last wrote it if that is newer."""
        written = self._written.get(row.id)
        return written if written is not None and written.revision > row.revision else row

    def _remember(self, prepared: Prepared, outcome: Outcome) -> None:
        row = prepared.row
        if outcome.result != WRITTEN or row is None or row.chat_state_json is None:
            return
        self._written[row.id] = row
        self._written.move_to_end(row.id)
        while len(self._written) > REMEMBERED:
            self._written.popitem(last=False)

    async def stop(self) -> None:  # pragma: no cover - per backend
        pass


def session_writes_for(database_url: str, connections: int) -> SessionWrites | None:
    """None for a database this module does not write (an in-memory SQLite)."""
    if database_url.startswith("sqlite"):
        path = sqlite_file(database_url)
        return SqliteWrites(path) if path else None
    if database_url.startswith("postgresql"):
        return PostgresWrites(database_url, connections)
    return None


# -- SQLite ----------------------------------------------------------------------------------

_SQLITE_UPDATE = (
    "UPDATE interview_session SET answers = ?, chat_state = ?, title = ?, status = ?,"
    " derived_for = ?, progress_answered = ?, progress_required = ?, open_errors = ?,"
    " open_warnings = ?, problems = ?, updated_at = ?, revision = ?"
    " WHERE id = ? AND revision = ?"
)
_SQLITE_LOG = (
    "INSERT INTO answer_change (session_id, revision, actor, source, path, old_value,"
    " new_value, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_LISTENERS = (
    "SELECT w.id, w.events, k.owner, k.scopes FROM webhook AS w"
    " JOIN api_key AS k ON k.id = w.api_key_id WHERE k.revoked_at IS NULL"
)
_SQLITE_DELIVERY = (
    "INSERT INTO webhook_delivery (id, webhook_id, event_id, event, session_id, payload, status,"
    " attempts, next_attempt_at, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)"
)


def sqlite_time(moment: dt.datetime) -> str:
    """A UTC time as SQLAlchemy stores it in SQLite (naive, microseconds always written), so
    that the listing's order by text compares it with times the ORM wrote."""
    utc = moment.astimezone(dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}"
    )


# Writes made on the loop (whose connection never checkpoints) between two checkpoints in the
# writer's thread: a PATCH adds a few pages to the WAL, and SQLite's own default is to
# checkpoint at 1,000 pages.
CHECKPOINT_EVERY = 200

# What the loop's connection answers when another writer holds the lock (it never waits).
_BUSY = Outcome("busy")


class SqliteWrites(SessionWrites):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        # The loop's connection (never waits, never checkpoints), and the writer thread's:
        # each opened, used and closed in its own thread only.
        self._here: sqlite3.Connection | None = None
        self._connection: sqlite3.Connection | None = None
        # Writes on the loop since the thread last checkpointed, and the checkpoint under way.
        self._unchecked = 0
        self._checkpoint: asyncio.Future[None] | None = None

    async def run(
        self, row: SessionRow, prepare: Prepare, body_bytes: int = 0
    ) -> tuple[Prepared, Outcome | None]:
        # What this process last wrote is looked at and noted on the loop's thread only.
        row = self.newest(row)
        prepared: Prepared | None = None
        outcome: Outcome | None = _BUSY  # a large write goes to the thread as a busy one does
        if self.on_loop(row, body_bytes):
            prepared, outcome = self._prepared_and_written(row, prepare, here=True)
        if outcome is _BUSY:
            prepared, outcome = await self._in_thread(
                self._prepared_and_written, row, prepare, False, prepared
            )
        elif outcome is not None and outcome.result == WRITTEN:
            self._wrote_here()
        assert prepared is not None
        if outcome is not None:
            self._remember(prepared, outcome)
        return prepared, outcome

    async def stop(self) -> None:
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
        if self._here is not None:
            self._here.close()
            self._here = None
        await self._stop_thread(self._close)

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self, here: bool) -> sqlite3.Connection:
        connection = self._here if here else self._connection
        if connection is None:
            # The pragmas of the engine's connections (storage.database.tune_sqlite); the
            # loop's own never waits for the lock and leaves checkpoints to the thread.
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=0 if here else 30)
            for pragma in (
                "journal_mode=WAL",
                "busy_timeout=0" if here else "busy_timeout=30000",
                "foreign_keys=ON",
                "synchronous=NORMAL",
                *(["wal_autocheckpoint=0"] if here else []),
            ):
                connection.execute(f"PRAGMA {pragma}")
            if here:
                self._here = connection
            else:
                self._connection = connection
        return connection

    def _wrote_here(self) -> None:
        self._unchecked += 1
        if self._unchecked >= CHECKPOINT_EVERY and self._checkpoint is None:
            self._unchecked = 0
            self._checkpoint = self._in_thread(self._checkpointed)
            self._checkpoint.add_done_callback(self._checkpoint_done)

    def _checkpointed(self) -> None:
        # PASSIVE: copies what it can without waiting for readers or writers.
        self._connect(here=False).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _checkpoint_done(self, done: asyncio.Future[None]) -> None:
        self._checkpoint = None
        if not done.cancelled() and done.exception() is not None:
            log.warning("db.checkpoint.failed", reason=str(done.exception())[:120])

    def _prepared_and_written(
        self,
        row: SessionRow,
        prepare: Prepare,
        here: bool,
        prepared: Prepared | None = None,
    ) -> tuple[Prepared, Outcome | None]:
        """``prepare(row)`` (unless ``prepared`` is given) and its write; on the loop's
        connection (``here``), ``_BUSY`` without waiting when another writer holds the lock."""
        if prepared is None:
            prepared = prepare(row)
        if prepared.write is None:
            return prepared, None
        try:
            connection = self._connect(here)
            # The lock first: the update then reads the latest revision, and a write prepared
            # again from the session as it is now cannot miss.
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if here and error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                return prepared, _BUSY
            log.warning("db.session_write.failed", reason=str(error)[:120])
            return prepared, Outcome(FAILED)
        except sqlite3.Error as error:
            log.warning("db.session_write.failed", reason=str(error)[:120])
            return prepared, Outcome(FAILED)
        try:
            if not self._update(connection, prepared.write):
                found = connection.execute(SQLITE_SESSION, (row.id.bytes,)).fetchone()
                if found is None:
                    connection.execute("ROLLBACK")
                    return prepared, Outcome(MOVED_ON)
                prepared = prepare(sqlite_session(found))  # type: ignore[arg-type]
                if prepared.write is None:
                    connection.execute("ROLLBACK")
                    return prepared, None
                if not self._update(connection, prepared.write):  # pragma: no cover - locked
                    connection.execute("ROLLBACK")
                    return prepared, Outcome(MOVED_ON)
            count = self._rest(connection, prepared.write)
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback(connection)
            log.warning("db.session_write.failed", reason=str(error)[:120])
            return prepared, Outcome(FAILED)
        except BaseException:
            self._rollback(connection)
            raise
        return prepared, Outcome(WRITTEN, count)

    @staticmethod
    def _rollback(connection: sqlite3.Connection) -> None:
        if connection.in_transaction:
            connection.execute("ROLLBACK")

    @staticmethod
    def _update(connection: sqlite3.Connection, new: NewRevision) -> bool:
        updated = connection.execute(
            _SQLITE_UPDATE,
            (
                *new.stored_columns(),
                sqlite_time(new.updated_at),
                new.revision + 1,
                new.session_id.bytes,
                new.revision,
            ),
        )
        return updated.rowcount == 1

    @staticmethod
    def _rest(connection: sqlite3.Connection, new: NewRevision) -> int:
        """The answer log's rows and the event's deliveries; how many deliveries."""
        session = new.session_id.bytes
        now = sqlite_time(new.updated_at)
        connection.executemany(
            _SQLITE_LOG,
            [
                (session, new.revision + 1, new.actor, new.source, path, old, value, now)
                for path, old, value in new.changes
            ],
        )
        if new.deliveries is None:
            return 0
        listeners = [
            Listener(uuid.UUID(bytes=row[0]), row[1], row[2], row[3])
            for row in connection.execute(_LISTENERS).fetchall()
        ]
        deliveries = new.deliveries(listeners)
        connection.executemany(
            _SQLITE_DELIVERY,
            [
                (
                    uuid.uuid4().bytes,
                    d.webhook_id.bytes,
                    d.event_id.bytes,
                    d.event,
                    session,
                    d.payload,
                    now,
                    now,
                    now,
                )
                for d in deliveries
            ],
        )
        return len(deliveries)


# -- PostgreSQL ------------------------------------------------------------------------------

_PG_SET = (
    "UPDATE interview_session SET answers = $3::json, chat_state = $4::json, title = $5,"
    " status = $6, derived_for = $7, progress_answered = $8, progress_required = $9,"
    " open_errors = $10, open_warnings = $11, problems = $12::json, updated_at = $13,"
    " revision = $2 + 1 WHERE id = $1 AND revision = $2"
)
# The log's rows are inserted only if the update found the revision; all in one statement.
_PG_WRITE = (
    f"WITH updated AS ({_PG_SET} RETURNING id),"
    " logged AS (INSERT INTO answer_change (session_id, revision, actor, source, path,"
    " old_value, new_value, changed_at)"
    " SELECT $1, $2 + 1, $14, $15, c.path, c.old::jsonb, c.new::jsonb, $13"
    " FROM updated, unnest($16::text[], $17::text[], $18::text[]) WITH ORDINALITY"
    " AS c(path, old, new, n) ORDER BY c.n)"
    " SELECT count(*) FROM updated"
)
_PG_UPDATE = f"{_PG_SET} RETURNING id"
_PG_LOG = (
    "INSERT INTO answer_change (session_id, revision, actor, source, path, old_value,"
    " new_value, changed_at)"
    " SELECT $1, $2, $3, $4, c.path, c.old::jsonb, c.new::jsonb, $5"
    " FROM unnest($6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS c(path, old, new, n)"
    " ORDER BY c.n"
)
_PG_DELIVERY = (
    "INSERT INTO webhook_delivery (id, webhook_id, event_id, event, session_id, payload, status,"
    " attempts, next_attempt_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7)"
)


class PostgresWrites(SessionWrites):
    def __init__(self, database_url: str, connections: int) -> None:
        super().__init__()
        dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.connections = Connections(dsn, connections)
        # Writes of one session in this process, one after another: a PATCH read while the one
        # before it was being written is worked out after that write, from what it wrote (two
        # at once would both start from the older revision, and one would have to start again).
        self._writing: dict[uuid.UUID, _Turns] = {}

    async def stop(self) -> None:
        await self._stop_thread()
        await self.connections.close()

    async def run(
        self, row: SessionRow, prepare: Prepare, body_bytes: int = 0
    ) -> tuple[Prepared, Outcome | None]:
        turns = self._writing.setdefault(row.id, _Turns())
        turns.waiting += 1
        try:
            async with turns.lock:
                return await self._run(row, prepare, body_bytes)
        finally:
            turns.waiting -= 1
            if not turns.waiting:
                del self._writing[row.id]

    async def _run(
        self, row: SessionRow, prepare: Prepare, body_bytes: int
    ) -> tuple[Prepared, Outcome | None]:
        import asyncpg

        prepared = await self._prepared(prepare, self.newest(row), body_bytes)
        try:
            for _ in range(ATTEMPTS):
                new = prepared.write
                if new is None:
                    return prepared, None
                outcome = await self._write(new)
                if outcome.result != MOVED_ON:
                    self._remember(prepared, outcome)
                    return prepared, outcome
                found = await self.connections.fetchrow(POSTGRES_SESSION, row.id)
                if found is None:
                    return prepared, outcome
                prepared = await self._prepared(prepare, postgres_session(found), body_bytes)
        except (
            OSError,
            asyncpg.PostgresError,
            asyncpg.InterfaceError,
            # What asyncpg may raise on a connection the server has just ended.
            asyncpg.InternalClientError,
        ) as error:
            log.warning("db.session_write.failed", reason=type(error).__name__)
            return prepared, Outcome(FAILED)
        return prepared, Outcome(MOVED_ON)

    async def _prepared(self, prepare: Prepare, row: SessionRow, body_bytes: int) -> Prepared:
        if self.on_loop(row, body_bytes):
            return prepare(row)
        return await self._in_thread(prepare, row)

    async def _write(self, new: NewRevision) -> Outcome:
        if new.deliveries is None:
            written = await self.connections.run(lambda c: c.fetchval(_PG_WRITE, *_row(new)))
            return Outcome(WRITTEN if written == 1 else MOVED_ON)
        return await self.connections.run(lambda c: _write_with_event(c, new))


class _Turns:
    """The writes of one session waiting or under way."""

    __slots__ = ("lock", "waiting")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.waiting = 0


def _update(new: NewRevision) -> tuple[Any, ...]:
    """The parameters of ``_PG_UPDATE``: the revision's row."""
    return (new.session_id, new.revision, *new.stored_columns(), new.updated_at)


def _changes(new: NewRevision) -> tuple[list[str], list[str], list[str]]:
    """The answer log's paths, old and new values, as the three arrays ``unnest`` takes."""
    return (
        [c[0] for c in new.changes],
        [c[1] for c in new.changes],
        [c[2] for c in new.changes],
    )


def _row(new: NewRevision) -> tuple[Any, ...]:
    """The parameters of ``_PG_WRITE``: the update's, then the log's."""
    return (*_update(new), new.actor, new.source, *_changes(new))


async def _write_with_event(connection: Any, new: NewRevision) -> Outcome:
    assert new.deliveries is not None
    async with connection.transaction():
        found = await connection.fetchval(_PG_UPDATE, *_update(new))
        if found is None:
            return Outcome(MOVED_ON)
        await connection.execute(
            _PG_LOG,
            new.session_id,
            new.revision + 1,
            new.actor,
            new.source,
            new.updated_at,
            *_changes(new),
        )
        listeners = [
            Listener(row[0], row[1], row[2], row[3]) for row in await connection.fetch(_LISTENERS)
        ]
        deliveries = new.deliveries(listeners)
        if deliveries:
            await connection.executemany(
                _PG_DELIVERY,
                [
                    (
                        uuid.uuid4(),
                        d.webhook_id,
                        d.event_id,
                        d.event,
                        new.session_id,
                        d.payload,
                        new.updated_at,
                    )
                    for d in deliveries
                ],
            )
    return Outcome(WRITTEN, len(deliveries))

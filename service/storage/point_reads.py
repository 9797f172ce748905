"""The reads of every API request, as prebuilt SQL on a connection of their own, without the
ORM: an API key, or an API key and one session in the same statement.

Through SQLAlchemy's async session each read cost a pool checkout and, on SQLite, four trips to
aiosqlite's thread, on PostgreSQL a pre-ping, ``BEGIN``, the query and ``COMMIT``. Here:

- SQLite: one ``sqlite3`` connection, read-only, used on the event loop's own thread. In WAL
  mode a reader never waits for a writer, and a primary-key read takes microseconds; should
  the database be busy for more than 10 ms (a connection opening while the WAL index is
  rebuilt, say) the read answers None and the caller takes the ordinary path.
- PostgreSQL: a few asyncpg connections (``pg_connections``: asyncpg's own pool cost more
  than the query), statements prepared once per connection, one round trip per read with no
  ping before it: a dropped connection is retried once on another.
  (The engine's own pool, used by writes, still pings.)

The key is still looked up on every request, so a revoked key stops at once in every process.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

import structlog

from service.storage.pg_connections import Connections

log = structlog.get_logger(__name__)

# Where the app keeps its PointReads, and where a request's prefetched session is left.
POINT_READS_STATE_KEY = "point_reads"
PREFETCHED_SESSION = "filing_assembler.prefetched_session"

_KEY_COLUMNS = "k.key_id, k.name, k.owner, k.scopes, k.secret_hash, k.revoked_at IS NOT NULL, k.id"
_SESSION_COLUMNS = (
    "s.id, s.pack, s.pack_version, s.title, s.status, s.revision, s.created_at, s.updated_at,"
    " s.owner, s.derived_for, s.progress_answered, s.progress_required"
)


def _statements(placeholder: str, as_text: str) -> tuple[str, str, str]:
    first, second = (placeholder.format(1), placeholder.format(2))
    key = f"SELECT {_KEY_COLUMNS} FROM api_key AS k WHERE k.key_id = {first}"
    stored = f"s.problems{as_text}, s.answers{as_text}, s.chat_state{as_text}"
    key_and_session = (
        f"SELECT {_KEY_COLUMNS}, {_SESSION_COLUMNS}, {stored}"
        f" FROM api_key AS k LEFT JOIN interview_session AS s ON s.id = {second}"
        f" WHERE k.key_id = {first}"
    )
    session = (
        f"SELECT {_SESSION_COLUMNS}, {stored} FROM interview_session AS s WHERE s.id = {first}"
    )
    return key, key_and_session, session


_ANY_KEY = "SELECT EXISTS (SELECT 1 FROM api_key)"

_SQLITE = _statements("?{}", "")
# The JSON columns as their text: what the response carries, never decoded here.
_POSTGRES = _statements("${}", "::text")
# The session alone, as the key and session read gives it (for a write that reads it again).
SQLITE_SESSION, POSTGRES_SESSION = _SQLITE[2], _POSTGRES[2]


@dataclass(frozen=True, slots=True)
class KeyRow:
    key_id: str
    name: str
    owner: str
    scopes: str
    secret_hash: str
    revoked: bool
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session's stored columns, its problems, answers and chat state as stored JSON text."""

    id: uuid.UUID
    pack: str
    pack_version: str
    title: str
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    owner: str | None
    derived_for: str | None
    progress_answered: int | None
    progress_required: int | None
    problems_json: str | None
    answers_json: str
    chat_state_json: str | None = None


class PointReads:
    """Reads of the hot path; every method answers None when it cannot read right now (the
    caller then takes the ordinary, slower path, which reports any real failure)."""

    async def start(self) -> None:  # pragma: no cover - per backend
        pass

    async def stop(self) -> None:  # pragma: no cover - per backend
        pass

    async def key(self, key_id: str) -> KeyRow | None | bool:
        """The key's row; ``False`` when no key has this id; None when it could not be read."""
        raise NotImplementedError

    async def key_and_session(
        self, key_id: str, session_id: uuid.UUID
    ) -> tuple[KeyRow | bool, SessionRow | None] | None:
        """As ``key``, with the session of that id (None when there is none), in one statement."""
        raise NotImplementedError

    async def any_key(self) -> bool | None:
        """Whether the database holds a key (revoked or not); None when it could not be read."""
        raise NotImplementedError


def sqlite_file(database_url: str) -> str | None:
    """The file a SQLite URL names; None for an in-memory one (no other connection sees it)."""
    path = database_url.split("///", 1)[1] if "///" in database_url else ""
    if not path or ":memory:" in database_url or "mode=memory" in database_url:
        return None
    return path.split("?", 1)[0]


def point_reads_for(database_url: str, connections: int) -> PointReads | None:
    """None for a database this module does not read (an in-memory SQLite)."""
    if database_url.startswith("sqlite"):
        path = sqlite_file(database_url)
        return SqliteReads(path) if path else None
    if database_url.startswith("postgresql"):
        return PostgresReads(database_url, connections)
    return None


def _key(values: tuple[Any, ...] | Any, as_uuid) -> KeyRow:
    return KeyRow(
        key_id=values[0],
        name=values[1],
        owner=values[2],
        scopes=values[3],
        secret_hash=values[4],
        revoked=bool(values[5]),
        id=as_uuid(values[6]),
    )


def _session(values: tuple[Any, ...] | Any, as_uuid, as_time, at: int = 7) -> SessionRow | None:
    """The session of a row whose session columns start at ``at`` (None: no session)."""
    if values[at] is None:
        return None
    return SessionRow(
        id=as_uuid(values[at]),
        pack=values[at + 1],
        pack_version=values[at + 2],
        title=values[at + 3],
        status=values[at + 4],
        revision=values[at + 5],
        created_at=as_time(values[at + 6]),
        updated_at=as_time(values[at + 7]),
        owner=values[at + 8],
        derived_for=values[at + 9],
        progress_answered=values[at + 10],
        progress_required=values[at + 11],
        problems_json=values[at + 12],
        answers_json=values[at + 13],
        chat_state_json=values[at + 14],
    )


def sqlite_session(values: tuple[Any, ...]) -> SessionRow | None:
    """A row of ``SQLITE_SESSION`` as a SessionRow."""
    return _session(values, _sqlite_uuid, _sqlite_time, at=0)


def postgres_session(values: Any) -> SessionRow | None:
    """A row of ``POSTGRES_SESSION`` as a SessionRow."""
    return _session(values, _same, _same, at=0)


def _sqlite_uuid(value: bytes) -> uuid.UUID:
    return uuid.UUID(bytes=value)


def _sqlite_time(value: str) -> dt.datetime:
    # SQLAlchemy stores UTC as naive text ("2026-11-25 19:00:42.235727").
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


class SqliteReads(PointReads):
    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            # Only ever used on the event loop's thread, one statement at a time; the app
            # may be started again on another thread (tests), hence no same-thread check.
            connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=0.01
            )
            connection.execute("PRAGMA query_only=1")
            self._connection = connection
        return self._connection

    async def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _one(self, statement: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None | bool:
        try:
            # fetchall: a cursor left with rows unread keeps its read transaction (and its
            # snapshot) open, and the next read would not see later writes.
            found = self._connect().execute(statement, params).fetchall()
            return found[0] if found else False
        except sqlite3.OperationalError as error:
            # Busy for an instant, or a database not yet migrated: the ordinary path decides.
            log.info("db.point_read.skipped", reason=str(error)[:80])
            return None

    async def key(self, key_id: str) -> KeyRow | None | bool:
        found = self._one(_SQLITE[0], (key_id,))
        return found if found is None or found is False else _key(found, _sqlite_uuid)

    async def key_and_session(
        self, key_id: str, session_id: uuid.UUID
    ) -> tuple[KeyRow | bool, SessionRow | None] | None:
        found = self._one(_SQLITE[1], (key_id, session_id.bytes))
        if found is None:
            return None
        if found is False:
            return False, None
        return _key(found, _sqlite_uuid), _session(found, _sqlite_uuid, _sqlite_time)

    async def any_key(self) -> bool | None:
        found = self._one(_ANY_KEY, ())
        return None if found is None or found is False else bool(found[0])


def _same(value: Any) -> Any:
    return value


class PostgresReads(PointReads):
    def __init__(self, database_url: str, connections: int) -> None:
        self.dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.connections = Connections(self.dsn, connections)

    async def stop(self) -> None:
        await self.connections.close()

    async def _one(self, statement: str, *params: Any) -> Any:
        import asyncpg

        for attempt in (1, 2):
            try:
                found = await self.connections.fetchrow(statement, *params)
                return False if found is None else found
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError) as error:
                # A connection the server dropped: once more on another, then the ordinary path.
                log.info("db.point_read.retried", attempt=attempt, reason=type(error).__name__)
            except asyncpg.PostgresError as error:
                log.info("db.point_read.skipped", reason=type(error).__name__)
                return None
        return None

    async def key(self, key_id: str) -> KeyRow | None | bool:
        found = await self._one(_POSTGRES[0], key_id)
        return found if found is None or found is False else _key(found, _same)

    async def key_and_session(
        self, key_id: str, session_id: uuid.UUID
    ) -> tuple[KeyRow | bool, SessionRow | None] | None:
        found = await self._one(_POSTGRES[1], key_id, session_id)
        if found is None:
            return None
        if found is False:
            return False, None
        return _key(found, _same), _session(found, _same, _same)

    async def any_key(self) -> bool | None:
        found = await self._one(_ANY_KEY)
        return None if found is None or found is False else bool(found[0])

"""Connecting to the database and bringing its schema up to date."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advanced_alchemy.config import AsyncSessionConfig
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from service.storage.request_sessions import RequestSessionConfig, engine_config

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    # Alembic is imported by the commands that migrate, never by a server that does not.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser would read "%" as interpolation; URLs may hold percent-escapes.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply pending migrations. Creates the SQLite file's folder when needed."""
    if database_url.startswith("sqlite") and ":memory:" not in database_url:
        Path(database_url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    from alembic import command

    config = alembic_config(database_url)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(config, revision)
        return
    # The migration environment runs its own event loop, which cannot nest in a running one.
    failure: list[BaseException] = []

    def migrate() -> None:
        try:
            command.upgrade(config, revision)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=migrate, name="alembic-upgrade")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


class _ReleasingCursor(sqlite3.Cursor):
    """A cursor that lets go of its statement, on the thread that ran it, when it fails.

    SQLAlchemy's aiosqlite adapter closes its driver cursor after a statement that succeeded,
    and after one interrupted by a cancellation, but not after one that failed (an
    IntegrityError: two generates of one session taking the same batch). That cursor, still
    holding its prepared statement, is then caught in a cycle with the exception's traceback,
    and the garbage collector frees it on whichever thread it runs: under load, mostly the
    event loop's. Freeing it resets the statement, and ``sqlite3_reset`` takes the connection's
    mutex, which SQLite holds for the whole of a ``sqlite3_step``, including every sleep of the
    busy handler while the connection waits for the write lock. The event loop then waited on
    that connection, and the connection on a writer whose transaction the event loop drives:
    nothing moved until the busy timeout (30 s) gave up. Closed here, on the connection's own
    thread, the cursor frees nothing of SQLite's wherever it is collected.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except BaseException:
            self._release()
            raise

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except BaseException:
            self._release()
            raise

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except BaseException:
            self._release()
            raise

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except BaseException:
            self._release()
            raise

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        # The statement's own error is the one to report; a connection already closed under
        # it has nothing left to release.
        with contextlib.suppress(sqlite3.Error):
            self.close()


class _Connection(sqlite3.Connection):
    """Hands out cursors that release a failed statement (``_ReleasingCursor``)."""

    def cursor(self, factory: Any = _ReleasingCursor) -> sqlite3.Cursor:
        return super().cursor(factory)


# sqlite3.connect's own arguments, through aiosqlite, for every pooled SQLite connection.
SQLITE_CONNECT_ARGS: dict[str, Any] = {"factory": _Connection}


def sqlalchemy_config(database_url: str, pool_size: int = 20) -> RequestSessionConfig:
    if database_url.startswith("sqlite"):
        # The pool's rollback on return is done by tune_sqlite's reset, only when needed.
        engine = engine_config(pool_reset_on_return=None, connect_args=dict(SQLITE_CONNECT_ARGS))
    else:
        # A fixed pool: with the default 5 + 10 overflow, 50 concurrent requests opened and
        # closed a connection (TLS attempt included) for every request beyond the fifteenth.
        engine = engine_config(pool_pre_ping=True, pool_size=max(1, pool_size), max_overflow=0)
    return RequestSessionConfig(
        connection_string=database_url,
        engine_config=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        create_all=False,
    )


def tune_sqlite(engine: AsyncEngine) -> None:
    """Pragmas every SQLite connection of ``engine`` gets."""

    # WAL lets readers work while one writer writes; the busy timeout makes concurrent
    # writers wait for the lock instead of failing with "database is locked". NORMAL
    # synchronous in WAL mode survives a killed process (only power loss may lose the last
    # commits), which tests/robustness checks.
    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A connection goes back to the pool after every request, nearly always with its transaction
    # committed; the pool's unconditional rollback was then one more trip to aiosqlite's thread
    # (a tenth of a GET's). SQLite itself says whether a transaction is open; only then is it
    # rolled back (SQLAlchemy's custom reset scheme; the engine has pool_reset_on_return=None).
    @event.listens_for(engine.sync_engine, "reset")
    def _rollback_if_open(dbapi_connection, _record, state) -> None:
        if state.terminate_only:
            return
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is None or getattr(driver, "in_transaction", True):
            dbapi_connection.rollback()


def background_engine(database_url: str) -> AsyncEngine:
    """An engine of its own for work that runs beside requests (the webhook dispatcher).

    It is disposed by its owner once that work has stopped; sharing the app's engine would let
    the app's shutdown dispose the pool under a query still running, orphaning its connection.
    """
    if not database_url.startswith("sqlite"):
        return create_async_engine(database_url, pool_size=2, max_overflow=2)
    engine = create_async_engine(
        database_url, pool_reset_on_return=None, connect_args=dict(SQLITE_CONNECT_ARGS)
    )
    tune_sqlite(engine)
    return engine

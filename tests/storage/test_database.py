"""SQLite connections go back to the pool without a needless rollback, but never with a
transaction left open; and nothing of a pooled connection's is freed on the event loop's thread
while that connection may be waiting for the write lock."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.util import greenlet_spawn

from service.storage.database import sqlalchemy_config, tune_sqlite


def _pooled_twice(url: str) -> tuple[bool, bool, list[str], int]:
    config = sqlalchemy_config(url)
    engine = config.get_engine()
    tune_sqlite(engine)
    calls: list[str] = []

    def run() -> tuple[bool, bool, int]:
        first = engine.sync_engine.raw_connection()
        cursor = first.cursor()
        cursor.execute("CREATE TABLE t (x INTEGER)")
        first.commit()
        cursor.execute("INSERT INTO t VALUES (1)")
        cursor.close()
        left_open = first.driver_connection.in_transaction
        first.close()  # back to the pool without committing: the reset must roll back
        second = engine.sync_engine.raw_connection()
        still_open = second.driver_connection.in_transaction
        cursor = second.cursor()
        cursor.execute("SELECT count(*) FROM t")
        rows = cursor.fetchall()[0][0]
        cursor.close()
        second.commit()
        # Committed: going back to the pool needs no rollback.
        original = second.driver_connection.rollback
        second.driver_connection.rollback = lambda: calls.append("rollback") or original()  # type: ignore[method-assign]
        second.close()
        return left_open, still_open, rows

    async def main() -> tuple[bool, bool, int]:
        try:
            return await greenlet_spawn(run)
        finally:
            await engine.dispose()

    left_open, still_open, rows = asyncio.run(main())
    return left_open, still_open, calls, rows


def test_an_open_transaction_is_rolled_back_and_a_committed_one_left_alone(tmp_path):
    left_open, still_open, calls, rows = _pooled_twice(
        f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}"
    )
    assert left_open is True
    assert still_open is False
    assert rows == 0  # the uncommitted insert was rolled back on its way into the pool
    assert calls == []


def _collects_while_a_writer_waits(path: Path, statement: str, rows: list[dict]) -> list[str]:
    """A statement of ``statement`` fails (a duplicate key) on the pool's one connection and is
    left to the garbage collector; that connection then waits in SQLite's busy handler for the
    write lock, which another connection holds; the collector runs on the event loop's thread,
    and only once it has returned is the lock let go. What happened, in order."""
    config = sqlalchemy_config(f"sqlite+aiosqlite:///{path}")
    engine = config.get_engine()
    tune_sqlite(engine)
    waiting = threading.Event()
    happened: list[str] = []

    async def main() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as connection:
            failed_on = (await connection.get_raw_connection()).driver_connection
            try:
                await connection.execute(text(statement), rows)
            except IntegrityError:
                happened.append("statement failed")
            await connection.rollback()
        # The other connection holds the write lock until the collector has run.
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")

        async def writer() -> None:
            async with engine.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                assert driver is failed_on  # the same pooled connection, on its same thread
                # Set inside sqlite3_step, under the connection's mutex, which SQLite keeps
                # until the step ends: from here the connection waits for the write lock.
                await driver.set_trace_callback(
                    lambda sql: waiting.set() if sql.startswith("INSERT INTO t VALUES (2") else None
                )
                try:
                    await connection.execute(text("INSERT INTO t VALUES (2)"))
                    await connection.commit()
                    happened.append("writer committed")
                except OperationalError as error:
                    happened.append(f"writer failed: {error.orig}")

        task = asyncio.create_task(writer())
        assert await asyncio.to_thread(waiting.wait, 60)
        gc.collect()  # on the event loop's thread, as the server's collections mostly are
        happened.append("collected")
        holder.execute("ROLLBACK")
        holder.close()
        await task

    gc.collect()
    gc.disable()  # the failed statement's cursor stays uncollected until main collects it
    try:
        asyncio.run(main())
    finally:
        gc.enable()
        asyncio.run(engine.dispose())
    return happened


@pytest.mark.parametrize(
    ("statement", "rows"),
    [
        # The documents of a batch: several rows, one statement (the stall of issue 13).
        ("INSERT INTO t VALUES (:x)", [{"x": 3}, {"x": 1}]),
        ("INSERT INTO t VALUES (:x)", [{"x": 1}]),
    ],
    ids=["executemany", "execute"],
)
def test_a_failed_statement_never_stops_the_event_loop_behind_a_waiting_writer(
    tmp_path, statement, rows
):
    # Before the fix, the collection freed the failed statement's cursor on the event loop's
    # thread, which then waited for the connection's mutex until the writer's busy timeout
    # (30 s) gave up, the lock still held: [..., "collected", "writer failed: database is
    # locked"]. The lock is let go only after "collected", so a writer that commits proves the
    # collection returned while it waited.
    assert _collects_while_a_writer_waits(tmp_path / "locks.db", statement, rows) == [
        "statement failed",
        "collected",
        "writer committed",
    ]

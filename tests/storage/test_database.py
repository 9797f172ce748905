"""SQLite connections go back to the pool without a needless rollback, but never with a
transaction left open."""

from __future__ import annotations

import asyncio

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

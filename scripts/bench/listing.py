"""Listing among many sessions: rows inserted straight into the database (as many sessions of
one owner as asked), then pages timed over HTTP one request at a time (so the figure is the
server's time, with nothing queued in front of it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import time
import urllib.request
import uuid

from bench.servers import Server


def _owner_of(server: Server) -> str:
    # Sessions a key creates belong to "key:<key id>" (README: keys, scopes).
    return "key:" + server.key.split("_")[1]


def _rows(count: int, owner: str, stamp: str | None) -> list[dict]:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = []
    for n in range(count):
        moment = base + dt.timedelta(seconds=n)
        row = {
            "id": uuid.uuid4(),
            "pack": "adcvd-petition",
            "pack_version": "1.0.0",
            "title": f"Interview {n:06d} (2026-01-01)",
            "status": "complete" if n % 10 == 0 else "in_progress",
            "answers": {"filing": {"date": "2026-01-01"}},
            "chat_state": {},
            "revision": 1,
            "owner": owner,
            "created_at": moment,
            "updated_at": moment,
        }
        if stamp is not None:
            row.update(
                derived_for=stamp,
                progress_answered=1,
                progress_required=40,
                open_errors=39,
                open_warnings=0,
                problems=[],
            )
        rows.append(row)
    return rows


async def _insert(url: str, rows: list[dict]) -> None:
    from sqlalchemy import insert, inspect, text
    from sqlalchemy.ext.asyncio import create_async_engine

    from service.storage.models import InterviewSession

    engine = create_async_engine(url)
    async with engine.begin() as connection:
        # An older tree's table lacks the derived columns: only the columns it has are written.
        existing = set(
            await connection.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("interview_session")]
            )
        )
        for start in range(0, len(rows), 5000):
            chunk = [
                {k: v for k, v in row.items() if k in existing}
                for row in rows[start : start + 5000]
            ]
            await connection.execute(insert(InterviewSession.__table__), chunk)
        # What autovacuum (PostgreSQL) would soon do after so many inserts; the planner needs it.
        await connection.execute(
            text(
                "ANALYZE interview_session"
                if connection.dialect.name == "postgresql"
                else "ANALYZE"
            )
        )
    await engine.dispose()


def fill(server: Server, database_url: str, count: int, stamp: str | None) -> None:
    asyncio.run(_insert(database_url, _rows(count, _owner_of(server), stamp)))


def _get(server: Server, path: str) -> tuple[float, dict]:
    req = urllib.request.Request(
        server.url + path, headers={"Authorization": f"Bearer {server.key}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as response:
        body = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, body


def page_times(server: Server, count: int, repeats: int) -> dict[str, float]:
    """Median milliseconds of the first page, of the page at the middle by offset, and (where
    the server hands out cursors) of the page at the middle by cursor."""
    middle = count // 2
    from service.sessions.listing import Cursor

    figures: dict[str, list[float]] = {"first page": [], f"offset {middle:,}": []}
    _, first = _get(server, "/api/sessions?limit=50")
    cursor = None
    if "next" in first:
        # The cursor a client following ``next`` would hold at the middle of the list.
        last = _get(server, f"/api/sessions?limit=50&offset={middle}")[1]["items"][-1]
        cursor = Cursor(
            dt.datetime.fromisoformat(last["updated_at"]), uuid.UUID(last["id"])
        ).encode()
        figures[f"cursor at {middle:,}"] = []
    for _ in range(repeats):
        figures["first page"].append(_get(server, "/api/sessions?limit=50")[0])
        figures[f"offset {middle:,}"].append(
            _get(server, f"/api/sessions?limit=50&offset={middle}")[0]
        )
        if cursor:
            figures[f"cursor at {middle:,}"].append(
                _get(server, f"/api/sessions?limit=50&cursor={cursor}")[0]
            )
    return {name: statistics.median(samples) for name, samples in figures.items()}

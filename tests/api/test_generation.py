"""Generating documents: concurrent generates of one session make one batch; a session keeps
its last DOCUMENT_BATCHES_KEPT batches, and the answer log stays."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import zipfile

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from service.storage.models import AnswerChange, GeneratedDocument
from tests.conftest import in_flight_together


async def count(database_url, column, session_id) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            table = column.class_
            return (
                await connection.execute(
                    select(func.count(func.distinct(column))).where(table.session_id == session_id)
                )
            ).scalar_one()
    finally:
        await engine.dispose()


class TestOneBatchPerGeneration:
    async def test_two_generates_at_once_leave_one_batch(
        self, settings, admin_key, database_url, solar_answers
    ):
        async with in_flight_together(settings, admin_key) as client:
            for _ in range(5):
                created = await client.post(
                    "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
                )
                session_id = created.json()["id"]
                first, second = await asyncio.gather(
                    client.post(f"/api/sessions/{session_id}/documents"),
                    client.post(f"/api/sessions/{session_id}/documents"),
                )
                statuses = sorted([first.status_code, second.status_code])
                assert statuses in ([201, 201], [201, 409]), (first.text, second.text)
                for response in (first, second):
                    if response.status_code == 409:
                        assert response.headers["retry-after"]
                listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
                names = [d["file_name"] for d in listed]
                assert len(names) == 7 and len(set(names)) == 7
                if statuses == [201, 201]:
                    # Both callers got the same batch, or two whole batches one after the other.
                    assert {d["id"] for d in listed} in (
                        {d["id"] for d in first.json()},
                        {d["id"] for d in second.json()},
                    )
                archive = await client.get(f"/api/sessions/{session_id}/documents.zip")
                with zipfile.ZipFile(io.BytesIO(archive.content)) as packed:
                    assert len(packed.namelist()) == len(set(packed.namelist())) == 7


class TestRetention:
    async def test_only_the_last_batches_are_kept_and_the_answer_log_stays(
        self, settings, admin_key, database_url, solar_answers
    ):
        kept = dataclasses.replace(settings, document_batches_kept=2)
        async with in_flight_together(kept, admin_key) as client:
            session_id = (
                await client.post(
                    "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
                )
            ).json()["id"]
            log_before = await count(database_url, AnswerChange.id, session_id)
            for _ in range(4):
                assert (
                    await client.post(f"/api/sessions/{session_id}/documents")
                ).status_code == 201
            last = (await client.post(f"/api/sessions/{session_id}/documents")).json()
            listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
            assert {d["id"] for d in listed} == {d["id"] for d in last}
        assert await count(database_url, GeneratedDocument.batch, session_id) == 2
        assert await count(database_url, GeneratedDocument.id, session_id) == 14
        assert await count(database_url, AnswerChange.id, session_id) == log_before > 0

"""DELETE removes a session and its documents; its webhooks stop mentioning it; the answer log
keeps a record that it was deleted."""

import asyncio
import dataclasses
import json
import time

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from service.app import create_app
from tests.conftest import bearer
from tests.webhooks.conftest import register
from tests.webhooks.receiver import Receiver


async def rows(database_url, query, **params):
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(query), params)).all()
    finally:
        await engine.dispose()


async def each_attempted_once(client, key, webhook_id, timeout=15.0):
    """The deliveries once each has its first (refused) attempt recorded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = (
            await client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=bearer(key))
        ).json()
        if len(listed) == 2 and all(len(d["attempt_log"]) == 1 for d in listed):
            return listed
        await asyncio.sleep(0.02)
    raise AssertionError(f"the first attempts were not recorded: {listed}")


async def test_delete_removes_the_session_and_what_mentions_it(
    settings, database_url, make_key, solar_answers
):
    refusing = Receiver(statuses=[500]).start()
    # One quick refusal, then a retry far away: the deliveries are still pending at the delete.
    slow_retries = dataclasses.replace(
        settings, webhook_backoff_ms=600_000, webhook_allowed_hosts="127.0.0.1"
    )
    try:
        async with AsyncTestClient(app=create_app(slow_retries, configure_logs=False)) as client:
            key = await make_key(scopes="read,write,generate")
            hook = await register(client, key, refusing.url)
            created = await client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers={**bearer(key), "Idempotency-Key": "create-1"},
            )
            session_id = created.json()["id"]
            generated = await client.post(
                f"/api/sessions/{session_id}/documents", headers=bearer(key)
            )
            assert generated.status_code == 201
            await refusing.wait_for(2)
            before = await each_attempted_once(client, key, hook["id"])
            assert sorted(d["status"] for d in before) == ["pending", "pending"]

            assert (
                await client.delete(f"/api/sessions/{session_id}", headers=bearer(key))
            ).status_code == 204

            assert (
                await client.get(f"/api/sessions/{session_id}", headers=bearer(key))
            ).status_code == 404
            assert (
                await client.get(generated.json()[0]["download"], headers=bearer(key))
            ).status_code == 404
            after = (
                await client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=bearer(key))
            ).json()
            assert sorted(d["status"] for d in after) == ["cancelled", "cancelled"]
    finally:
        refusing.stop()

    assert await rows(database_url, "SELECT count(*) FROM generated_document") == [(0,)]
    assert await rows(database_url, "SELECT count(*) FROM idempotency_record") == [(0,)]
    payloads = [
        json.loads(p) for (p,) in await rows(database_url, "SELECT payload FROM webhook_delivery")
    ]
    assert payloads == [{}, {}]
    log = await rows(database_url, "SELECT source, new_value FROM answer_change ORDER BY id")
    assert len(log) > 10  # every answer given, kept
    source, deleted = log[-1]
    assert source == "system"
    assert (json.loads(deleted) if isinstance(deleted, str) else deleted) == {"deleted": True}
    assert len(refusing.received) == 2  # nothing was sent after the delete

"""Several server processes (or machines) share one database and its outbox: each delivery is
taken by one dispatcher under a lease and sent once, whichever process wrote the event."""

import asyncio
from contextlib import AsyncExitStack

from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.conftest import bearer
from tests.webhooks.conftest import register
from tests.webhooks.test_delivery import settled

SERVERS = 3
EVENTS = 24


async def test_every_delivery_is_sent_once_by_one_of_several_servers(
    webhook_settings, admin_key, make_key, receiver, solar_answers
):
    key = await make_key("portal", owner="firm-a", scopes="read,write")
    async with AsyncExitStack() as stack:
        # Each app has its own engine, connection pool and dispatcher, as a process of its own has.
        servers = [
            await stack.enter_async_context(
                AsyncTestClient(app=create_app(webhook_settings, configure_logs=False))
            )
            for _ in range(SERVERS)
        ]
        hook = await register(servers[0], key, receiver.url, events=("session.completed",))
        receiver.secret = hook["secret"]

        async def complete_one(number: int) -> str:
            server = servers[number % SERVERS]
            response = await server.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers=bearer(key),
            )
            assert response.status_code == 201, response.text
            return response.json()["id"]

        sessions = await asyncio.gather(*(complete_one(n) for n in range(EVENTS)))
        await receiver.wait_for(EVENTS, timeout=60)
        listed = await settled(servers[1], key, hook["id"], EVENTS, timeout=60)
    # Every server has stopped, so whatever any of them was still sending has arrived.
    delivery_ids = [r.headers["x-filing-assembler-delivery"] for r in receiver.received]
    assert len(delivery_ids) == EVENTS
    assert len(set(delivery_ids)) == EVENTS
    assert sorted(r.payload["data"]["session_id"] for r in receiver.received) == sorted(sessions)
    assert all(r.signed for r in receiver.received)
    assert [len(d["attempt_log"]) for d in listed] == [1] * EVENTS
    assert {d["status"] for d in listed} == {"delivered"}

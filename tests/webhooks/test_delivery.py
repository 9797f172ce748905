"""Webhooks end to end: a key registers a URL, events of its sessions are delivered signed to
a real receiver on 127.0.0.1, failures are retried with backoff and every attempt is logged,
and a slow receiver never slows the API.

Nothing here sleeps to prove that something did not happen: ``idle`` waits for a poll of the
dispatcher that finds nothing left to send, after which a delivery that was going to be made
has been made."""

import asyncio
import copy
import datetime as dt
import socket
import time

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import bearer
from tests.webhooks.conftest import register
from tests.webhooks.receiver import Receiver

PROBLEM_JSON = "application/problem+json"


async def deliveries(client, key, webhook_id):
    response = await client.get(f"/api/webhooks/{webhook_id}/deliveries", headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()


async def settled(client, key, webhook_id, count, timeout=15.0):
    """The deliveries once ``count`` of them are no longer pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = await deliveries(client, key, webhook_id)
        if sum(d["status"] != "pending" for d in listed) >= count:
            return listed
        await asyncio.sleep(0.05)
    raise AssertionError(f"deliveries still pending: {listed}")


async def idle(client) -> None:
    """Until the app's dispatcher has sent and recorded all that is due. The test client runs
    the app on an event loop of its own, in another thread: the wait runs there."""
    running = client.blocking_portal.start_task_soon(client.app.state.webhook_dispatcher.idle)
    await asyncio.wait_for(asyncio.wrap_future(running), timeout=30)


async def delivery_rows(database_url: str) -> list[tuple[str, str]]:
    """(webhook url, status) of every delivery in the outbox."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            query = "SELECT w.url, d.status FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
            return sorted(tuple(row) for row in await connection.execute(text(query)))
    finally:
        await engine.dispose()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TestRegistering:
    async def test_the_secret_is_shown_once(self, hook_client, make_key, receiver):
        key = await make_key(scopes="read,write")
        hook = await register(hook_client, key, receiver.url)
        assert hook["secret"].startswith("whsec_")
        assert hook["events"] == ["session.completed", "documents.generated"]
        listed = (await hook_client.get("/api/webhooks", headers=bearer(key))).json()
        assert [h["id"] for h in listed] == [hook["id"]]
        assert "secret" not in listed[0]
        assert (
            "secret"
            not in (
                await hook_client.get(f"/api/webhooks/{hook['id']}", headers=bearer(key))
            ).json()
        )

    @pytest.mark.parametrize(
        ("body", "status", "path"),
        [
            ({"url": "ftp://portal.example.com/x", "events": ["session.completed"]}, 422, "url"),
            ({"url": "javascript:alert(1)", "events": ["session.completed"]}, 422, "url"),
            (
                {"url": "https://user:pw@portal.example.com/x", "events": ["session.completed"]},
                422,
                "url",
            ),
            ({"url": "https://portal.example.com/x", "events": []}, 422, "events"),
            # An event name is one of the schema's enum: refused as the body is read.
            (
                {"url": "https://portal.example.com/x", "events": ["session.deleted"]},
                400,
                "events[0]",
            ),
        ],
    )
    async def test_bad_urls_and_events_are_refused(self, hook_client, make_key, body, status, path):
        key = await make_key(scopes="read,write")
        response = await hook_client.post("/api/webhooks", json=body, headers=bearer(key))
        assert response.status_code == status
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert [e["path"] for e in response.json()["errors"]] == [path]
        assert (await hook_client.get("/api/webhooks", headers=bearer(key))).json() == []

    async def test_another_keys_webhook_is_not_found(self, hook_client, make_key, receiver):
        ann = await make_key(owner="ann", scopes="read,write")
        bob = await make_key(owner="bob", scopes="read,write")
        hook = await register(hook_client, ann, receiver.url)
        for method in ("GET", "DELETE"):
            assert (
                await hook_client.request(
                    method, f"/api/webhooks/{hook['id']}", headers=bearer(bob)
                )
            ).status_code == 404
        assert (
            await hook_client.get(f"/api/webhooks/{hook['id']}/deliveries", headers=bearer(bob))
        ).status_code == 404
        assert (await hook_client.get("/api/webhooks", headers=bearer(bob))).json() == []

    async def test_a_read_only_key_may_not_register(self, hook_client, make_key, receiver):
        key = await make_key(scopes="read")
        response = await hook_client.post(
            "/api/webhooks",
            json={"url": receiver.url, "events": ["session.completed"]},
            headers=bearer(key),
        )
        assert response.status_code == 403


class TestDelivering:
    async def test_events_arrive_signed(self, hook_client, make_key, receiver, solar_answers):
        key = await make_key("portal", owner="firm-a", scopes="read,write,generate")
        hook = await register(hook_client, key, receiver.url)
        receiver.secret = hook["secret"]

        # Complete by a PATCH: the event is sent when the status turns complete, once.
        incomplete = copy.deepcopy(solar_answers)
        counsel = incomplete.pop("counsel")
        created = await hook_client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": incomplete},
            headers=bearer(key),
        )
        session_id = created.json()["id"]
        assert created.json()["status"] == "in_progress"
        patched = await hook_client.patch(
            f"/api/sessions/{session_id}/answers", json={"counsel": counsel}, headers=bearer(key)
        )
        assert patched.json()["status"] == "complete"
        again = await hook_client.patch(
            f"/api/sessions/{session_id}/answers",
            json={"filing": {"total_pages": 14}},
            headers=bearer(key),
        )
        assert again.status_code == 200
        generated = await hook_client.post(
            f"/api/sessions/{session_id}/documents", headers=bearer(key)
        )
        assert generated.status_code == 201

        completed, documents = await receiver.wait_for(2)
        assert all(r.signed for r in (completed, documents))
        assert completed.headers["x-filing-assembler-event"] == "session.completed"
        assert completed.payload["type"] == "session.completed"
        assert completed.payload["data"] == {
            "session_id": session_id,
            "pack": "adcvd-petition",
            "revision": patched.json()["revision"],
            "status": "complete",
            "url": f"/api/sessions/{session_id}",
        }
        assert documents.payload["type"] == "documents.generated"
        assert [d["id"] for d in documents.payload["data"]["documents"]] == [
            d["id"] for d in generated.json()
        ]
        assert (
            documents.headers["x-filing-assembler-delivery"]
            != completed.headers["x-filing-assembler-delivery"]
        )

        listed = await settled(hook_client, key, hook["id"], 2)
        assert [d["status"] for d in listed] == ["delivered", "delivered"]
        assert [a["outcome"] for d in listed for a in d["attempt_log"]] == [
            "delivered",
            "delivered",
        ]
        await idle(hook_client)
        assert len(receiver.received) == 2  # nothing else, and the session completed once

    async def test_a_failing_receiver_is_retried_with_backoff(
        self, hook_client, make_key, solar_answers
    ):
        flaky = Receiver(statuses=[500, 503, 200]).start()
        try:
            key = await make_key(scopes="read,write")
            hook = await register(hook_client, key, flaky.url, events=["session.completed"])
            flaky.secret = hook["secret"]
            await hook_client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers=bearer(key),
            )
            arrived = await flaky.wait_for(3)
            (delivery,) = await settled(hook_client, key, hook["id"], 1)
        finally:
            flaky.stop()
        assert all(r.signed for r in arrived)
        assert (
            len({r.headers["x-filing-assembler-delivery"] for r in arrived}) == 1
        )  # one delivery, three attempts
        # WEBHOOK_BACKOFF_MS=50: 50 ms, then 100 ms, each counted from the failed attempt's start.
        starts = [dt.datetime.fromisoformat(a["started_at"]) for a in delivery["attempt_log"]]
        gaps = [(later - earlier).total_seconds() for earlier, later in zip(starts, starts[1:])]
        assert gaps[0] >= 0.05 and gaps[1] >= 0.1, gaps
        assert delivery["status"] == "delivered"
        assert [(a["number"], a["outcome"], a["status_code"]) for a in delivery["attempt_log"]] == [
            (1, "rejected", 500),
            (2, "rejected", 503),
            (3, "delivered", 200),
        ]
        # How long an attempt took is shown for a delivery only, never for a failure.
        assert [a["duration_ms"] is None for a in delivery["attempt_log"]] == [True, True, False]
        assert delivery["attempt_log"][2]["duration_ms"] >= 0

    async def test_a_dead_receiver_is_given_up_after_the_last_attempt(
        self, hook_client, make_key, solar_answers
    ):
        key = await make_key(scopes="read,write")
        hook = await register(
            hook_client, key, f"http://127.0.0.1:{closed_port()}/gone", events=["session.completed"]
        )
        await hook_client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": solar_answers},
            headers=bearer(key),
        )
        (delivery,) = await settled(hook_client, key, hook["id"], 1)
        assert delivery["status"] == "failed"
        assert delivery["attempts"] == 3
        assert [a["outcome"] for a in delivery["attempt_log"]] == ["unreachable"] * 3
        assert all(a["error"] for a in delivery["attempt_log"])
        assert [a["duration_ms"] for a in delivery["attempt_log"]] == [None] * 3

    async def test_a_slow_receiver_never_slows_the_api(self, hook_client, make_key, solar_answers):
        # The receiver answers nothing until released: every API call below that comes back
        # came back while a delivery was still waiting on it.
        stuck = Receiver(hold=True).start()
        try:
            key = await make_key(scopes="read,write,generate")
            hook = await register(hook_client, key, stuck.url)
            stuck.secret = hook["secret"]
            created = await hook_client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers=bearer(key),
            )
            await stuck.wait_for(1)  # the receiver now holds the first delivery
            generated = await hook_client.post(
                f"/api/sessions/{created.json()['id']}/documents", headers=bearer(key)
            )
            read = await hook_client.get(
                f"/api/sessions/{created.json()['id']}", headers=bearer(key)
            )
            while_held = await deliveries(hook_client, key, hook["id"])
            stuck.release()
            listed = await settled(hook_client, key, hook["id"], 2)
        finally:
            stuck.stop()
        assert (created.status_code, generated.status_code, read.status_code) == (201, 201, 200)
        assert [d["status"] for d in while_held] == ["pending", "pending"]
        assert [d["status"] for d in listed] == ["delivered", "delivered"]
        assert sorted(d["event"] for d in listed) == ["documents.generated", "session.completed"]

    async def test_a_receiver_slower_than_the_timeout_is_unreachable_like_a_closed_port(
        self, settings, admin_key, make_key, solar_answers
    ):
        import dataclasses

        from litestar.testing import AsyncTestClient

        from service.app import create_app

        slow = Receiver(hold=True).start()  # answers only when stopped, long after the timeout
        quick = dataclasses.replace(
            settings,
            webhook_timeout_seconds=1,
            webhook_max_attempts=1,
            webhook_allowed_hosts="127.0.0.1",
        )
        try:
            async with AsyncTestClient(app=create_app(quick, configure_logs=False)) as client:
                key = await make_key(scopes="read,write")
                hook = await register(client, key, slow.url, events=["session.completed"])
                await client.post(
                    "/api/sessions",
                    json={"pack": "adcvd-petition", "answers": solar_answers},
                    headers=bearer(key),
                )
                (delivery,) = await settled(client, key, hook["id"], 1)
        finally:
            slow.stop()
        assert delivery["status"] == "failed"
        # The same outcome and words as a closed port: the log is no port scanner.
        assert delivery["attempt_log"][0]["outcome"] == "unreachable"
        assert delivery["attempt_log"][0]["error"] == "no HTTP answer from the receiver's URL"
        assert delivery["attempt_log"][0]["duration_ms"] is None

    async def test_how_long_a_failure_took_shows_nowhere(
        self, settings, make_key, solar_answers, monkeypatch
    ):
        """The retry is due a backoff after the failed attempt *started*: a failure that takes a
        while (a silent port) and one that is refused at once leave the same schedule."""
        import dataclasses

        import httpx
        from litestar.testing import AsyncTestClient

        from service.app import create_app
        from service.webhooks import dispatcher

        class SlowFailure(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request):
                await asyncio.sleep(0.3)  # a failure that takes a while, as a timeout does
                raise httpx.ConnectTimeout("silent", request=request)

        monkeypatch.setattr(dispatcher, "guarded_transport", lambda policy: SlowFailure())
        monkeypatch.setattr(
            dispatcher.random, "random", lambda: 0.0
        )  # no jitter: the backoff exactly
        once = dataclasses.replace(
            settings,
            webhook_backoff_ms=60_000,
            webhook_max_attempts=2,
            webhook_allowed_hosts="127.0.0.1",
        )
        async with AsyncTestClient(app=create_app(once, configure_logs=False)) as client:
            key = await make_key(scopes="read,write")
            hook = await register(
                client, key, "http://127.0.0.1:9/hook", events=["session.completed"]
            )
            await client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers=bearer(key),
            )
            await idle(client)  # the first attempt is recorded; the second is a minute away
            (delivery,) = await deliveries(client, key, hook["id"])
        (attempt,) = delivery["attempt_log"]
        assert (delivery["status"], attempt["outcome"], attempt["duration_ms"]) == (
            "pending",
            "unreachable",
            None,
        )
        due = dt.datetime.fromisoformat(delivery["next_attempt_at"]) - dt.datetime.fromisoformat(
            attempt["started_at"]
        )
        assert due == dt.timedelta(minutes=1)


class TestWhoHearsWhat:
    async def test_a_key_hears_of_its_own_sessions_and_an_admin_key_of_all(
        self, hook_client, make_key, solar_answers, admin_key, database_url
    ):
        ann_receiver, bob_receiver, admin_receiver = (
            Receiver().start(),
            Receiver().start(),
            Receiver().start(),
        )
        try:
            ann = await make_key(owner="ann", scopes="read,write")
            bob = await make_key(owner="bob", scopes="read,write")
            await register(hook_client, ann, ann_receiver.url, events=["session.completed"])
            await register(hook_client, bob, bob_receiver.url, events=["session.completed"])
            await register(hook_client, admin_key, admin_receiver.url, events=["session.completed"])
            created = await hook_client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": solar_answers},
                headers=bearer(ann),
            )
            await ann_receiver.wait_for(1)
            await admin_receiver.wait_for(1)
            await idle(hook_client)  # a wrong delivery, if one were made, has been sent by now
            outbox = await delivery_rows(database_url)
        finally:
            for running in (ann_receiver, bob_receiver, admin_receiver):
                running.stop()
        session_id = created.json()["id"]
        assert [r.payload["data"]["session_id"] for r in ann_receiver.received] == [session_id]
        assert [r.payload["data"]["session_id"] for r in admin_receiver.received] == [session_id]
        assert bob_receiver.received == []
        assert outbox == sorted(
            [(ann_receiver.url, "delivered"), (admin_receiver.url, "delivered")]
        )

    async def test_a_removed_webhook_hears_nothing(
        self, hook_client, make_key, receiver, solar_answers, database_url
    ):
        key = await make_key(scopes="read,write")
        hook = await register(hook_client, key, receiver.url, events=["session.completed"])
        kept = await register(
            hook_client, key, f"{receiver.url}/kept", events=["session.completed"]
        )
        assert (
            await hook_client.delete(f"/api/webhooks/{hook['id']}", headers=bearer(key))
        ).status_code == 204
        created = await hook_client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": solar_answers},
            headers=bearer(key),
        )
        assert created.json()["status"] == "complete"
        await idle(hook_client)
        # The webhook still registered heard of it, so the event was sent; the removed one did not.
        assert await delivery_rows(database_url) == [(kept["url"], "delivered")]
        assert [r.payload["data"]["session_id"] for r in receiver.received] == [
            created.json()["id"]
        ]

    async def test_a_revoked_keys_deliveries_stop(
        self, webhook_settings, admin_key, make_key, solar_answers, database_url
    ):
        import dataclasses

        from litestar.testing import AsyncTestClient
        from sqlalchemy.ext.asyncio import AsyncSession

        from service.app import create_app
        from service.auth import tokens
        from service.auth.service import KeyService

        refusing = Receiver(statuses=[500]).start()
        slower = dataclasses.replace(webhook_settings, webhook_backoff_ms=500)
        engine = create_async_engine(database_url)
        try:
            async with AsyncTestClient(app=create_app(slower, configure_logs=False)) as client:
                key = await make_key(scopes="read,write")
                await register(client, key, refusing.url, events=["session.completed"])
                await client.post(
                    "/api/sessions",
                    json={"pack": "adcvd-petition", "answers": solar_answers},
                    headers=bearer(key),
                )
                await refusing.wait_for(1)
                async with AsyncSession(engine) as db:
                    await KeyService(db).revoke(tokens.key_id_of(key))
                # The retry falls due 0.5 s after the refusal; the dispatcher cancels instead.
                delivery = await until_settled(engine)
                await idle(client)
        finally:
            await engine.dispose()
            refusing.stop()
        assert delivery.status == "cancelled"
        assert delivery.attempts == len(refusing.received) == 1


async def until_settled(engine, timeout: float = 15.0):
    """The one delivery in the outbox, once it is no longer pending."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    from service.webhooks.models import WebhookDelivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with AsyncSession(engine) as db:
            (delivery,) = (await db.execute(select(WebhookDelivery))).scalars()
        if delivery.status != "pending":
            return delivery
        await asyncio.sleep(0.05)
    raise AssertionError(f"the delivery is still pending: attempts {delivery.attempts}")

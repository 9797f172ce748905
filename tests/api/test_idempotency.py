"""Idempotency-Key on creating a session and on generating documents: a retried request gets
the first response and creates nothing twice; the same key with another request is refused."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.storage.models import GeneratedDocument, InterviewSession
from tests.conftest import bearer, in_flight_together

PROBLEM_JSON = "application/problem+json"


async def count(database_url, model):
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as db:
            return (await db.execute(select(func.count()).select_from(model))).scalar_one()
    finally:
        await engine.dispose()


class TestCreate:
    async def test_a_retry_returns_the_first_response_and_creates_nothing(
        self, client, database_url
    ):
        body = {"pack": "adcvd-petition", "answers": {"filing": {"date": "2024-04-24"}}}
        first = await client.post(
            "/api/sessions", json=body, headers={"Idempotency-Key": "portal-7f3a"}
        )
        # The session changes in between; the retry still gets the first response, as it was.
        await client.patch(
            f"/api/sessions/{first.json()['id']}/answers", json={"filing": {"total_pages": 3}}
        )
        retry = await client.post(
            "/api/sessions", json=body, headers={"Idempotency-Key": "portal-7f3a"}
        )
        assert first.status_code == retry.status_code == 201
        assert retry.json() == first.json()
        assert retry.headers["location"] == first.headers["location"]
        assert retry.headers["etag"] == first.headers["etag"] == '"1"'
        assert retry.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert await count(database_url, InterviewSession) == 1

    async def test_the_same_body_spelled_differently_is_the_same_request(self, client):
        first = await client.post(
            "/api/sessions",
            content=b'{"pack": "adcvd-petition", "answers": {}}',
            headers={"Idempotency-Key": "k", "Content-Type": "application/json"},
        )
        retry = await client.post(
            "/api/sessions",
            content=b'{"answers":{},"pack":"adcvd-petition"}',
            headers={"Idempotency-Key": "k", "Content-Type": "application/json"},
        )
        assert retry.json()["id"] == first.json()["id"]

    async def test_the_same_key_with_another_request_is_refused(self, client, database_url):
        await client.post(
            "/api/sessions", json={"pack": "adcvd-petition"}, headers={"Idempotency-Key": "k-1"}
        )
        other = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": {"filing": {"total_pages": 2}}},
            headers={"Idempotency-Key": "k-1"},
        )
        assert other.status_code == 422
        assert other.headers["content-type"].startswith(PROBLEM_JSON)
        assert other.json()["errors"][0]["path"] == "Idempotency-Key"
        assert await count(database_url, InterviewSession) == 1

    async def test_without_a_key_each_request_creates(self, client, database_url):
        for _ in range(2):
            await client.post("/api/sessions", json={"pack": "adcvd-petition"})
        assert await count(database_url, InterviewSession) == 2

    async def test_keys_belong_to_their_owner(self, client, make_key, database_url):
        ann = await make_key(owner="ann", scopes="read,write")
        bob = await make_key(owner="bob", scopes="read,write")
        body = {"pack": "adcvd-petition"}
        mine = await client.post(
            "/api/sessions", json=body, headers={**bearer(ann), "Idempotency-Key": "same"}
        )
        theirs = await client.post(
            "/api/sessions", json=body, headers={**bearer(bob), "Idempotency-Key": "same"}
        )
        assert mine.json()["id"] != theirs.json()["id"]
        assert "idempotent-replayed" not in theirs.headers
        assert await count(database_url, InterviewSession) == 2

    async def test_a_refused_request_is_not_remembered(self, client, database_url):
        bad = await client.post(
            "/api/sessions", json={"pack": "nope"}, headers={"Idempotency-Key": "k-2"}
        )
        assert bad.status_code == 422
        again = await client.post(
            "/api/sessions", json={"pack": "nope"}, headers={"Idempotency-Key": "k-2"}
        )
        assert again.status_code == 422 and "idempotent-replayed" not in again.headers

    @pytest.mark.parametrize("key", [b"", b"x" * 256, "caf\u00e9".encode()])
    async def test_a_key_must_be_1_to_255_visible_characters(self, client, key):
        response = await client.post(
            "/api/sessions", json={"pack": "adcvd-petition"}, headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith(PROBLEM_JSON)

    async def test_retries_in_flight_together_create_one_session(
        self, settings, admin_key, database_url
    ):
        async with in_flight_together(settings, admin_key) as concurrent:
            responses = await asyncio.gather(
                *(
                    concurrent.post(
                        "/api/sessions",
                        json={"pack": "adcvd-petition"},
                        headers={"Idempotency-Key": "burst"},
                    )
                    for _ in range(10)
                )
            )
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert sum("idempotent-replayed" in r.headers for r in responses) == 9
        assert await count(database_url, InterviewSession) == 1


class TestGenerate:
    async def test_a_retry_returns_the_same_documents_and_renders_nothing_twice(
        self, client, solar_answers, database_url
    ):
        session_id = (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
        ).json()["id"]
        first = await client.post(
            f"/api/sessions/{session_id}/documents", headers={"Idempotency-Key": "gen-1"}
        )
        retry = await client.post(
            f"/api/sessions/{session_id}/documents", headers={"Idempotency-Key": "gen-1"}
        )
        assert first.status_code == retry.status_code == 201
        assert retry.json() == first.json()
        assert retry.headers["idempotent-replayed"] == "true"
        documents = await count(database_url, GeneratedDocument)
        assert documents == len(first.json())
        fresh = await client.post(
            f"/api/sessions/{session_id}/documents", headers={"Idempotency-Key": "gen-2"}
        )
        assert {d["id"] for d in fresh.json()}.isdisjoint({d["id"] for d in first.json()})
        assert await count(database_url, GeneratedDocument) == 2 * documents

    async def test_the_same_key_for_another_session_is_refused(self, client, solar_answers):
        one = (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
        ).json()["id"]
        two = (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
        ).json()["id"]
        assert (
            await client.post(f"/api/sessions/{one}/documents", headers={"Idempotency-Key": "gen"})
        ).status_code == 201
        response = await client.post(
            f"/api/sessions/{two}/documents", headers={"Idempotency-Key": "gen"}
        )
        assert response.status_code == 422

    async def test_concurrent_retries_render_one_batch(
        self, settings, admin_key, solar_answers, database_url
    ):
        async with in_flight_together(settings, admin_key) as concurrent:
            session_id = (
                await concurrent.post(
                    "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
                )
            ).json()["id"]
            responses = await asyncio.gather(
                *(
                    concurrent.post(
                        f"/api/sessions/{session_id}/documents",
                        headers={"Idempotency-Key": "gen-burst"},
                    )
                    for _ in range(4)
                )
            )
        assert {r.status_code for r in responses} == {201}
        assert len({tuple(d["id"] for d in r.json()) for r in responses}) == 1
        assert await count(database_url, GeneratedDocument) == len(responses[0].json())

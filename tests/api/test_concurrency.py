"""Safe writes: many writers at once lose nothing; If-Match makes a stale writer stop with 412.

Litestar's test client runs one request at a time, so the writers here go through httpx's
ASGI transport, which runs the app in the test's own event loop: forty requests really are in
flight together, each with its own database connection from the pool.
"""

import asyncio
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from service.interview import paths
from service.interview.engine import merge
from service.storage.models import AnswerChange
from tests.conftest import in_flight_together

WRITERS = 40


# Free-text answers in objects: a JSON merge patch of one leaves the others alone (a list
# would be replaced whole, so writers of lists are not independent by design).
TEXT_ANSWERS = (
    ("addressees", "commerce_secretary"),
    ("addressees", "itc_secretary"),
    ("product", "name"),
    ("product", "short_name"),
    ("coalition", "member_description"),
    ("counsel", "firm"),
    ("counsel", "address"),
    ("consultants", "firm"),
    ("consultants", "address"),
    ("representative_certification", "name"),
    ("representative_certification", "firm"),
    ("counsel_certification", "name"),
    ("counsel_certification", "firm"),
)


def patch_of(writer: int) -> dict:
    group, field = TEXT_ANSWERS[writer % len(TEXT_ANSWERS)]
    return {group: {field: f"written by writer {writer}"}}


async def patch_until_saved(client, session_id, body, attempts=20, conflicts=None):
    """A writer as a portal would be: a 409 (too many concurrent writers) is retried."""
    for _ in range(attempts):
        response = await client.patch(f"/api/sessions/{session_id}/answers", json=body)
        if response.status_code != 409:
            return response
        if conflicts is not None:
            conflicts.append(response)
        await asyncio.sleep(0.05)
    return response


async def answer_log(database_url, session_id):
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(AnswerChange.revision, AnswerChange.path, AnswerChange.new_value)
                .where(AnswerChange.session_id == uuid.UUID(session_id), AnswerChange.path != "")
                .order_by(AnswerChange.revision, AnswerChange.id)
            )
            return [tuple(r) for r in result]
    finally:
        await engine.dispose()


class TestManyWriters:
    async def test_no_acknowledged_answer_is_lost(self, settings, admin_key, database_url, capsys):
        conflicts: list = []
        async with in_flight_together(settings, admin_key) as client:
            session_id = (
                await client.post("/api/sessions", json={"pack": "adcvd-petition"})
            ).json()["id"]
            responses = await asyncio.gather(
                *(
                    patch_until_saved(client, session_id, patch_of(w), conflicts=conflicts)
                    for w in range(WRITERS)
                )
            )
            final = (await client.get(f"/api/sessions/{session_id}")).json()

        assert [r.status_code for r in responses] == [200] * WRITERS, [
            r.text for r in responses if r.status_code != 200
        ][:3]
        assert final["revision"] == WRITERS + 1  # each acknowledged write bumped the revision once

        # The answer log holds each write at its own revision (a response shows the session as
        # it is when answered, which may already include a later writer's change).
        logged = await answer_log(database_url, session_id)
        by_revision: dict[int, int] = {}
        for revision, path, value in logged:
            # Logged at the answer changed, or at the group when the group was new.
            (writer,) = [w for w in range(WRITERS) if paths.get(patch_of(w), path) == value]
            by_revision[revision] = writer
        assert sorted(by_revision) == list(range(2, WRITERS + 2))
        assert sorted(by_revision.values()) == list(range(WRITERS))

        # Replaying the writes in revision order gives exactly what is stored: none was lost.
        replayed: dict = {}
        for revision in sorted(by_revision):
            replayed = merge(replayed, patch_of(by_revision[revision]))
        assert final["answers"] == replayed
        assert {(g, f) for g in final["answers"] for f in final["answers"][g]} == set(TEXT_ANSWERS)
        with capsys.disabled():
            print(
                f"\n  {WRITERS} concurrent writers: {WRITERS} acknowledged, revisions 2..{WRITERS + 1}, none lost; {len(conflicts)} answered 409 and retried"
            )

    async def test_writers_of_different_sessions_all_get_through(self, settings, admin_key):
        async with in_flight_together(settings, admin_key) as client:
            ids = [
                (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()["id"]
                for _ in range(4)
            ]
            responses = await asyncio.gather(
                *(patch_until_saved(client, ids[w % 4], patch_of(w)) for w in range(WRITERS))
            )
            assert all(r.status_code == 200 for r in responses)
            for session_id in ids:
                assert (await client.get(f"/api/sessions/{session_id}")).json()[
                    "revision"
                ] == 1 + WRITERS // 4


class TestIfMatch:
    async def test_reads_give_the_revision_as_etag(self, client):
        created = await client.post("/api/sessions", json={"pack": "adcvd-petition"})
        session_id = created.json()["id"]
        assert created.headers["etag"] == '"1"'
        assert (await client.get(f"/api/sessions/{session_id}")).headers["etag"] == '"1"'
        assert (await client.get(f"/api/sessions/{session_id}/next")).headers["etag"] == '"1"'

    @pytest.mark.parametrize("tag", ['"1"', 'W/"1"', "*"])
    async def test_the_current_revision_writes(self, client, tag):
        session_id = (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()[
            "id"
        ]
        response = await client.patch(
            f"/api/sessions/{session_id}/answers",
            json={"filing": {"total_pages": 3}},
            headers={"If-Match": tag},
        )
        assert response.status_code == 200
        assert response.headers["etag"] == '"2"'

    async def test_a_stale_revision_is_412_and_saves_nothing(self, client):
        session_id = (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()[
            "id"
        ]
        await client.patch(
            f"/api/sessions/{session_id}/answers", json={"filing": {"total_pages": 3}}
        )
        for response in (
            await client.patch(
                f"/api/sessions/{session_id}/answers",
                json={"filing": {"total_pages": 4}},
                headers={"If-Match": '"1"'},
            ),
            await client.post(
                f"/api/sessions/{session_id}/reply",
                json={"text": "April 24, 2024"},
                headers={"If-Match": '"1"'},
            ),
        ):
            assert response.status_code == 412
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.headers["etag"] == '"2"'
            assert response.json()["revision"] == 2
        after = (await client.get(f"/api/sessions/{session_id}")).json()
        assert (after["revision"], after["answers"]) == (2, {"filing": {"total_pages": 3}})

    async def test_of_writers_holding_the_same_revision_one_wins(self, settings, admin_key):
        async with in_flight_together(settings, admin_key) as client:
            session_id = (
                await client.post("/api/sessions", json={"pack": "adcvd-petition"})
            ).json()["id"]
            responses = await asyncio.gather(
                *(
                    client.patch(
                        f"/api/sessions/{session_id}/answers",
                        json=patch_of(w),
                        headers={"If-Match": '"1"'},
                    )
                    for w in range(10)
                )
            )
            assert sorted(r.status_code for r in responses) == [200] + [412] * 9
            assert (await client.get(f"/api/sessions/{session_id}")).json()["revision"] == 2

    @pytest.mark.parametrize("tag", ['"abc"', "garbage", '"-1"'])
    async def test_an_if_match_that_is_no_etag_of_ours_is_400(self, client, tag):
        session_id = (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()[
            "id"
        ]
        response = await client.patch(
            f"/api/sessions/{session_id}/answers", json={}, headers={"If-Match": tag}
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")

"""A PATCH of answers is worked out from the session the authentication read, and written
without the ORM (service.sessions.stored_patch): the same response, the same stored columns,
the same answer log and the same webhook deliveries as the ordinary path's, on both databases;
what it cannot do (a stale derived state, a session written in between) the ordinary path does."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from service.auth.actor import Actor
from service.sessions import stored_patch
from service.sessions.service import SessionService
from service.storage.session_writes import SESSION_WRITES_STATE_KEY
from tests.api.test_derived_state import forget_derived
from tests.api.test_sessions import create
from tests.conftest import bearer, run_outside_the_test_loop

SOLAR = json.loads((Path(__file__).parents[2] / "examples" / "solar-2024.json").read_text())
# Everything a response says but when and of which session.
SAME = ("pack", "pack_version", "title", "status", "revision", "progress", "problems", "answers")


def ordinary_only(monkeypatch, client):
    """From here on, this app patches through the service only."""
    monkeypatch.setitem(client.app.state, SESSION_WRITES_STATE_KEY, None)


async def rows(database_url: str, query: str, **params) -> list[tuple]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(r) for r in (await connection.execute(text(query), params)).all()]
    finally:
        await engine.dispose()


def json_of(value):
    return json.loads(value)


async def stored(database_url: str, session_id: str) -> dict:
    """The session's stored columns and its answer log, as plain values."""
    key = session_id.replace("-", "") if database_url.startswith("sqlite") else session_id
    where = (
        "lower(hex(id)) = :id" if database_url.startswith("sqlite") else "id = CAST(:id AS uuid)"
    )
    (row,) = await rows(
        database_url,
        "SELECT CAST(answers AS TEXT), CAST(chat_state AS TEXT), title, status, revision,"
        " derived_for, progress_answered, progress_required, open_errors, open_warnings,"
        " CAST(problems AS TEXT)"
        f" FROM interview_session WHERE {where}",
        id=key,
    )
    log_where = where.replace("id", "session_id", 1)
    log = await rows(
        database_url,
        "SELECT revision, actor, source, path, CAST(old_value AS TEXT),"
        " CAST(new_value AS TEXT) FROM answer_change"
        f" WHERE {log_where} ORDER BY id",
        id=key,
    )
    return {
        "answers": json_of(row[0]),
        "chat_state": json_of(row[1]),
        "derived": row[2:10],
        "problems": json_of(row[10]),
        "log": [(r[0], r[1], r[2], r[3], json_of(r[4]), json_of(r[5])) for r in log],
    }


async def twins(client, answers) -> tuple[str, str]:
    return (await create(client, answers))["id"], (await create(client, answers))["id"]


CHANGES = [
    {"filing": {"total_pages": 17}},
    {"filing": {"date": "2025-03-03", "version": None}},
    {"counsel": {"attorneys": SOLAR["counsel"]["attorneys"][:1]}},
    {"representative_certification": {"capacity": None}, "coalition": {"has_members": False}},
    {"volumes": SOLAR["volumes"][:2]},
]


def written_elsewhere_after_the_first_read(monkeypatch, client, database_url, session) -> list:
    """Another writer writes the session just after the PATCH's first read; the revisions
    each preparation read are listed in the list returned."""
    real = stored_patch.prepare
    packs = client.app.state.packs
    read = []

    def prepare(pack, row, *args, **kwargs):
        read.append(row.revision)
        if len(read) == 1:
            write_elsewhere(database_url, packs, session["id"])
        return real(pack, row, *args, **kwargs)

    monkeypatch.setattr(stored_patch, "prepare", prepare)
    return read


class TestTheSameAsTheOrdinaryPath:
    @pytest.mark.parametrize("change", CHANGES)
    async def test_response_columns_and_log(
        self, client, database_url, monkeypatch, ordinary_patches, change
    ):
        fast_id, ordinary_id = await twins(client, SOLAR)
        fast = await client.patch(f"/api/sessions/{fast_id}/answers", json=change)
        assert fast.status_code == 200, fast.text
        assert ordinary_patches == []
        ordinary_only(monkeypatch, client)
        ordinary = await client.patch(f"/api/sessions/{ordinary_id}/answers", json=change)
        assert ordinary.status_code == 200 and len(ordinary_patches) == 1
        assert fast.headers["etag"] == ordinary.headers["etag"] == '"2"'
        assert fast.headers["content-type"].startswith("application/json")
        assert list(fast.json()) == list(ordinary.json())
        assert {k: fast.json()[k] for k in SAME} == {k: ordinary.json()[k] for k in SAME}
        assert fast.json()["created_at"] < fast.json()["updated_at"]
        assert await stored(database_url, fast_id) == await stored(database_url, ordinary_id)
        # And what later reads see (the GET answers as stored).
        read = (await client.get(f"/api/sessions/{fast_id}")).json()
        assert read == fast.json()

    async def test_a_session_started_empty_then_written_in_turns(
        self, client, database_url, monkeypatch, ordinary_patches
    ):
        fast_id, ordinary_id = await twins(client, {})
        turns = [{k: v} for k, v in SOLAR.items()] + [{"filing": {"total_pages": 3}}]
        for turn in turns:
            assert (await client.patch(f"/api/sessions/{fast_id}/answers", json=turn)).is_success
        assert ordinary_patches == []
        ordinary_only(monkeypatch, client)
        for turn in turns:
            assert (
                await client.patch(f"/api/sessions/{ordinary_id}/answers", json=turn)
            ).is_success
        fast, ordinary = (
            await stored(database_url, fast_id),
            await stored(database_url, ordinary_id),
        )
        assert fast == ordinary
        assert fast["derived"][2] == len(turns) + 1  # a revision per turn

    async def test_lists_sent_whole_are_closed_for_the_chat(
        self, client, database_url, ordinary_patches
    ):
        session = await create(client, {})
        await client.patch(
            f"/api/sessions/{session['id']}/answers", json={"countries": SOLAR["countries"]}
        )
        assert ordinary_patches == []
        assert "countries" in (await stored(database_url, session["id"]))["chat_state"]["closed"]

    async def test_without_the_read_scope_no_answers_come_back(
        self, client, make_key, ordinary_patches
    ):
        writer = await make_key("writer", "write", owner="firm")
        created = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": {"filing": {"total_pages": 2}}},
            headers=bearer(writer),
        )
        response = await client.patch(
            f"/api/sessions/{created.json()['id']}/answers",
            json={"filing": {"total_pages": 3}},
            headers=bearer(writer),
        )
        assert response.status_code == 200 and ordinary_patches == []
        assert response.json()["answers"] == {} and response.json()["revision"] == 2


class TestRefusalsAsBefore:
    async def test_a_refused_value_saves_nothing(self, client, database_url, ordinary_patches):
        session = await create(client, SOLAR)
        before = await stored(database_url, session["id"])
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"total_pages": 13, "date": "24 April"}},
        )
        assert response.status_code == 422
        assert [e["path"] for e in response.json()["errors"]] == ["filing.date"]
        assert await stored(database_url, session["id"]) == before
        assert ordinary_patches == []

    async def test_if_match_another_revision_is_412_with_the_current_one(
        self, client, database_url, ordinary_patches
    ):
        session = await create(client, SOLAR)
        before = await stored(database_url, session["id"])
        stale = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"total_pages": 14}},
            headers={"If-Match": '"7"'},
        )
        assert stale.status_code == 412
        assert stale.headers["etag"] == '"1"' and stale.json()["revision"] == 1
        assert await stored(database_url, session["id"]) == before
        current = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"total_pages": 14}},
            headers={"If-Match": '"1"'},
        )
        assert current.status_code == 200 and current.headers["etag"] == '"2"'
        assert ordinary_patches == []

    async def test_another_owners_session_is_not_found(self, client, make_key):
        session = await create(client, SOLAR)
        other = await make_key("other", "read,write", owner="someone else")
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"total_pages": 14}},
            headers=bearer(other),
        )
        assert response.status_code == 404

    async def test_a_patch_that_changes_nothing_writes_no_revision(
        self, client, database_url, ordinary_patches
    ):
        session = await create(client, SOLAR)
        before = await stored(database_url, session["id"])
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"date": SOLAR["filing"]["date"]}},
        )
        assert response.status_code == 200 and response.headers["etag"] == '"1"'
        assert response.json() == (await client.get(f"/api/sessions/{session['id']}")).json()
        assert await stored(database_url, session["id"]) == before
        assert ordinary_patches == []

    async def test_a_body_that_is_not_an_object_is_400(self, client):
        session = await create(client, SOLAR)
        for body in (b"[1]", b'"x"', b"null", b"{"):
            response = await client.patch(
                f"/api/sessions/{session['id']}/answers",
                content=body,
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code == 400, body


class TestTheOrdinaryPathWhereNeeded:
    async def test_a_stale_derived_state(self, client, database_url, ordinary_patches):
        session = await create(client, SOLAR)
        await forget_derived(database_url, session["id"])
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers", json={"filing": {"total_pages": 14}}
        )
        assert response.status_code == 200 and len(ordinary_patches) == 1
        assert response.json()["revision"] == 2

    async def test_someone_wrote_since_it_was_read(
        self, client, database_url, monkeypatch, ordinary_patches
    ):
        """Between the read and the write another writer writes: nothing is written from the
        stale read; the PATCH is worked out again over the newer answers, and lands on them."""
        session = await create(client, SOLAR)
        read = written_elsewhere_after_the_first_read(monkeypatch, client, database_url, session)
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers", json={"filing": {"total_pages": 14}}
        )
        assert response.status_code == 200
        assert read == [1, 2]
        assert len(ordinary_patches) == 1  # the other writer's, through the service
        body = response.json()
        assert body["revision"] == 3 and response.headers["etag"] == '"3"'
        assert body["answers"]["filing"]["total_pages"] == 14
        assert body["answers"]["product"]["short_name"] == "moved on"
        assert body == (await client.get(f"/api/sessions/{session['id']}")).json()
        log = (await stored(database_url, session["id"]))["log"]
        assert [(r[0], r[3]) for r in log[-2:]] == [
            (2, "product.short_name"),
            (3, "filing.total_pages"),
        ]

    async def test_if_match_and_someone_wrote_since_it_was_read(
        self, client, database_url, monkeypatch
    ):
        session = await create(client, SOLAR)
        written_elsewhere_after_the_first_read(monkeypatch, client, database_url, session)
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"filing": {"total_pages": 14}},
            headers={"If-Match": '"1"'},
        )
        assert response.status_code == 412
        assert response.headers["etag"] == '"2"'
        assert (await stored(database_url, session["id"]))["derived"][2] == 2


def write_elsewhere(database_url: str, packs, session_id: str) -> None:
    """Another writer's revision, written (through the service, on an engine of its own)
    while this PATCH is being worked out."""

    async def write() -> None:
        from sqlalchemy.ext.asyncio import AsyncSession

        engine = create_async_engine(database_url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as db:
                await SessionService(db, packs).patch_answers(
                    uuid.UUID(session_id),
                    {"product": {"short_name": "moved on"}},
                    Actor(name="elsewhere", is_admin=True),
                )
        finally:
            await engine.dispose()

    run_outside_the_test_loop(write)

"""GET of a session is answered from one statement that reads the key and the session
together, its answers sent as the stored JSON text: the same answer as the ordinary path's,
and a revoked key still stops at once."""

import json
from pathlib import Path

import pytest

from service.sessions.service import SessionService
from tests.api.test_derived_state import forget_derived
from tests.api.test_sessions import create
from tests.conftest import bearer

SOLAR = json.loads((Path(__file__).parents[2] / "examples" / "solar-2024.json").read_text())


@pytest.fixture
def ordinary_reads(monkeypatch):
    """The sessions read by the ordinary path (the service), not as stored."""
    read = []
    real = SessionService.get

    async def counting(self, session_id, actor):
        read.append(session_id)
        return await real(self, session_id, actor)

    monkeypatch.setattr(SessionService, "get", counting)
    return read


class TestStoredSession:
    async def test_read_as_stored_equals_the_written_answer(self, client, ordinary_reads):
        answers = {
            **SOLAR,
            # Characters a JSON text may spell in several ways must come back as sent.
            "filing": {**SOLAR["filing"], "version": "public"},
            "petitioners": [{**SOLAR["petitioners"][0], "name": "Société Ω “quoted” 😀"}],
        }
        written = await create(client, answers)
        response = await client.get(f"/api/sessions/{written['id']}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["etag"] == f'"{written["revision"]}"'
        assert list(response.json()) == list(written)
        assert response.json() == written
        assert ordinary_reads == []

    async def test_problems_come_without_what_only_the_engine_keeps(self, client):
        written = await create(client, {"filing": {"date": "2024-04-24"}})
        read = (await client.get(f"/api/sessions/{written['id']}")).json()
        assert read["problems"] and read["problems"] == written["problems"]
        assert all(set(p) == {"path", "message", "severity", "code"} for p in read["problems"])

    async def test_a_session_without_stored_state_takes_the_ordinary_path(
        self, client, database_url, ordinary_reads
    ):
        written = await create(client, {"filing": {"date": "2024-04-24"}})
        await forget_derived(database_url, written["id"])
        ordinary = ordinary_reads
        read = (await client.get(f"/api/sessions/{written['id']}")).json()
        assert len(ordinary) == 1
        assert read["problems"] == written["problems"]
        again = (await client.get(f"/api/sessions/{written['id']}")).json()
        assert len(ordinary) == 1  # filled by the first read, served as stored since
        assert again == read

    async def test_another_owners_session_is_not_found(self, client, make_key):
        written = await create(client, {"filing": {"date": "2024-04-24"}})
        other = await make_key("other", "read,write", owner="someone else")
        response = await client.get(f"/api/sessions/{written['id']}", headers=bearer(other))
        assert response.status_code == 404

    async def test_a_revoked_key_stops_at_once(self, client, make_key, database_url):
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        from service.auth import tokens
        from service.auth.service import KeyService

        key = await make_key("reader", "read,write", owner="reader")
        written = (
            await client.post("/api/sessions", json={"pack": "adcvd-petition"}, headers=bearer(key))
        ).json()
        path = f"/api/sessions/{written['id']}"
        assert (await client.get(path, headers=bearer(key))).status_code == 200
        engine = create_async_engine(database_url)
        async with AsyncSession(engine) as db:
            await KeyService(db).revoke(tokens.key_id_of(key))
        await engine.dispose()
        assert (await client.get(path, headers=bearer(key))).status_code == 401

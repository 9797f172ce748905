"""What the engine derives (status, progress, problems, title) is computed once when a revision
is written and read back afterwards; sessions written before it was stored get it on first read."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from service.interview import engine
from tests.api.test_sessions import create


@pytest.fixture
def engine_runs(monkeypatch):
    """How many times the pack's rules ran over a set of answers (the engine's costly part),
    whoever asked for them."""
    calls = []
    real = engine.rule_problems

    def counting(pack, answers, *walked):
        calls.append(1)
        return real(pack, answers, *walked)

    monkeypatch.setattr(engine, "rule_problems", counting)
    return calls


async def forget_derived(database_url, session_id):
    """As a session written before the derived columns existed looks."""
    engine = create_async_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE interview_session SET derived_for = NULL, progress_answered = NULL, progress_required = NULL,"
                " open_errors = NULL, open_warnings = NULL, problems = NULL"
            )
        )
    await engine.dispose()


class TestOncePerRevision:
    async def test_reads_do_not_run_the_engine(self, client, engine_runs):
        session = await create(client, {"filing": {"date": "2024-04-24"}})
        engine_runs.clear()
        read = (await client.get(f"/api/sessions/{session['id']}")).json()
        await client.get(f"/api/sessions/{session['id']}/next")
        await client.get("/api/sessions")
        page = await client.get(f"/sessions/{session['id']}/steps/filing")
        assert page.status_code == 200
        assert engine_runs == []
        assert read["problems"] == session["problems"]
        assert read["progress"] == session["progress"]

    async def test_a_patch_runs_the_engine_once(self, client, engine_runs):
        session = await create(client)
        engine_runs.clear()
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers", json={"filing": {"total_pages": 13}}
        )
        assert response.status_code == 200
        assert len(engine_runs) == 1

    async def test_what_is_stored_is_what_the_engine_says(self, client, solar_answers):
        from service.interview.engine import open_problems, progress

        del solar_answers["representative_certification"]["capacity"]
        session = await create(client, solar_answers)
        pack = client.app.state.packs.get("adcvd-petition")
        expected = open_problems(pack, solar_answers)
        assert [
            (p["path"], p["code"], p["severity"], p["message"]) for p in session["problems"]
        ] == [(p.path, p.code, p.severity, p.message) for p in expected]
        p = progress(pack, solar_answers)
        assert session["progress"] == {
            "answered": p.answered,
            "required": p.required,
            "percent": p.percent,
        }


class TestFilledOnFirstRead:
    async def test_a_session_without_derived_state_reads_the_same(
        self, client, database_url, solar_answers, engine_runs
    ):
        del solar_answers["representative_certification"]["capacity"]
        session = await create(client, solar_answers)
        await forget_derived(database_url, session["id"])
        engine_runs.clear()
        first = (await client.get(f"/api/sessions/{session['id']}")).json()
        second = (await client.get(f"/api/sessions/{session['id']}")).json()
        assert len(engine_runs) == 1
        for body in (first, second):
            assert body["problems"] == session["problems"]
            assert body["progress"] == session["progress"]
            assert (body["revision"], body["updated_at"]) == (
                session["revision"],
                session["updated_at"],
            )

    async def test_the_list_fills_them_too(self, client, database_url, solar_answers):
        session = await create(client, solar_answers)
        await forget_derived(database_url, session["id"])
        (item,) = (await client.get("/api/sessions")).json()["items"]
        assert item["progress"] == session["progress"]
        assert item["updated_at"] == session["updated_at"]

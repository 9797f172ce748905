"""The rule families through the HTTP API: a few cases of tests/packs/petition_rule_cases.py
per kind of outcome, on both databases, starting from the corrected 2024 answers. Every case
is tested as a plain function of the pack in tests/packs/test_petition_rules.py; here it is
the wiring that is proven: the session's ``problems`` are the engine's, an error blocks the
packet (409), a warning does not (201), and a refused value saves nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.packs.petition_rule_cases import CLEAN, FINDINGS, REFUSED, merge_patch
from tests.support import docx_text

# An error, an error found across volumes, and a warning that leaves the packet to generate.
WIRED_FINDINGS = (
    "the 2024 letter's Exhibit I-24",
    "a CVD case without a CVD volume",
    "Lutnick in 2024",
)
WIRED_CLEAN = ("Exhibit I-24 in the (c)(11) list as well", "Lutnick later in 2025")
WIRED_REFUSED = ("an ITC CVD number of four digits",)


def shown(problem: dict[str, Any]) -> tuple[str, str, str]:
    return problem["path"], problem["severity"], problem["code"]


async def start(client, answers: dict[str, Any]) -> str:
    response = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
    )
    assert response.status_code == 201, response.text
    assert response.json()["problems"] == []
    return response.json()["id"]


async def patch(client, session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.patch(f"/api/sessions/{session_id}/answers", json=body)
    assert response.status_code == 200, response.text
    return response.json()


class TestFindings:
    @pytest.mark.parametrize("name", WIRED_FINDINGS)
    async def test_reported_with_path_severity_and_code(self, client, solar_answers, name):
        finding = FINDINGS[name]
        session_id = await start(client, solar_answers)
        body = await patch(client, session_id, merge_patch(solar_answers, finding.changes))

        problems = body["problems"]
        wanted = (finding.path, finding.severity, finding.code)
        assert wanted in [shown(p) for p in problems], problems
        assert all(p["message"] for p in problems)
        # Reading the session again gives the same problems, word for word.
        assert (await client.get(f"/api/sessions/{session_id}")).json()["problems"] == problems

        generated = await client.post(f"/api/sessions/{session_id}/documents")
        if finding.severity == "error":
            assert generated.status_code == 409, generated.text
            assert wanted in [shown(e) for e in generated.json()["errors"]]
            assert body["status"] == "in_progress"
        else:
            # A warning alone: nothing else may stand in the way of the packet.
            assert [shown(p) for p in problems if p["severity"] == "error"] == []
            assert generated.status_code == 201, generated.text
            assert body["status"] == "complete"

    @pytest.mark.parametrize("name", WIRED_CLEAN)
    async def test_clean_changes_leave_the_packet_clean(self, client, solar_answers, name):
        changes = CLEAN[name]
        session_id = await start(client, solar_answers)
        body = await patch(client, session_id, merge_patch(solar_answers, changes))
        assert body["problems"] == []
        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 201, generated.text


class TestRefusedValues:
    """A value of the wrong form is refused by its field's own check: nothing is saved."""

    @pytest.mark.parametrize("name", WIRED_REFUSED)
    async def test_refused_with_its_path(self, client, solar_answers, name):
        body, path, code = REFUSED[name]
        session_id = await start(client, solar_answers)
        response = await client.patch(f"/api/sessions/{session_id}/answers", json=body)
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert (error["path"], error["severity"], error["code"]) == (path, "error", code)
        assert (await client.get(f"/api/sessions/{session_id}")).json()["revision"] == 1


class TestGrammar:
    @pytest.mark.parametrize(
        ("petitioners", "right", "wrong"),
        [
            (
                1,
                ["Petitioner agrees in principle", "Petitioner's Business Proprietary Information"],
                ["Petitioner agree ", "Petitioners"],
            ),
            (
                2,
                ["Petitioners agree in principle", "Petitioners' Business Proprietary Information"],
                ["Petitioners agrees", "Petitioner agree"],
            ),
        ],
    )
    async def test_the_letter_agrees_with_the_number_of_petitioners(
        self, client, solar_answers, petitioners, right, wrong
    ):
        union = {"name": "United Steelworkers", "short_name": "USW", "basis": "D"}
        solar_answers["petitioners"] += [union][: petitioners - 1]
        session_id = await start(client, solar_answers)
        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 201, generated.text
        letter = next(d for d in generated.json() if d["kind"] == "cover-letter")
        text = docx_text((await client.get(letter["download"])).content)
        for words in right:
            assert words in text
        for words in wrong:
            assert words not in text


class TestChat:
    async def test_a_reply_that_breaks_a_rule_is_saved_and_reported_as_by_patch(
        self, client, solar_answers
    ):
        del solar_answers["filing"]["date"]
        chatted = await start_incomplete(client, solar_answers)
        asked = (await client.get(f"/api/sessions/{chatted}/next")).json()["question"]
        assert asked["id"] == "filing.date"

        reply = await client.post(f"/api/sessions/{chatted}/reply", json={"text": "March 3, 2025"})
        assert reply.status_code == 200, reply.text
        assert reply.json()["saved"] is True
        session = (await client.get(f"/api/sessions/{chatted}")).json()
        assert session["answers"]["filing"]["date"] == "2025-03-03"
        found = [shown(p) for p in session["problems"]]
        assert ("addressees.commerce_secretary", "warning", "addressee.not_officeholder") in found
        assert ("counsel_certification.date", "error", "certification.date_unconfirmed") in found

        patched = await start_incomplete(client, solar_answers)
        body = await patch(client, patched, {"filing": {"date": "2025-03-03"}})
        assert body["problems"] == session["problems"]

    async def test_the_chat_asks_to_confirm_a_differing_date(self, client, solar_answers):
        del solar_answers["counsel_certification"]["date"]
        session_id = await start_incomplete(client, solar_answers)
        await answer_until(client, session_id, "counsel_certification.date", "April 23, 2024")
        asked = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        assert asked["id"] == "counsel_certification.date_confirmed"
        assert (
            asked["prompt"]
            == "This certification is dated differently from the filing date. Is that date right?"
        )
        problems = (await client.get(f"/api/sessions/{session_id}")).json()["problems"]
        assert [shown(p) for p in problems] == [
            ("counsel_certification.date", "error", "certification.date_unconfirmed")
        ]

        await client.post(f"/api/sessions/{session_id}/reply", json={"text": "yes"})
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["counsel_certification"]["date_confirmed"] is True
        assert session["problems"] == []


async def start_incomplete(client, answers: dict[str, Any]) -> str:
    response = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def answer_until(client, session_id: str, target: str, text: str, limit: int = 200) -> None:
    """Skip the optional questions the example leaves open until ``target`` is asked, then
    answer it with ``text``."""
    for _ in range(limit):
        asked = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        reply = text if asked["id"] == target else "skip"
        response = await client.post(f"/api/sessions/{session_id}/reply", json={"text": reply})
        assert response.status_code == 200, response.text
        if asked["id"] == target:
            return
        assert response.json()["problems"] == [], response.json()
    raise AssertionError(f"{target} was never asked")

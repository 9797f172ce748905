"""The federal-register-rule pack through the API and the chat, as the petition goes: the 2013
SBA rule answered one question at a time, its document generated; the plain checks it
declares as data (RIN, effective date after signature, amended sections in the part)."""

from __future__ import annotations

import copy
import io
import json
import zipfile

import pytest

from tests.conftest import REPO
from tests.support import chat_answer, docx_text

PACK = "federal-register-rule"


@pytest.fixture
def rule_answers() -> dict:
    return json.loads((REPO / "examples" / "sba-size-standards-2013.json").read_text())


async def start(client, answers=None) -> str:
    created = await client.post("/api/sessions", json={"pack": PACK, "answers": answers or {}})
    assert created.status_code == 201, created.text
    return created.json()["id"]


class TestThroughTheChat:
    async def test_the_2013_rule_answered_by_reply_then_generated(self, client, rule_answers):
        session_id = await start(client)
        replies = 0
        while not (step := (await client.get(f"/api/sessions/{session_id}/next")).json())[
            "complete"
        ]:
            text = chat_answer(step["question"], rule_answers)
            body = (
                await client.post(f"/api/sessions/{session_id}/reply", json={"text": text})
            ).json()
            assert not body["problems"], (step["question"]["id"], body["problems"])
            replies += 1
            assert replies < 300
        assert replies > 40  # every section, subject and amendment went through /reply

        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["rule"] == rule_answers["rule"]
        assert session["answers"]["sections"][1]["table"] == rule_answers["sections"][1]["table"]
        assert (
            session["answers"]["amendments"][1]["section"]
            == rule_answers["amendments"][1]["section"]
        )

        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 201, generated.text
        (document,) = generated.json()
        assert document["file_name"] == "Final Rule.docx"
        archive = await client.get(f"/api/sessions/{session_id}/documents.zip")
        with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
            text = docx_text(files.read("Final Rule.docx"))
        assert "RIN 3245-AG44" in text
        assert "DATES: This rule is effective July 22, 2013." in text
        assert "PART 121—SMALL BUSINESS SIZE REGULATIONS" in text
        assert "Dated: June 13, 2013.\nKaren G. Mills,\nAdministrator." in text

    async def test_a_rin_that_is_not_nnnn_axnn_is_refused_in_the_chat(self, client):
        session_id = await start(client, {"agency": {"name": "A", "full_name": "A", "short": "A"},
                                          "rule": {"cfr_title": 13, "cfr_part": 121}})  # fmt: skip
        question = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        assert question["id"] == "rule.rin"
        body = (
            await client.post(f"/api/sessions/{session_id}/reply", json={"text": "3245-G44"})
        ).json()
        assert body["saved"] is False
        assert body["problems"][0]["path"] == "rule.rin"


class TestChecks:
    async def test_a_bad_rin_is_refused_with_its_field(self, client, rule_answers):
        session_id = await start(client)
        refused = await client.patch(
            f"/api/sessions/{session_id}/answers", json={"rule": {"rin": "RIN 3245-AG44"}}
        )
        assert refused.status_code == 422
        (error,) = refused.json()["errors"]
        assert error["path"] == "rule.rin"
        assert "must be a RIN: four digits, a hyphen, A, a capital letter" in error["message"]

    async def test_an_effective_date_not_after_the_signature_blocks_generation(
        self, client, rule_answers
    ):
        answers = copy.deepcopy(rule_answers)
        answers["rule"]["effective_date"] = "2013-06-13"
        session_id = await start(client, answers)
        blocked = await client.post(f"/api/sessions/{session_id}/documents")
        assert blocked.status_code == 409
        (error,) = blocked.json()["errors"]
        assert error["path"] == "rule.effective_date"
        assert error["code"] == "rule.effective_not_after_signature"
        assert error["message"] == "The rule must take effect after the date it is signed."

    async def test_an_amended_section_outside_the_part_is_named_by_its_amendment(
        self, client, rule_answers
    ):
        answers = copy.deepcopy(rule_answers)
        answers["amendments"][1]["section"]["number"] = "125.6"
        session_id = await start(client, answers)
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        problems = [p for p in session["problems"] if p["code"] == "rule.section_outside_part"]
        assert [p["path"] for p in problems] == ["amendments[1].section.number"]

    async def test_the_example_is_complete_and_has_no_problem(self, client, rule_answers):
        session_id = await start(client, rule_answers)
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["problems"] == []
        assert session["status"] == "complete"

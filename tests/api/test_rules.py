"""Every rule family through the HTTP API, starting from the corrected 2024 answers.

Each case changes a few answers by PATCH, then looks for the problem in the session's
``problems`` (its path, severity and code) and tries to generate the packet: an error blocks
it (409), a warning does not (201). Each family also has changes that keep the packet clean.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from service.interview import paths
from tests.support import docx_text

DELETE = object()
Change = tuple[str, Any]


def merge_patch(answers: dict[str, Any], changes: tuple[Change, ...]) -> dict[str, Any]:
    """The JSON merge patch that makes ``changes`` to ``answers``: a list is sent whole (merge
    patch replaces lists), anything else by its own path (None removes it)."""
    changed = copy.deepcopy(answers)
    patch: dict[str, Any] = {}
    for path, value in changes:
        keys = paths.split(path)
        if value is DELETE:
            paths.remove(changed, keys)
        else:
            paths.assign(changed, keys, value)
        first_index = next((i for i, key in enumerate(keys) if isinstance(key, int)), None)
        if first_index is None:
            paths.assign(patch, keys, None if value is DELETE else value)
        else:
            list_keys = keys[:first_index]
            paths.assign(patch, list_keys, paths.get(changed, list_keys))
    return patch


def filed_on(day: str, commerce: str) -> tuple[Change, ...]:
    """A later filing date, with every certification left to take it by default."""
    return (
        ("filing.date", day),
        ("addressees.commerce_secretary", commerce),
        *((f"company_certifications[{i}].date", DELETE) for i in range(4)),
        ("representative_certification.date", DELETE),
        ("counsel_certification.date", DELETE),
    )


@dataclass(frozen=True)
class Finding:
    changes: tuple[Change, ...]
    path: str
    severity: str
    code: str


CAMBODIA_AS_CHILE = (
    ("countries[0].name", "Chile"),
    ("volumes[1].country", "Chile"),
    ("volumes[5].country", "Chile"),
)

FINDINGS = {
    # -- facts the rule library has not verified: warnings that say so ---------------------
    "an unverified code that matches": Finding(
        (*CAMBODIA_AS_CHILE, ("countries[0].ad_case", "A-337-003"), ("countries[0].cvd_case", "C-337-004")),
        "countries[0].ad_case", "warning", "case.country_code_unverified",
    ),
    "(c)(8) in a CVD volume that holds BPI (unverified wording)": Finding(
        (("volumes[5].has_bpi", True), ("volumes[5].bpi_items", [{"paragraph": 8, "pages": [3]}])),
        "volumes[5].bpi_items[0].paragraph", "warning", "bpi.wording_unverified",
    ),
    "(c)(7) in an AD volume (unverified wording)": Finding(
        (("volumes[1].bpi_items[8]", {"paragraph": 7, "pages": [3]}),),
        "volumes[1].bpi_items[8].paragraph", "warning", "bpi.wording_unverified",
    ),
    "one person certifying for two companies": Finding(
        (("company_certifications[1].name", "Hari Achuthan"),),
        "company_certifications[1].name", "warning", "certification.person_for_two_companies",
    ),
    # -- case numbers ---------------------------------------------------------------------
    "country code of another country (verified code)": Finding(
        (("countries[0].ad_case", "A-557-003"),),
        "countries[0].ad_case", "error", "case.country_code_mismatch",
    ),
    "country code of a country whose code is unverified": Finding(
        (*CAMBODIA_AS_CHILE, ("countries[0].ad_case", "A-338-003"), ("countries[0].cvd_case", "C-337-004")),
        "countries[0].ad_case", "warning", "case.country_code_mismatch",
    ),
    "AD and CVD serials not consecutive": Finding(
        (("countries[0].cvd_case", "C-555-010"),),
        "countries[0].cvd_case", "warning", "case.serials_not_consecutive",
    ),
    "a case number used twice": Finding(
        (("countries[1].ad_case", "A-555-003"),),
        "countries[1].ad_case", "error", "case.duplicate",
    ),
    "a CVD case without a CVD volume": Finding(
        (("volumes[5].country", "Malaysia"),),
        "countries[0].cvd_case", "error", "case.volume_missing",
    ),
    "an AD case without an AD volume": Finding(
        (("volumes[4].kind", "CVD"),),
        "countries[3].ad_case", "error", "case.volume_missing",
    ),
    "a CVD volume without a CVD case": Finding(
        (("countries[0].cvd_case", DELETE),),
        "volumes[5].country", "warning", "volume.case_missing",
    ),
    # -- ITC numbers ----------------------------------------------------------------------
    "three CVD investigations for four countries": Finding(
        (("itc.cvd_numbers", "701-TA-722-724"),),
        "itc.cvd_numbers", "warning", "itc.count_mismatch",
    ),
    "one AD investigation for four countries": Finding(
        (("itc.ad_numbers", "731-TA-1690"),),
        "itc.ad_numbers", "warning", "itc.count_mismatch",
    ),
    # -- BPI --------------------------------------------------------------------------------
    "an exhibit of Volume I cited in Volume II": Finding(
        (("volumes[1].bpi_items[0].exhibits", ["II-1", "I-4", "II-18"]),),
        "volumes[1].bpi_items[0].exhibits[1]", "error", "bpi.exhibit_wrong_volume",
    ),
    "the 2024 letter's Exhibit I-24": Finding(
        (("volumes[0].bpi_items[2].exhibits", ["I-24", "I-33"]),),
        "volumes[0].bpi_items[2].exhibits[0]", "error", "bpi.not_in_summary",
    ),
    "a page outside the (c)(11) list": Finding(
        (("volumes[0].bpi_items[2].pages", [43, 44, 60]),),
        "volumes[0].bpi_items[2].pages[2]", "error", "bpi.not_in_summary",
    ),
    "(c)(7) in a CVD volume": Finding(
        (("volumes[5].has_bpi", True), ("volumes[5].bpi_items", [{"paragraph": 7, "pages": [3]}])),
        "volumes[5].bpi_items[0].paragraph", "error", "bpi.paragraph_wrong_proceeding",
    ),
    "(c)(8) in an AD volume": Finding(
        (("volumes[1].bpi_items[8]", {"paragraph": 8, "pages": [3]}),),
        "volumes[1].bpi_items[8].paragraph", "error", "bpi.paragraph_wrong_proceeding",
    ),
    "(c)(8) in the general volume": Finding(
        (("volumes[0].bpi_items[7]", {"paragraph": 8, "pages": [3]}),),
        "volumes[0].bpi_items[7].paragraph", "error", "bpi.paragraph_wrong_proceeding",
    ),
    "BPI items in a volume marked public-only": Finding(
        (("volumes[5].bpi_items", [{"paragraph": 8, "pages": [3]}]),),
        "volumes[5].bpi_items", "error", "bpi.items_without_bpi",
    ),
    "an item citing nothing": Finding(
        (("volumes[0].bpi_items[7]", {"paragraph": 2, "pages": [], "exhibits": []}),),
        "volumes[0].bpi_items[7]", "error", "bpi.empty_item",
    ),
    # -- certifications -------------------------------------------------------------------
    "a member company without a certification": Finding(
        (("company_certifications[1]", DELETE),),
        "company_certifications", "error", "certification.company_missing",
    ),
    "no capacity for the representative": Finding(
        (("representative_certification.capacity", DELETE),),
        "representative_certification.capacity", "error", "required",
    ),
    "a representative who does not sign the letter": Finding(
        (("representative_certification.name", "Jane Q. Public"),),
        "representative_certification.name", "error", "certification.counsel_not_attorney",
    ),
    "certifying counsel who does not sign the letter": Finding(
        (("counsel_certification.name", "Jane Q. Public"),),
        "counsel_certification.name", "error", "certification.counsel_not_attorney",
    ),
    "a company certification dated before the filing": Finding(
        (("company_certifications[0].date", "2024-04-15"),),
        "company_certifications[0].date", "error", "certification.date_unconfirmed",
    ),
    "a representative certification dated after the filing": Finding(
        (("representative_certification.date", "2024-04-25"),),
        "representative_certification.date", "error", "certification.date_unconfirmed",
    ),
    "a date the user said is not right": Finding(
        (("counsel_certification.date", "2023-04-24"), ("counsel_certification.date_confirmed", False)),
        "counsel_certification.date", "error", "certification.date_unconfirmed",
    ),
    "every certification dated otherwise after the filing date moved": Finding(
        (("filing.date", "2024-04-25"),),
        "company_certifications[3].date", "error", "certification.date_unconfirmed",
    ),
    # -- addressees -----------------------------------------------------------------------
    "Raimondo after Lutnick took office": Finding(
        filed_on("2025-03-03", "Gina M. Raimondo"),
        "addressees.commerce_secretary", "warning", "addressee.not_officeholder",
    ),
    "Raimondo on Lutnick's first day": Finding(
        filed_on("2025-02-21", "Gina M. Raimondo"),
        "addressees.commerce_secretary", "warning", "addressee.not_officeholder",
    ),
    "Lutnick in 2024": Finding(
        (("addressees.commerce_secretary", "Howard Lutnick"),),
        "addressees.commerce_secretary", "warning", "addressee.not_officeholder",
    ),
    "someone else for the ITC": Finding(
        (("addressees.itc_secretary", "Someone Else"),),
        "addressees.itc_secretary", "warning", "addressee.not_officeholder",
    ),
}

CLEAN = {
    # -- case numbers ---------------------------------------------------------------------
    "the country named as petitions write it": (("countries[0].name", "the Kingdom of Cambodia"),),
    "other consecutive serials": (("countries[0].ad_case", "A-555-010"), ("countries[0].cvd_case", "C-555-011")),
    "serials that wrap": (("countries[0].ad_case", "A-555-999"), ("countries[0].cvd_case", "C-555-000")),
    "a volume naming its country another way": (("volumes[5].country", "Kingdom of Cambodia"),),
    # -- ITC numbers ----------------------------------------------------------------------
    "the numbers the Commission assigned": (
        ("itc.cvd_numbers", "701-TA-722-725"), ("itc.ad_numbers", "731-TA-1690-1693"),
    ),
    # -- BPI --------------------------------------------------------------------------------
    "Exhibit I-24 in the (c)(11) list as well": (
        ("volumes[0].bpi_items[2].exhibits", ["I-24", "I-33"]),
        ("volumes[0].bpi_items[6].exhibits", ["I-3", "I-4", "I-7", "I-15", "I-16", "I-19", "I-24", "I-25", "I-30", "I-31", "I-33", "I-34"]),
    ),
    "a volume marked public-only without items": (
        ("volumes[1].has_bpi", False), ("volumes[1].bpi_items", DELETE),
    ),
    "an item citing only the Exhibit List": (
        ("volumes[0].bpi_items[7]", {"paragraph": 2, "exhibit_list": True}),
    ),
    # -- certifications -------------------------------------------------------------------
    "a company named without its punctuation": (("company_certifications[1].company", "FIRST SOLAR INC"),),
    "the representative certifies as adviser": (("representative_certification.capacity", "adviser"),),
    "another attorney of the letter certifies": (("counsel_certification.name", "Stephanie M. Bell"),),
    "a company certification dated earlier, confirmed": (
        ("company_certifications[0].date", "2024-04-15"), ("company_certifications[0].date_confirmed", True),
    ),
    "a representative certification dated later, confirmed": (
        ("representative_certification.date", "2024-04-25"), ("representative_certification.date_confirmed", True),
    ),
    "a confirmation left over from an earlier date": (("counsel_certification.date_confirmed", False),),
    # -- addressees -----------------------------------------------------------------------
    "Lutnick on his first day": filed_on("2025-02-21", "Howard Lutnick"),
    "Lutnick later in 2025": filed_on("2025-06-02", "Howard Lutnick"),
    "Raimondo in December 2024": filed_on("2024-12-02", "Gina M. Raimondo"),
    "a name the table does not know, while an acting secretary served": filed_on("2025-02-03", "Jeremy Pelter"),
    "Raimondo without her middle initial": (("addressees.commerce_secretary", "Gina Raimondo"),),
}


def shown(problem: dict[str, Any]) -> tuple[str, str, str]:
    return problem["path"], problem["severity"], problem["code"]


async def start(client, answers: dict[str, Any]) -> str:
    response = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": answers})
    assert response.status_code == 201, response.text
    assert response.json()["problems"] == []
    return response.json()["id"]


async def patch(client, session_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.patch(f"/api/sessions/{session_id}/answers", json=body)
    assert response.status_code == 200, response.text
    return response.json()


class TestFindings:
    @pytest.mark.parametrize("finding", FINDINGS.values(), ids=FINDINGS.keys())
    async def test_reported_with_path_severity_and_code(self, client, solar_answers, finding):
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

    @pytest.mark.parametrize("changes", CLEAN.values(), ids=CLEAN.keys())
    async def test_clean_changes_leave_the_packet_clean(self, client, solar_answers, changes):
        session_id = await start(client, solar_answers)
        body = await patch(client, session_id, merge_patch(solar_answers, changes))
        assert body["problems"] == []
        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 201, generated.text


REFUSED = {
    "an ITC CVD number of four digits": ({"itc": {"cvd_numbers": "701-TA-7220"}}, "itc.cvd_numbers", "value.pattern"),
    "an ITC AD number of three digits": ({"itc": {"ad_numbers": "731-TA-169"}}, "itc.ad_numbers", "value.pattern"),
    "AD numbers in the CVD field": ({"itc": {"cvd_numbers": "731-TA-__"}}, "itc.cvd_numbers", "value.pattern"),
    "a capacity the rule does not know": (
        {"representative_certification": {"capacity": "lawyer"}}, "representative_certification.capacity", "value.enum",
    ),
    "a date confirmation that is not yes or no": (
        {"counsel_certification": {"date_confirmed": "yes"}}, "counsel_certification.date_confirmed", "value.type",
    ),
}


class TestRefusedValues:
    """A value of the wrong form is refused by its field's own check: nothing is saved."""

    @pytest.mark.parametrize(("body", "path", "code"), REFUSED.values(), ids=REFUSED.keys())
    async def test_refused_with_its_path(self, client, solar_answers, body, path, code):
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
            (1, ["Petitioner agrees in principle", "Petitioner's Business Proprietary Information"], ["Petitioner agree ", "Petitioners"]),
            (2, ["Petitioners agree in principle", "Petitioners' Business Proprietary Information"], ["Petitioners agrees", "Petitioner agree"]),
        ],
    )
    async def test_the_letter_agrees_with_the_number_of_petitioners(self, client, solar_answers, petitioners, right, wrong):
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
    async def test_a_reply_that_breaks_a_rule_is_saved_and_reported_as_by_patch(self, client, solar_answers):
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
        assert asked["prompt"] == "This certification is dated differently from the filing date. Is that date right?"
        problems = (await client.get(f"/api/sessions/{session_id}")).json()["problems"]
        assert [shown(p) for p in problems] == [("counsel_certification.date", "error", "certification.date_unconfirmed")]

        await client.post(f"/api/sessions/{session_id}/reply", json={"text": "yes"})
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["counsel_certification"]["date_confirmed"] is True
        assert session["problems"] == []


async def start_incomplete(client, answers: dict[str, Any]) -> str:
    response = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": answers})
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
        assert response.json()["problems"] == [] or asked["id"] == target, response.json()
        if asked["id"] == target:
            return
    raise AssertionError(f"{target} was never asked")

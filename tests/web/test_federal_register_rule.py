"""The federal-register-rule pack in the web form: its pages come from its definition, the 2013
rule is shown as typed, and a bad RIN is said next to its field with nothing lost."""

from __future__ import annotations

import json

import yaml

from tests.conftest import REPO
from tests.web.pages import answers_of, document, form_values, problems_of, start, submit
from tests.web.test_controllers import assert_accessible

PACK = "federal-register-rule"
EXAMPLE = json.loads((REPO / "examples" / "sba-size-standards-2013.json").read_text())
STEPS = [
    s["id"]
    for s in yaml.safe_load((REPO / "schemas" / PACK / "interview.yaml").read_text())["steps"]
]


class TestRulePages:
    async def test_every_step_shows_the_2013_rule_as_typed(self, client):
        session_id = await start(client, PACK, EXAMPLE)
        for step in STEPS:
            page = await client.get(f"/sessions/{session_id}/steps/{step}")
            assert page.status_code == 200, step
            assert_accessible(page.text)
        values = form_values((await client.get(f"/sessions/{session_id}/steps/supplementary")).text)
        assert values["sections[0].text"] == EXAMPLE["sections"][0]["text"]
        assert values["sections[1].table.rows"] == EXAMPLE["sections"][1]["table"]["rows"]
        heading = form_values((await client.get(f"/sessions/{session_id}/steps/heading")).text)
        assert heading["rule.rin"] == "3245-AG44"
        review = await client.get(f"/sessions/{session_id}/review")
        assert review.status_code == 200
        assert (
            "Support Activities for Oil and Gas Operations" in document(review.text).text_content()
        )

    async def test_a_bad_rin_is_said_next_to_it_and_nothing_typed_is_lost(self, client):
        session_id = await start(client, PACK)
        typed = {"agency.name": "Small Business Administration", "rule.rin": "3245-44AG"}
        refused = await submit(client, f"/sessions/{session_id}/steps/heading", typed)
        assert refused.status_code == 422
        (message,) = problems_of(refused.text, "f-rule-rin")
        assert "must be a RIN: four digits, a hyphen, A, a capital letter and two digits" in message
        assert {name: form_values(refused.text)[name] for name in typed} == typed
        assert (
            document(refused.text).xpath('//input[@id="f-rule-rin"]')[0].get("aria-invalid")
            == "true"
        )
        assert await answers_of(client, session_id) == {}

"""``when`` conditions: each shape on its own, then ``differs_from`` through the walk, where
both of its names resolve relative to the group item first and then absolutely."""

from __future__ import annotations

from typing import Any

import pytest

from service.interview import conditions, engine
from service.interview.walk import walk
from service.packs.model import Pack, Question, Step


def lookup_in(values: dict[str, Any]):
    return values.get


class TestHolds:
    def test_no_condition_holds(self):
        assert conditions.holds(None, lookup_in({}))

    @pytest.mark.parametrize(
        ("when", "expected"),
        [
            ({"field": "a", "equals": 1}, True),
            ({"field": "a", "in": [2, 3]}, False),
            ({"field": "a", "is_set": True}, True),
            ({"field": "missing", "is_set": False}, True),
            ({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": "x"}]}, True),
            ({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": "y"}]}, False),
            ({"any": [{"field": "a", "equals": 2}, {"field": "b", "equals": "x"}]}, True),
            ({"not": {"field": "a", "equals": 1}}, False),
        ],
    )
    def test_the_comparisons_with_a_value(self, when, expected):
        assert conditions.holds(when, lookup_in({"a": 1, "b": "x"})) is expected


class TestDiffersFrom:
    VALUES = {"date": "2024-04-15", "filing.date": "2024-04-24", "same": "2024-04-24", "blank": ""}

    @pytest.mark.parametrize(
        ("field", "other", "expected"),
        [
            ("date", "filing.date", True),
            ("same", "filing.date", False),
            # Nothing to compare with: an answer not given yet neither differs nor agrees.
            ("date", "missing", False),
            ("missing", "filing.date", False),
            ("blank", "filing.date", False),
        ],
    )
    def test_two_given_answers_that_are_not_equal(self, field, other, expected):
        when = {"field": field, "differs_from": other}
        assert conditions.holds(when, lookup_in(self.VALUES)) is expected

    def test_combines_with_not(self):
        when = {"not": {"field": "same", "differs_from": "filing.date"}}
        assert conditions.holds(when, lookup_in(self.VALUES))

    def test_looks_up_both_names(self):
        asked: list[str] = []

        def lookup(name: str) -> Any:
            asked.append(name)
            return self.VALUES.get(name)

        conditions.holds({"field": "date", "differs_from": "filing.date"}, lookup)
        assert asked == ["date", "filing.date"]

    @pytest.mark.parametrize(
        "when", [{"field": "a"}, {"field": "a", "differs": "b"}, {"equals": 1}]
    )
    def test_an_unknown_shape_is_refused(self, when):
        with pytest.raises(ValueError, match="unknown condition"):
            conditions.holds(when, lookup_in({"a": 1}))


def ask(question_id: str, kind: str, **more: Any) -> Question:
    return Question(id=question_id, type=kind, prompt=question_id, **more)


def legs_pack() -> Pack:
    """Top-level ``filing.date`` and ``start``; legs, each with its own ``start`` and ``end``."""
    leg_fields = (
        ask("start", "date", default={"field": "filing.date"}),
        ask("start_confirmed", "yesno", when={"field": "start", "differs_from": "filing.date"}),
        ask("end", "date"),
        ask("end_differs", "yesno", when={"field": "end", "differs_from": "start"}),
    )
    questions = (
        ask("filing.date", "date"),
        ask("start", "date"),
        ask("start_note", "text", when={"field": "start", "differs_from": "filing.date"}),
        ask("legs", "group", fields=leg_fields, item_label="leg"),
    )
    return Pack(
        name="legs",
        version="0",
        title="Legs",
        description="",
        schema={},
        steps=(Step(id="all", title="All", intro="", questions=questions),),
        documents=(),
        context=lambda answers: answers,
        checks=(),
        session_title=lambda answers: "Legs",
        derive={},
    )


def relevant(pack: Pack, answers: dict[str, Any]) -> dict[str, bool]:
    return {slot.path: slot.relevant for slot in walk(pack, answers)}


class TestDiffersFromInTheWalk:
    def test_top_level_names_are_absolute(self):
        pack = legs_pack()
        assert relevant(pack, {"filing": {"date": "2024-04-24"}, "start": "2024-04-20"})[
            "start_note"
        ]
        assert not relevant(pack, {"filing": {"date": "2024-04-24"}, "start": "2024-04-24"})[
            "start_note"
        ]

    def test_a_name_the_item_lacks_is_looked_up_absolutely(self):
        answers = {
            "filing": {"date": "2024-04-24"},
            "legs": [{"start": "2024-04-15"}, {"start": "2024-04-24"}],
        }
        found = relevant(legs_pack(), answers)
        assert found["legs[0].start_confirmed"] is True
        assert found["legs[1].start_confirmed"] is False

    def test_an_answer_left_to_its_default_does_not_differ_from_where_the_default_comes_from(self):
        answers = {"filing": {"date": "2024-04-24"}, "legs": [{}]}
        assert relevant(legs_pack(), answers)["legs[0].start_confirmed"] is False

    def test_the_items_own_field_comes_before_a_top_level_answer_of_the_same_name(self):
        # The leg's end equals the top-level start but not the leg's own start: it differs.
        answers = {"start": "2024-01-01", "legs": [{"start": "2024-02-01", "end": "2024-01-01"}]}
        assert relevant(legs_pack(), answers)["legs[0].end_differs"] is True
        answers["legs"][0]["end"] = "2024-02-01"
        assert relevant(legs_pack(), answers)["legs[0].end_differs"] is False

    def test_an_irrelevant_confirmation_stays_saved_but_leaves_the_documents(self):
        answers = {
            "filing": {"date": "2024-04-24"},
            "legs": [{"start": "2024-04-24", "start_confirmed": True}],
        }
        assert "start_confirmed" not in engine.effective_answers(legs_pack(), answers)["legs"][0]
        answers["legs"][0]["start"] = "2024-04-15"
        assert engine.effective_answers(legs_pack(), answers)["legs"][0]["start_confirmed"] is True


class TestCertificationDateConfirmation:
    """The petition pack asks to confirm a certification dated otherwise than the filing."""

    def test_asked_only_for_a_date_that_differs(self, petition_pack, solar_answers):
        solar_answers["company_certifications"][1]["date"] = "2024-04-15"
        solar_answers["counsel_certification"]["date"] = "2024-04-23"
        found = relevant(petition_pack, solar_answers)
        confirmations = {
            path for path, shown in found.items() if path.endswith("date_confirmed") and shown
        }
        assert confirmations == {
            "company_certifications[1].date_confirmed",
            "counsel_certification.date_confirmed",
        }

    def test_a_date_left_to_its_default_needs_no_confirmation(self, petition_pack, solar_answers):
        del solar_answers["representative_certification"]["date"]
        assert (
            relevant(petition_pack, solar_answers)["representative_certification.date_confirmed"]
            is False
        )

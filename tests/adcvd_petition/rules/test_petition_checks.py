from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from adcvd_petition.rules.petition_checks import checks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.problems import Problem, errors

Answers = dict[str, Any]
SCHEMA = Path(__file__).resolve().parents[3] / "schemas" / "adcvd-petition" / "answers.schema.json"


class TestChecks:
    def test_the_fixture_follows_the_schema(
        self, answers_2024: Answers, original_answers_2024: Answers
    ) -> None:
        validator = jsonschema.Draft202012Validator(
            json.loads(SCHEMA.read_text(encoding="utf-8")),
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for answers in (answers_2024, original_answers_2024):
            assert [e.message for e in validator.iter_errors(answers)] == []

    def test_the_corrected_2024_packet_has_no_findings(self, answers_2024: Answers) -> None:
        assert checks(answers_2024) == []

    def test_the_example_answers_have_no_findings(self, solar_answers: Answers) -> None:
        # examples/solar-2024.json is the same case, written by another hand.
        assert checks(solar_answers) == []

    def test_the_2024_letters_mistakes(self, original_answers_2024: Answers) -> None:
        problems = checks(original_answers_2024)
        assert [(p.path, p.code, p.severity) for p in problems] == [
            ("volumes[0].bpi_items[2].exhibits[0]", "bpi.not_in_summary", "error")
        ]
        # The blank capacity is a missing answer: the interview reports it, not the checks.
        assert "capacity" not in original_answers_2024["representative_certification"]

    def test_the_blank_capacity_as_a_present_value(self, original_answers_2024: Answers) -> None:
        original_answers_2024["representative_certification"]["capacity"] = " "
        assert [(p.path, p.code) for p in errors(checks(original_answers_2024))] == [
            ("volumes[0].bpi_items[2].exhibits[0]", "bpi.not_in_summary"),
            ("representative_certification.capacity", "certification.capacity_invalid"),
        ]

    def test_findings_come_in_the_order_of_the_interview(self, answers_2024: Answers) -> None:
        answers_2024["counsel_certification"]["date"] = "2024-04-23"
        answers_2024["volumes"][2]["numeral"] = "II"
        answers_2024["countries"][0]["ad_case"] = "A-557-003"
        answers_2024["addressees"]["itc_secretary"] = "Someone Else"
        assert [p.code for p in checks(answers_2024)] == [
            "addressee.not_officeholder",
            "case.country_code_mismatch",
            "volume.duplicate_numeral",
            "certification.date_unconfirmed",
        ]

    def test_every_problem_is_well_formed(self, original_answers_2024: Answers) -> None:
        original_answers_2024["volumes"][5]["bpi_items"] = [{"paragraph": 7}]
        original_answers_2024["company_certifications"] = []
        problems = checks(original_answers_2024)
        assert problems
        for problem in problems:
            assert isinstance(problem, Problem)
            assert problem.severity in ("error", "warning")
            assert problem.code.count(".") == 1
            assert problem.message and not problem.missing

    @pytest.mark.parametrize("answers", [{}, None, [], "answers", {"volumes": "many"}])
    def test_nothing_to_check_gives_nothing(self, answers: Any) -> None:
        assert checks(answers) == []


# Values of any JSON shape, to stand in for half-typed answers.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 20)
    | st.sampled_from(["", " ", "I-3", "A-555-003"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += _paths(value, (*prefix, index))
    return found


class TestChecksOnPartialAnswers:
    # Run twice in one process by `make mutation`, on two instances of the class: that is fine.
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.differing_executors],
    )
    @given(data=st.data())
    def test_never_raises_whatever_is_missing_or_mistyped(self, data: st.DataObject) -> None:
        from .conftest import original

        answers = original()
        paths = _paths(answers)
        for path in data.draw(st.lists(st.sampled_from(paths), max_size=6)):
            parent: Any = answers
            try:
                for key in path[:-1]:
                    parent = parent[key]
                if data.draw(st.booleans()):
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = data.draw(JSON)
            except (KeyError, IndexError, TypeError):
                continue
        for problem in checks(answers):
            assert isinstance(problem, Problem)

"""What is stored with a revision (service.interview.derived): the whole derivation says what
the engine says, and a derivation that keeps the parts a write did not touch gives exactly the
same columns as the whole one, over random writes to the 2024 case."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.interview import engine
from service.interview.derived import (
    FORMAT,
    Previous,
    derive,
    derive_after,
    stamp,
    stored_problems,
)
from service.interview.engine import merge
from service.interview.validation import value_problems
from tests.answer_patches import patches, write_sequences

REPO = Path(__file__).resolve().parents[2]
SOLAR = json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))


def previous(pack, answers, columns=None):
    columns = columns or derive(pack, answers).columns(pack)
    return Previous(
        answers=answers,
        problems=columns["problems"],
        progress_answered=columns["progress_answered"],
        progress_required=columns["progress_required"],
    )


def accepted(pack, answers) -> bool:
    return not value_problems(pack, answers)


class TestTheWholeDerivation:
    @pytest.mark.parametrize(
        "change",
        [
            {},
            {"representative_certification": {"capacity": None}},
            {"filing": {"date": "2021-01-20"}},
            {"volumes": None, "countries": None},
        ],
    )
    def test_says_what_the_engine_says(self, petition_pack, change):
        answers = merge(SOLAR, change)
        derived = derive(petition_pack, answers)
        assert derived.problems == engine.open_problems(petition_pack, answers)
        assert derived.progress == engine.progress(petition_pack, answers)
        errors = [p for p in derived.problems if p.severity == "error"]
        assert derived.status == ("in_progress" if errors else "complete")

    def test_the_columns_are_what_the_session_row_stores(self, petition_pack):
        # The property tests compare two derivations through the same `columns`: only a test
        # of the values themselves notices a column named or counted wrongly.
        # An error (the capacity left blank) and a warning (a date after the officeholders
        # the answers name).
        answers = merge(
            SOLAR,
            {"representative_certification": {"capacity": None}, "filing": {"date": "2025-03-03"}},
        )
        derived = derive(petition_pack, answers)
        columns = derived.columns(petition_pack)
        assert set(columns) == {
            "title",
            "status",
            "derived_for",
            "progress_answered",
            "progress_required",
            "open_errors",
            "open_warnings",
            "problems",
        }
        assert columns["title"] == derived.title and columns["title"].startswith(
            "Crystalline Silicon Photovoltaic Cells"
        )
        assert columns["status"] == "in_progress"
        assert columns["derived_for"] == stamp(petition_pack)
        progress = engine.progress(petition_pack, answers)
        assert (columns["progress_answered"], columns["progress_required"]) == (
            progress.answered,
            progress.required,
        )
        assert columns["progress_answered"] < columns["progress_required"]
        severities = [p.severity for p in derived.problems]
        assert columns["open_errors"] == severities.count("error") >= 1
        assert columns["open_warnings"] == len(severities) - severities.count("error") >= 1
        assert [p["path"] for p in columns["problems"]] == [p.path for p in derived.problems]
        assert all(
            {"path", "message", "severity", "code", "missing", "part"} <= set(p)
            for p in columns["problems"]
        )
        capacity = [
            p for p in columns["problems"] if p["path"] == "representative_certification.capacity"
        ]
        assert capacity and capacity[0]["severity"] == "error" and capacity[0]["missing"] is True

    def test_each_problem_is_stored_with_the_part_that_found_it(self, petition_pack):
        answers = merge(
            SOLAR,
            {
                "product": {"name": None},
                "filing": {"date": "2025-03-03"},
                "representative_certification": {"capacity": None},
            },
        )
        columns = derive(petition_pack, answers).columns(petition_pack)
        parts = [(row["path"], row["part"]) for row in columns["problems"]]
        # Missing answers by the question of the steps they fall under (product.name is the
        # sixth), then each check's findings (the addressees' are the first check's).
        assert ("product.name", "q5") in parts
        assert ("addressees.commerce_secretary", "c0") in parts
        assert all(part.startswith("q") for _, part in parts[:2])
        assert [p.path for p in stored_problems(columns["problems"])] == [p for p, _ in parts]
        assert stamp(petition_pack).endswith(f"#{FORMAT}") and FORMAT == 2

    def test_stored_problems_read_rows_of_either_format(self):
        rows = [
            {"path": "a", "message": "m", "severity": "warning", "code": "c", "missing": False},
            {
                "path": "b",
                "message": "n",
                "severity": "error",
                "code": "d",
                "missing": True,
                "part": "q1",
            },
        ]
        first, second = stored_problems(rows)
        assert (first.path, first.severity, first.missing) == ("a", "warning", False)
        assert (second.path, second.code, second.missing) == ("b", "d", True)
        assert stored_problems(None) == []


class TestKeepingWhatAWriteDoesNotTouch:
    @pytest.mark.parametrize(
        "change",
        [
            {"filing": {"total_pages": 17}},
            {"filing": {"total_pages": None}},
            {"filing": {"date": "2021-01-20"}},
            {"counsel": {"firm": "Other LLP"}},
            {"coalition": {"has_members": False}},
            {"consultants": {"included": False}},
            {"volumes": SOLAR["volumes"][:2]},
            {"countries": None},
            {"representative_certification": {"capacity": None}},
        ],
    )
    def test_the_same_columns_as_the_whole_derivation(self, petition_pack, change):
        after = merge(SOLAR, change)
        assert derive_after(petition_pack, after, previous(petition_pack, SOLAR)).columns(
            petition_pack
        ) == derive(petition_pack, after).columns(petition_pack)

    def test_a_write_that_touches_no_check_runs_none(self, petition_pack, monkeypatch):
        ran = []
        real = engine.rule_problems

        def counting(pack, answers, slots=None, checks=None):
            ran.append(len(checks) if checks is not None else None)
            return real(pack, answers, slots, checks)

        before = previous(petition_pack, SOLAR)
        monkeypatch.setattr(engine, "rule_problems", counting)
        derive_after(petition_pack, merge(SOLAR, {"filing": {"total_pages": 17}}), before)
        derive_after(petition_pack, merge(SOLAR, {"filing": {"date": "2021-01-20"}}), before)
        derive(petition_pack, SOLAR)
        # Once per derivation: no check, then the two that read the filing date, then all five.
        assert ran == [0, 2, 5]

    @pytest.mark.parametrize(
        "stored",
        [
            None,
            [{"path": "a", "message": "m", "severity": "error", "code": "c", "missing": True}],
            [{"path": "a", "message": "m", "severity": "error", "code": "c", "part": "q999"}],
        ],
    )
    def test_without_usable_stored_findings_it_derives_everything(self, petition_pack, stored):
        after = merge(SOLAR, {"filing": {"total_pages": 17}})
        kept = Previous(SOLAR, stored, 1, 1)
        assert derive_after(petition_pack, after, kept) == derive(petition_pack, after)
        assert derive_after(petition_pack, after, None) == derive(petition_pack, after)
        assert derive_after(petition_pack, after, Previous(SOLAR, [], None, 3)) == derive(
            petition_pack, after
        )

    def test_a_pack_whose_questions_overlap_derives_everything(self, mini_pack):
        import dataclasses

        again = dataclasses.replace(mini_pack.steps[0].questions[0], id="owner")
        steps = (
            dataclasses.replace(
                mini_pack.steps[0], questions=(*mini_pack.steps[0].questions, again)
            ),
            *mini_pack.steps[1:],
        )
        pack = dataclasses.replace(mini_pack, steps=steps)
        answers = {"owner": {"name": "Ada"}}
        wrong = Previous({}, [], 0, 0)  # findings that no longer fit: not used
        assert derive_after(pack, answers, wrong) == derive(pack, answers)

    @settings(
        max_examples=150,
        deadline=None,
        # `make mutation` runs each test twice in one process, on two instances of the class.
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,
        ],
    )
    @given(writes=write_sequences(SOLAR))
    def test_random_writes_to_the_2024_case(self, petition_pack, writes):
        """Each accepted write derived from the one before it (its stored findings as the last
        derivation left them), against the whole derivation of the same answers."""
        answers = copy.deepcopy(SOLAR)
        before = previous(petition_pack, answers)
        for patch in writes:
            after = merge(answers, patch)
            if not accepted(petition_pack, after):
                continue
            kept = derive_after(petition_pack, after, before).columns(petition_pack)
            assert kept == derive(petition_pack, after).columns(petition_pack), patch
            answers, before = after, previous(petition_pack, after, kept)

    @settings(
        max_examples=60,
        deadline=None,
        # `make mutation` runs each test twice in one process, on two instances of the class.
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,
        ],
    )
    @given(patch=patches(SOLAR), start=st.sampled_from(["empty", "partial"]))
    def test_random_writes_from_sparser_answers(self, petition_pack, patch, start):
        """From answers with much missing (conditions unanswered, lists empty)."""
        base = (
            {}
            if start == "empty"
            else merge(SOLAR, {"volumes": [], "coalition": None, "filing": {"date": None}})
        )
        after = merge(base, patch)
        if accepted(petition_pack, after):
            assert derive_after(petition_pack, after, previous(petition_pack, base)).columns(
                petition_pack
            ) == derive(petition_pack, after).columns(petition_pack)

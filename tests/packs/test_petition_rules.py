"""Every rule family of the petition pack, as the engine applies it, without a server: each
case changes a few answers of the corrected 2024 case (the merge patch a client would send),
then looks for the problem by its path, severity and code. An error blocks the packet, a
warning does not (the packet renders); each family also has changes that keep it clean.

tests/api/test_rules.py sends a few of these cases over HTTP, on both databases, to show that
the API reports what the engine finds and refuses what it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from service.interview.engine import merge, open_problems
from service.interview.validation import value_problems
from service.problems import Problem, errors
from service.rendering.packet import render_packet
from tests.packs.petition_rule_cases import CLEAN, FINDINGS, REFUSED, Finding, merge_patch


def shown(problem: Problem) -> tuple[str, str, str]:
    return problem.path, problem.severity, problem.code


def changed(pack, answers: dict[str, Any], changes) -> dict[str, Any]:
    """The answers after the client's merge patch, which no field refuses."""
    merged = merge(answers, merge_patch(answers, changes))
    assert value_problems(pack, merged) == []
    return merged


def test_the_corrected_2024_answers_are_clean(petition_pack, solar_answers):
    assert open_problems(petition_pack, solar_answers) == []


class TestFindings:
    @pytest.mark.parametrize("finding", FINDINGS.values(), ids=FINDINGS.keys())
    def test_reported_with_path_severity_and_code(
        self, petition_pack, solar_answers, finding: Finding
    ):
        answers = changed(petition_pack, solar_answers, finding.changes)
        problems = open_problems(petition_pack, answers)

        wanted = (finding.path, finding.severity, finding.code)
        assert wanted in [shown(p) for p in problems], problems
        assert all(p.message for p in problems)
        # The same answers give the same problems, word for word.
        assert open_problems(petition_pack, answers) == problems
        if finding.severity == "error":
            assert wanted in [shown(p) for p in errors(problems)]
        else:
            # A warning alone: nothing else may stand in the way of the packet.
            assert errors(problems) == []
            assert len(render_packet(petition_pack, answers)) == 7

    @pytest.mark.parametrize("changes", CLEAN.values(), ids=CLEAN.keys())
    def test_clean_changes_leave_the_packet_clean(self, petition_pack, solar_answers, changes):
        answers = changed(petition_pack, solar_answers, changes)
        assert open_problems(petition_pack, answers) == []
        assert len(render_packet(petition_pack, answers)) == 7


class TestRefusedValues:
    """A value of the wrong form is refused by its field's own check."""

    @pytest.mark.parametrize(("body", "path", "code"), REFUSED.values(), ids=REFUSED.keys())
    def test_refused_with_its_path(self, petition_pack, solar_answers, body, path, code):
        (refused,) = value_problems(petition_pack, merge(solar_answers, body))
        assert (refused.path, refused.severity, refused.code) == (path, "error", code)
        assert refused.message

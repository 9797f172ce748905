"""Checks a pack declares as data: later_than and starts_with, with [*] over list items."""

from __future__ import annotations

import re

import pytest

from service.interview.declared_checks import DeclaredCheckError, build, expand

LATER = {
    "kind": "later_than",
    "field": "rule.effective_date",
    "than": "signature.date",
    "message": "The rule takes effect after it is signed.",
}
SECTION = {
    "kind": "starts_with",
    "field": "amendments[*].section.number",
    "prefix_field": "rule.cfr_part",
    "separator": ".",
    "message": "Each amendment names a section of the part.",
}


class TestLaterThan:
    def test_a_date_on_or_before_the_other_is_refused_at_its_path(self):
        check = build(LATER)
        for effective in ("2013-06-13", "2013-06-01"):
            answers = {"rule": {"effective_date": effective}, "signature": {"date": "2013-06-13"}}
            (problem,) = check(answers)
            assert (problem.path, problem.message) == ("rule.effective_date", LATER["message"])
            assert problem.code == "declared.later_than"
            assert problem.severity == "error"

    def test_a_later_date_or_a_missing_one_says_nothing(self):
        check = build(LATER)
        assert (
            check({"rule": {"effective_date": "2013-07-22"}, "signature": {"date": "2013-06-13"}})
            == []
        )
        assert check({"rule": {"effective_date": "2013-07-22"}}) == []
        assert check({"signature": {"date": "2013-06-13"}}) == []


class TestStartsWith:
    def test_each_item_is_checked_and_named_by_its_index(self):
        check = build({**SECTION, "code": "rule.section_of_part"})
        answers = {
            "rule": {"cfr_part": 121},
            "amendments": [
                {"section": {"number": "121.201"}},
                {"instruction": "authority only"},
                {"section": {"number": "125.6"}},
                {"section": {"number": "1210.1"}},
            ],
        }
        problems = check(answers)
        assert [(p.path, p.code) for p in problems] == [
            ("amendments[2].section.number", "rule.section_of_part"),
            ("amendments[3].section.number", "rule.section_of_part"),
        ]

    def test_without_the_prefix_answer_it_says_nothing(self):
        assert build(SECTION)({"amendments": [{"section": {"number": "125.6"}}]}) == []


class TestDeclarations:
    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ({"kind": "sometime"}, "needs a kind, one of later_than, starts_with"),
            ({**LATER, "than": None}, "check 'later_than' needs than (text)"),
            ({**SECTION, "message": 3}, "check 'starts_with' needs message (text)"),
            ({**LATER, "field": "rule..date"}, "'rule..date' is not a path"),
        ],
    )
    def test_a_malformed_declaration_says_what_to_fix(self, spec, message):
        with pytest.raises(DeclaredCheckError, match=re.escape(message)):
            build(spec)

    def test_expand_names_every_item(self):
        answers = {"a": [{"b": [1, 2]}, {"b": [3]}]}
        assert list(expand(answers, "a[*].b[*]")) == [
            ("a[0].b[0]", 1),
            ("a[0].b[1]", 2),
            ("a[1].b[0]", 3),
        ]


class TestWhatAFindingCarries:
    """Exact codes, messages and silences: what a pack's declaration and the interview rely on."""

    def test_a_declared_code_replaces_the_default_one(self):
        check = build({**LATER, "code": "rule.effective_after_signature"})
        answers = {"rule": {"effective_date": "2013-06-01"}, "signature": {"date": "2013-06-13"}}
        assert [p.code for p in check(answers)] == ["rule.effective_after_signature"]

    def test_starts_with_reports_its_message_and_default_code(self):
        answers = {"rule": {"cfr_part": 121}, "amendments": [{"section": {"number": "125.6"}}]}
        (problem,) = build(SECTION)(answers)
        assert (problem.path, problem.message, problem.code, problem.severity) == (
            "amendments[0].section.number",
            SECTION["message"],
            "declared.starts_with",
            "error",
        )

    def test_without_a_separator_the_prefix_alone_must_begin_the_value(self):
        spec = {key: value for key, value in SECTION.items() if key != "separator"}
        answers = {
            "rule": {"cfr_part": 121},
            "amendments": [{"section": {"number": "1210.1"}}, {"section": {"number": "12.1"}}],
        }
        assert [p.path for p in build(spec)(answers)] == ["amendments[1].section.number"]

    def test_an_empty_prefix_or_an_empty_value_says_nothing(self):
        check = build(SECTION)
        numbers = {"amendments": [{"section": {"number": "125.6"}}]}
        assert check({"rule": {"cfr_part": ""}, **numbers}) == []
        assert check({"rule": {"cfr_part": 121}, "amendments": [{"section": {"number": ""}}]}) == []

    def test_every_missing_key_is_named(self):
        with pytest.raises(DeclaredCheckError) as refused:
            build({"kind": "later_than"})
        assert str(refused.value) == "check 'later_than' needs field, message, than (text)"

    def test_a_list_of_lists_is_named_index_after_index(self):
        assert list(expand({"a": [[1, 2], [3]]}, "a[*][*]")) == [
            ("a[0][0]", 1),
            ("a[0][1]", 2),
            ("a[1][0]", 3),
        ]


def test_a_declared_check_declares_what_it_reads():
    check = build(
        {
            "kind": "starts_with",
            "field": "amendments[*].section.number",
            "prefix_field": "rule.cfr_part",
            "separator": ".",
            "message": "m",
        }
    )
    assert check.reads == ("amendments[*].section.number", "rule.cfr_part")
    later = build({"kind": "later_than", "field": "a.b", "than": "c", "message": "m"})
    assert later.reads == ("a.b", "c")


def test_the_federal_register_rule_keeps_what_a_write_does_not_touch():
    import json
    from pathlib import Path

    from service.interview.derived import Previous, derive, derive_after
    from service.interview.engine import merge
    from service.packs.loader import load_pack

    repo = Path(__file__).resolve().parents[2]
    pack = load_pack("federal-register-rule", repo / "templates", repo / "schemas")
    answers = json.loads((repo / "examples" / "sba-size-standards-2013.json").read_text())
    before = derive(pack, answers).columns(pack)
    previous = Previous(
        answers, before["problems"], before["progress_answered"], before["progress_required"]
    )
    rule = answers["rule"]
    for change in (
        {"rule": {"effective_date": "1999-01-01"}},
        {"rule": {"cfr_part": "999"}},
        {"amendments": answers["amendments"][:1]},
        {"rule": {"title": rule.get("title", "") + " again"}},
    ):
        after = merge(answers, change)
        assert derive_after(pack, after, previous).columns(pack) == derive(pack, after).columns(
            pack
        ), change

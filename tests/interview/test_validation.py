"""Field-level checks: each refused value named by its path, in plain words."""

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.interview import validation
from service.interview.engine import merge_shared
from service.interview.validation import describe, value_problems
from tests.answer_patches import patches

REPO = Path(__file__).resolve().parents[2]
SOLAR = json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))


class TestValueProblems:
    def test_valid_answers_have_none(self, mini_pack):
        assert (
            value_problems(
                mini_pack,
                {"owner": {"name": "Ada", "since": "2024-01-02"}, "pets": [{"kind": "dog"}]},
            )
            == []
        )

    def test_each_problem_has_its_path_and_words(self, mini_pack):
        problems = value_problems(
            mini_pack,
            {
                "owner": {"name": "", "since": "24 April"},
                "has_pets": "yes",
                "pets": [{"kind": "fish"}],
            },
        )
        by_path = {p.path: p.message for p in problems}
        assert set(by_path) == {"owner.name", "owner.since", "has_pets", "pets[0].kind"}
        assert by_path["owner.name"].endswith("must not be empty")
        assert "YYYY-MM-DD" in by_path["owner.since"]
        assert by_path["has_pets"].endswith("must be true or false")
        assert by_path["pets[0].kind"] == "Pet 1, Kind: 'fish' must be one of: cat, dog"
        assert by_path["has_pets"] == "Has pets: 'yes' must be true or false"

    def test_unknown_answer_is_named(self, mini_pack):
        problems = value_problems(mini_pack, {"owner": {"shoe_size": 9}})
        assert [p.path for p in problems] == ["owner.shoe_size"]

    def test_unknown_answers_are_named_each_among_the_other_refusals(self, mini_pack):
        answers = {
            "owner": {"name": "Ada", "shoe_size": 9, "hat": "x"},
            "has_pets": "yes",
            "pets": [{"kind": "fish"}],
        }
        assert [(p.path, p.message, p.code) for p in value_problems(mini_pack, answers)] == [
            ("has_pets", "Has pets: 'yes' must be true or false", "value.type"),
            ("owner.hat", "owner.hat: is not a question of this interview", "value.unknown"),
            (
                "owner.shoe_size",
                "owner.shoe_size: is not a question of this interview",
                "value.unknown",
            ),
            ("pets[0].kind", "Pet 1, Kind: 'fish' must be one of: cat, dog", "value.enum"),
        ]

    def test_too_long_text_says_how_long(self, mini_pack):
        (problem,) = value_problems(mini_pack, {"owner": {"name": "x" * 51}})
        assert "at most 50 characters, this one has 51" in problem.message

    def test_control_characters_are_refused(self, mini_pack):
        (problem,) = value_problems(mini_pack, {"owner": {"name": "Ada\x00"}})
        assert problem.path == "owner.name"
        assert "U+0000" in problem.message

    def test_a_control_character_deep_in_a_list_is_found_where_it_is(self, mini_pack):
        answers = {
            "owner": {"name": "Ada"},
            "pets": [{"name": "Rex"}, {"name": "Tom\x1f"}],
        }
        problems = [p for p in value_problems(mini_pack, answers) if "U+001F" in p.message]
        assert [p.path for p in problems] == ["pets[1].name"]
        assert problems[0].code == "value.control_character"

    def test_every_control_character_pasted_from_word_is_found_where_it_is(self, petition_pack):
        # Word's Shift+Enter line break comes out of a paste as a vertical tab (U+000B).
        answers = {
            "petitioners": [
                {"name": "American Alliance for Solar Manufacturing\x0bTrade Committee"}
            ],
            "counsel": {"firm": "Wiley Rein LLP\x0b"},
            "countries": [{"name": "Cambodia\x0b"}, {"name": "Malaysia"}],
        }
        unprintable = (
            "contains an invisible control character (U+000B) that a Word document cannot "
            "hold; remove it and type the text again"
        )
        assert [(p.path, p.message, p.code) for p in value_problems(petition_pack, answers)] == [
            (
                "petitioners[0].name",
                f"Petitioner 1, Name: {unprintable}",
                "value.control_character",
            ),
            ("counsel.firm", f"Law firm: {unprintable}", "value.control_character"),
            ("countries[0].name", f"Country 1, Name: {unprintable}", "value.control_character"),
        ]

    def test_the_petition_schema_uses_its_own_messages(self, petition_pack):
        (problem,) = value_problems(
            petition_pack, {"countries": [{"name": "Cambodia", "ad_case": "A-555-03"}]}
        )
        assert problem.path == "countries[0].ad_case"
        assert problem.message == (
            "Country 1, AD case number: 'A-555-03' must be an antidumping case number such as A-555-003"
        )

    def test_a_long_refused_value_is_quoted_in_part(self, petition_pack):
        (problem,) = value_problems(petition_pack, {"itc": {"ad_numbers": "731-TA-" + "9" * 80}})
        assert problem.message.startswith("ITC AD investigation numbers: '731-TA-99999")
        assert "...' must be 731-TA-__ while" in problem.message


class TestDescribe:
    def test_names_items_by_their_label(self, petition_pack):
        assert (
            describe(petition_pack, "volumes[1].bpi_items[0].pages")
            == "Volume 2, BPI item 1, Pages"
        )
        assert describe(petition_pack, "counsel.attorneys[2].name") == "Attorney 3, Name"
        assert describe(petition_pack, "filing.date") == "Filing date"

    def test_names_one_value_of_a_list_answer_by_its_place(self, petition_pack):
        path = "volumes[0].bpi_items[2].exhibits[1]"
        assert describe(petition_pack, path) == "Volume 1, BPI item 3, Exhibits, entry 2"

    def test_an_index_outside_any_question_names_an_item(self, petition_pack):
        assert describe(petition_pack, "nothing[2]") == "Item 3"

    def test_a_title_in_the_schema_names_the_field(self, petition_pack):
        assert describe(petition_pack, "itc.ad_numbers") == "ITC AD investigation numbers"
        assert describe(petition_pack, "countries[1].cvd_case") == "Country 2, CVD case number"


class TestListEntryTotal:
    def test_lists_within_their_own_limits_but_too_many_in_all_are_refused_at_one_list(
        self, petition_pack
    ):
        # Forty items of 5,000 pages each pass every list's own maxItems.
        items = [{"paragraph": 4, "pages": list(range(1, 5001))} for _ in range(3)]
        answers = {"volumes": [{"numeral": "I", "bpi_items": items}]}
        (problem,) = value_problems(petition_pack, answers)
        assert problem.code == "value.too_many_entries"
        assert problem.path.startswith("volumes[0].bpi_items[")
        assert problem.path.endswith("].pages")
        assert "at most 10,000 list entries in all" in problem.message

    def test_the_list_that_passes_the_limit_is_named_not_the_one_that_reaches_it(
        self, petition_pack
    ):
        # A request of 9,999 BPI items (one volume, 10,000 entries so far), the last with one
        # page: the page list is the one too many, whichever order the lists are counted in.
        items = [{"paragraph": 4} for _ in range(9998)] + [{"paragraph": 4, "pages": [1]}]
        answers = {"volumes": [{"numeral": "I", "bpi_items": items}]}
        assert [(p.path, p.message) for p in value_problems(petition_pack, answers)] == [
            (
                "volumes[0].bpi_items[9998].pages",
                "Volume 1, BPI item 9999, Pages: has too many entries: the answers may hold at "
                "most 10,000 list entries in all (values of lists and items of groups together)",
            )
        ]

    def test_the_limit_itself_is_allowed(self, petition_pack):
        items = [
            {"paragraph": 4, "pages": list(range(1, 5001))},
            {"paragraph": 11, "pages": list(range(1, 4997))},
        ]
        answers = {"volumes": [{"numeral": "I", "bpi_items": items}]}
        assert not [
            p for p in value_problems(petition_pack, answers) if p.code == "value.too_many_entries"
        ]


class TestQuotingTheValue:
    """A refused value is quoted before what is wrong with it when the words read well so, and
    when it is short enough to quote whole."""

    def test_sixty_characters_are_quoted_whole_and_more_are_cut(self, petition_pack):
        def message(value):
            (problem,) = value_problems(
                petition_pack, {"countries": [{"name": "Cambodia", "ad_case": value}]}
            )
            return problem.message

        assert (
            message("A" * 60)
            == f"Country 1, AD case number: '{'A' * 60}' must be an antidumping case number such as A-555-003"
        )
        assert (
            message("A" * 61)
            == f"Country 1, AD case number: '{'A' * 57}...' must be an antidumping case number such as A-555-003"
        )

    def test_numbers_and_booleans_are_quoted_as_typed(self, petition_pack):
        (low,) = value_problems(petition_pack, {"filing": {"total_pages": 0}})
        (boolean,) = value_problems(petition_pack, {"filing": {"total_pages": True}})
        assert (low.message, boolean.message) == (
            "Total pages: 0 must be at least 1",
            "Total pages: true must be a whole number",
        )

    def test_a_length_is_said_without_quoting_the_text(self, petition_pack):
        (problem,) = value_problems(petition_pack, {"counsel": {"firm": "x" * 300}})
        assert problem.message == "Law firm: is too long: at most 200 characters, this one has 300"

    def test_a_pack_words_a_list_of_choices_itself(self, petition_pack):
        (problem,) = value_problems(
            petition_pack, {"representative_certification": {"capacity": "lawyer"}}
        )
        assert problem.message == (
            "Representative certification capacity: 'lawyer' must be one of counsel, adviser, preparer or "
            "reviewer (19 C.F.R. § 351.303(g)(2))"
        )

    @pytest.mark.parametrize(
        ("answers", "path", "message"),
        [
            ({"counsel": {"firm": 5}}, "counsel.firm", "Law firm: 5 must be text"),
            (
                {"filing": {"total_pages": "x"}},
                "filing.total_pages",
                "Total pages: 'x' must be a whole number",
            ),
            ({"volumes": "I"}, "volumes", "Volumes: 'I' must be a list"),
            (
                {"counsel": "Wiley"},
                "counsel",
                "counsel: 'Wiley' must be a set of answers (a JSON object)",
            ),
        ],
    )
    def test_a_value_of_the_wrong_type_is_told_what_it_must_be(
        self, petition_pack, answers, path, message
    ):
        (problem,) = value_problems(petition_pack, answers)
        assert (problem.path, problem.message) == (path, message)

    @pytest.mark.parametrize(
        ("answers", "path", "message"),
        [
            (
                {"filing": {"total_pages": 100001}},
                "filing.total_pages",
                "Total pages: 100001 must be at most 100000",
            ),
            (
                {"countries": [{"name": "X"}] * 41},
                "countries",
                "Countries: has too many entries: at most 40",
            ),
            (
                {"filing": {"date": "24 April"}},
                "filing.date",
                "Filing date: '24 April' must be a date written as YYYY-MM-DD, such as 2024-04-24",
            ),
        ],
    )
    def test_limits_and_forms_are_said_in_plain_words(self, petition_pack, answers, path, message):
        (problem,) = value_problems(petition_pack, answers)
        assert (problem.path, problem.message) == (path, message)


class TestQuickCheckAgreesWithTheWordedOne:
    """Valid answers are recognised by jsonschema-rs alone; it must never pass what the
    Python validator refuses, or a refused value would be saved."""

    REFUSED = [
        {"filing": {"date": "2024-02-30"}},
        {"filing": {"date": "2024-1-01"}},
        {"filing": {"total_pages": 1.5}},
        {"filing": {"total_pages": 10**30}},
        {"filing": {"total_pages": True}},
        {"filing": {"version": "public\n"}},
        {"filing": {"shoe_size": 1}},
        {"countries": [{"name": "Cambodia", "ad_case": "A-555-03"}]},
        {"itc": {"ad_numbers": "731-TA-" + "9" * 80}},
        {"counsel": {"attorneys": [{"name": "x" * 201}]}},
    ]

    def test_the_2024_case_is_valid_to_both(self, petition_pack, solar_answers):
        from service.interview.validation import _quickly_valid

        assert _quickly_valid(petition_pack, solar_answers)
        assert value_problems(petition_pack, solar_answers) == []

    def test_where_the_quick_check_is_stricter_the_worded_one_decides(self, petition_pack):
        # Python's "$" matches before a final newline, jsonschema-rs's does not: accepted as before.
        assert (
            value_problems(
                petition_pack, {"countries": [{"name": "Cambodia", "ad_case": "A-555-003\n"}]}
            )
            == []
        )

    def test_what_the_worded_check_refuses_the_quick_one_refuses(
        self, petition_pack, solar_answers
    ):
        from service.interview.validation import _quickly_valid, _validator

        for patch in self.REFUSED:
            answers = {
                **solar_answers,
                **{
                    k: {**solar_answers.get(k, {}), **v} if isinstance(v, dict) else v
                    for k, v in patch.items()
                },
            }
            assert list(_validator(petition_pack).iter_errors(answers)), patch
            assert not _quickly_valid(petition_pack, answers), patch
            assert value_problems(petition_pack, answers), patch


class TestWordingOfEachRule:
    """How each kind of refusal reads, for a pack whose schema has no words of its own; the
    validators are built afresh, as for a pack loaded for the first time."""

    @pytest.fixture(autouse=True)
    def _no_validator_built_yet(self, monkeypatch):
        monkeypatch.setattr(validation, "_validators", {})
        monkeypatch.setattr(validation, "_fast_validators", {})
        monkeypatch.setattr(validation, "_checked_by_key", {})

    @staticmethod
    def refusal(pack, schema, value):
        pack = dataclasses.replace(
            pack, schema={"type": "object", "properties": {"answer": schema}}
        )
        (problem,) = value_problems(pack, {"answer": value})
        return problem.message

    @pytest.mark.parametrize(
        ("schema", "value", "message"),
        [
            ({"type": "number"}, "x", "answer: 'x' must be a number"),
            ({"type": ["integer", "null"]}, "x", "answer: 'x' must be a whole number or null"),
            ({"type": "string"}, False, "answer: false must be text"),
            (
                {"type": "string", "minLength": 3},
                "ab",
                "answer: must be at least 3 characters long",
            ),
            ({"type": "array", "minItems": 2}, [1], "answer: needs at least 2 entries"),
            ({"type": "string", "pattern": "^A"}, "B", "answer: 'B' is not in the expected form"),
            (
                {"type": "string", "format": "date", "x-message": "must be a working day"},
                "soon",
                "answer: 'soon' must be a working day",
            ),
        ],
    )
    def test_each_rule_in_plain_words(self, mini_pack, schema, value, message):
        assert self.refusal(mini_pack, schema, value) == message

    def test_only_a_date_format_is_explained_as_a_date(self, mini_pack):
        message = self.refusal(mini_pack, {"type": "string", "format": "email"}, "nope")
        assert message.startswith("answer: 'nope' ")
        assert "YYYY-MM-DD" not in message


_TEXTS = st.text(
    alphabet=st.sampled_from(
        ["a", "b", "f", "u", "0", "1", "\\", '"', "\t", "\n", "\r", "\x00", "\x08", "\x0b"]
        + ["\x0c", "\x1f", "\x7f", "\u2028", "\ufffe", "\uffff", "\ud800", "é"]
    ),
    max_size=6,
)
_VALUES = st.recursive(
    st.one_of(_TEXTS, st.integers(0, 3), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=3)
    ),
    max_leaves=10,
)


class TestTheQuickLook:
    # `make mutation` runs each test twice in one process, on two instances of the class.
    @settings(
        max_examples=500, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(st.dictionaries(st.sampled_from(["x", "y"]), _VALUES, max_size=3))
    def test_clean_only_when_the_survey_finds_nothing(self, answers):
        from service.interview.validation import MAX_LIST_ENTRIES, _clean_and_small, _survey

        entries, unprintable = _survey(answers)
        if _clean_and_small(answers):
            assert not unprintable and entries <= MAX_LIST_ENTRIES
        else:
            # Short answers whose keys are plain: clean exactly when the survey finds nothing.
            assert unprintable

    def test_what_sends_it_to_the_survey(self):
        from service.interview.validation import _clean_and_small

        assert _clean_and_small({"a": ["tab\t", "line\n", 'quote"', "é\u2028"]})
        for unprintable in ("\x00", "\x08", "\x0c", "\x1f", "\ufffe", "\uffff", "\ud800"):
            assert not _clean_and_small({"a": [f"x{unprintable}y"]}), repr(unprintable)
        # A backslash typed before a b or a u is no control character.
        assert _clean_and_small({"a": ["C:\\bin", "\\u0001", "end\\"]})
        # One in a key is left to the survey (which reads values only).
        assert not _clean_and_small({"\x01": "a"})
        # Too long to be sure of the count of entries.
        assert not _clean_and_small({"a": ["x" * 10_001]})

    def test_the_same_problems_either_way(self, petition_pack, solar_answers, monkeypatch):
        from service.interview import validation

        cases = [
            solar_answers,
            {**solar_answers, "product": {"name": "Nul\x00here", "short_name": "x\ufffe"}},
            {"filing": {"date": "24 April", "total_pages": "x\x08"}},
        ]
        quick = [value_problems(petition_pack, answers) for answers in cases]
        monkeypatch.setattr(validation, "_clean_and_small", lambda answers, keep=None: False)
        assert [value_problems(petition_pack, answers) for answers in cases] == quick
        assert quick[0] == [] and quick[1] and quick[2]


# Values a field refuses, or that only one of the two validators refuses, for the writes below.
_REFUSED_VALUES = st.sampled_from(
    [
        "x" * 5_001,
        "A-555-003\n",
        "2024-02-30",
        "nul\x00",
        -1,
        10**30,
        1.5,
        True,
        None,
        [],
        {},
        ["a", 2],
        {"unknown": 1},
    ]
)


@st.composite
def _checked_writes(draw):
    """Answers the field check passes, and a write to them (as the derivation's tests make
    them, or one that puts a refused value, an unknown answer or a wrong type anywhere)."""
    answers = SOLAR
    if draw(st.booleans()):
        # Valid to the Python validator, refused by jsonschema-rs: kept, unchanged, below.
        answers = {**SOLAR, "countries": [{"name": "Cambodia", "ad_case": "A-555-003\n"}]}
    if draw(st.booleans()):
        return answers, draw(patches(answers))
    keys = draw(st.sampled_from(sorted({keys for keys, _ in _leaves(answers)}, key=repr)))
    how = draw(st.sampled_from(["value", "unknown", "top"]))
    if how == "top":
        return answers, {draw(st.sampled_from([*answers, "unknown"])): draw(_REFUSED_VALUES)}
    patch: dict = {}
    node = patch
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node["unknown" if how == "unknown" else keys[-1]] = draw(_REFUSED_VALUES)
    return answers, patch


def _leaves(answers, keys=()):
    # Paths through objects only: a merge patch replaces a list whole.
    for key, value in answers.items():
        if isinstance(value, dict):
            yield from _leaves(value, (*keys, key))
        yield (*keys, key), value


class TestCheckingOnlyWhatAWriteChanged:
    """A write to answers the check passed is checked against the schema only where it
    replaced a top-level answer (``valid_before``): the outcome must be the whole check's."""

    @pytest.fixture(autouse=True)
    def _fresh_verdicts(self, monkeypatch):
        monkeypatch.setattr(validation, "_checked_by_key", {})

    # `make mutation` runs each test twice in one process, on two instances of the class.
    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,
        ],
    )
    @given(write=_checked_writes())
    def test_the_same_problems_as_the_whole_check(self, petition_pack, write):
        before, patch = write
        assert value_problems(petition_pack, before) == []
        merged = merge_shared(before, patch)
        assert value_problems(petition_pack, merged, valid_before=before) == value_problems(
            petition_pack, merged
        )

    def test_a_refused_value_is_found_when_only_it_is_looked_at(self, petition_pack):
        merged = merge_shared(SOLAR, {"filing": {"total_pages": "many"}, "shoe": 1})
        found = value_problems(petition_pack, merged, valid_before=SOLAR)
        assert sorted(p.path for p in found) == ["filing.total_pages", "shoe"]
        assert found == value_problems(petition_pack, merged)

    def test_only_the_replaced_answers_go_to_the_schema(self, petition_pack, schema_checks):
        merged = merge_shared(SOLAR, {"filing": {"total_pages": 7}})
        assert value_problems(petition_pack, merged, valid_before=SOLAR) == []
        assert schema_checks == [["filing"]]

    @pytest.mark.parametrize(
        "root",
        [
            {"required": ["a", "b"]},
            {"minProperties": 2},
            {"dependentRequired": {"b": ["a"]}},
            {"patternProperties": {"^z": {"type": "string"}}},
            {"allOf": [{"required": ["a"]}]},
            {"not": {"required": ["z"]}},
        ],
    )
    def test_a_schema_that_looks_at_the_whole_object_is_checked_whole(
        self, mini_pack, monkeypatch, root
    ):
        # Each of these refuses the answers once "a" is removed or "z" is added, though every
        # answer left is valid by itself: the check must not look at the changed answers only.
        monkeypatch.setattr(validation, "_validators", {})
        monkeypatch.setattr(validation, "_fast_validators", {})
        schema = {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            **root,
        }
        pack = dataclasses.replace(mini_pack, schema=schema)
        before = {"a": "x", "b": "y"}
        assert value_problems(pack, before) == []
        for patch in ({"a": None}, {"z": 1}):
            merged = merge_shared(before, patch)
            whole = value_problems(pack, merged)
            assert value_problems(pack, merged, valid_before=before) == whole
        assert not validation._key_by_key(pack)
        refused = [
            value_problems(pack, merge_shared(before, patch)) for patch in ({"a": None}, {"z": 1})
        ]
        assert any(refused), root

    def test_the_shipped_packs_are_checked_key_by_key(self, petition_pack, mini_pack):
        assert validation._key_by_key(petition_pack)
        assert validation._key_by_key(mini_pack)

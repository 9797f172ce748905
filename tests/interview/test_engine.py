"""The engine over a small pack: what is missing, progress, conditions, defaults, merging."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.interview import engine, paths
from service.interview.walk import value_at, walk


def with_min_items(pack, group_id, min_items):
    """The pack with one group asking for more items than any shipped pack does."""
    steps = tuple(
        dataclasses.replace(
            step,
            questions=tuple(
                dataclasses.replace(q, min_items=min_items) if q.id == group_id else q
                for q in step.questions
            ),
        )
        for step in pack.steps
    )
    return dataclasses.replace(pack, steps=steps)


class TestMissing:
    def test_everything_required_is_missing_at_first(self, mini_pack):
        paths = [p.path for p in engine.missing_problems(mini_pack, {})]
        assert paths == ["owner.name", "owner.since", "has_pets"]

    def test_group_appears_only_when_its_condition_holds(self, mini_pack):
        answers = {"owner": {"name": "Ada", "since": "2024-01-02"}, "has_pets": True}
        missing = engine.missing_problems(mini_pack, answers)
        assert [p.path for p in missing] == ["pets"]
        assert "no pet given yet" in missing[0].message

    def test_fields_of_each_item_are_required(self, mini_pack):
        answers = {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": True,
            "pets": [{"name": "Tom"}, {}],
        }
        assert [p.path for p in engine.missing_problems(mini_pack, answers)] == [
            "pets[0].kind",
            "pets[1].name",
            "pets[1].kind",
        ]

    def test_a_no_answers_a_required_yes_or_no_question(self, mini_pack):
        answers = {"owner": {"name": "Ada", "since": "2024-01-02"}, "has_pets": False}
        assert engine.missing_problems(mini_pack, answers) == []
        assert engine.progress(mini_pack, answers) == engine.Progress(answered=3, required=3)

    def test_default_from_another_field_counts_as_answered(self, mini_pack):
        answers = {"owner": {"name": "Ada", "joined": "2023-05-06"}, "has_pets": False}
        assert engine.missing_problems(mini_pack, answers) == []


class TestMissingInWords:
    def test_each_missing_answer_says_what_is_missing(self, mini_pack):
        found = [
            (p.path, p.message)
            for p in engine.missing_problems(mini_pack, {"has_pets": True, "pets": []})
        ]
        assert found == [
            ("owner.name", "Owner name: not answered yet"),
            ("owner.since", "Owner since: not answered yet"),
            ("pets", "Pets: no pet given yet"),
        ]

    def test_what_is_missing_is_marked_missing(self, mini_pack):
        # Clients and the stored problems tell "not answered yet" from "answered wrongly" by it.
        found = engine.missing_problems(mini_pack, {})
        assert found and all(p.missing is True for p in found)

    @pytest.mark.parametrize(
        ("given", "message"),
        [(0, "Pets: no pet given yet"), (1, "Pets: needs at least 2 pets")],
    )
    def test_a_group_short_of_its_minimum_says_how_many_it_needs(self, mini_pack, given, message):
        pack = with_min_items(mini_pack, "pets", 2)
        answers = {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": True,
            "pets": [{"name": "Tom", "kind": "cat"}] * given,
        }
        assert [(p.path, p.message) for p in engine.missing_problems(pack, answers)] == [
            ("pets", message)
        ]


class TestProgress:
    def test_counts_required_relevant_answers(self, mini_pack):
        assert engine.progress(mini_pack, {}) == engine.Progress(answered=0, required=3)
        answers = {"owner": {"name": "Ada"}, "has_pets": True}
        p = engine.progress(mini_pack, answers)
        assert (p.answered, p.required) == (2, 4)
        assert p.percent == 50


class TestEffectiveAnswers:
    def test_irrelevant_answers_are_kept_in_session_but_left_out(self, mini_pack):
        answers = {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": False,
            "pets": [{"name": "Tom", "kind": "cat"}],
        }
        effective = engine.effective_answers(mini_pack, answers)
        assert "pets" not in effective
        assert answers["pets"] == [{"name": "Tom", "kind": "cat"}]

    def test_conditions_inside_items_are_relative_to_the_item(self, mini_pack):
        answers = {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": True,
            "pets": [
                {"name": "Rex", "kind": "dog", "pages": [1, 2]},
                {"name": "Tom", "kind": "cat", "pages": [3]},
            ],
        }
        effective = engine.effective_answers(mini_pack, answers)
        assert effective["pets"][0]["pages"] == [1, 2]
        assert "pages" not in effective["pets"][1]

    def test_defaults_are_filled_in(self, mini_pack):
        effective = engine.effective_answers(
            mini_pack, {"owner": {"name": "Ada", "joined": "2023-05-06"}}
        )
        assert effective["owner"]["since"] == "2023-05-06"

    def test_exactly_the_answers_given_or_defaulted_and_a_new_item_keeps_its_place(self, mini_pack):
        # owner.nickname is not answered and has no default: it is absent, not None; the
        # second pet was added but not filled in yet: still the second item, empty.
        answers = {
            "owner": {"name": "Ada", "joined": "2023-05-06"},
            "has_pets": True,
            "pets": [{"name": "Tom", "kind": "cat"}, {}],
        }
        assert engine.effective_answers(mini_pack, answers) == {
            "owner": {"name": "Ada", "since": "2023-05-06", "joined": "2023-05-06"},
            "has_pets": True,
            "pets": [{"name": "Tom", "kind": "cat"}, {}],
        }

    def test_an_optional_answer_emptied_in_the_form_is_left_out(self, mini_pack):
        # The web form sends "" for an input emptied by hand.
        answers = {"owner": {"name": "Ada", "nickname": "", "since": "2024-01-02"}}
        assert engine.effective_answers(mini_pack, answers) == {
            "owner": {"name": "Ada", "since": "2024-01-02"}
        }

    def test_the_petitions_own_defaults_reach_the_documents(self, petition_pack):
        # Left unanswered: the public version, the Secretaries in office on the filing date,
        # and an item whose Exhibit List is not cited.
        answers = {
            "filing": {"date": "2024-04-24"},
            "volumes": [
                {"numeral": "I", "has_bpi": True, "bpi_items": [{"paragraph": 4, "pages": [3]}]}
            ],
        }
        effective = engine.effective_answers(petition_pack, answers)
        assert effective["filing"] == {"date": "2024-04-24", "version": "public"}
        assert effective["addressees"] == {
            "commerce_secretary": "Gina M. Raimondo",
            "itc_secretary": "Lisa R. Barton",
        }
        assert effective["volumes"][0]["bpi_items"] == [
            {"paragraph": 4, "pages": [3], "exhibit_list": False}
        ]
        # A condition naming an unanswered question sees its default too.
        assert value_at(petition_pack, answers, "filing.version") == "public"
        assert value_at(petition_pack, answers, "addressees.itc_secretary") == "Lisa R. Barton"

    def test_a_no_is_an_answer_that_reaches_the_documents(self, mini_pack):
        answers = {"owner": {"name": "Ada", "since": "2024-01-02"}, "has_pets": False}
        assert engine.effective_answers(mini_pack, answers) == answers

    def test_the_2024_case_as_placed_equals_the_answers_assigned_one_by_one(
        self, petition_pack, solar_answers
    ):
        # The reference: every relevant answer put with paths.assign from the root, as the
        # engine did before it remembered where parents are.
        expected: dict = {}
        for slot in walk(petition_pack, solar_answers):
            if not slot.relevant:
                continue
            value = paths.get(solar_answers, slot.path)
            if slot.question.is_group:
                paths.assign(expected, slot.path, [{} for _ in value or []])
            elif engine.is_answered(value) or value is False:
                paths.assign(expected, slot.path, value)
        effective = engine.effective_answers(petition_pack, solar_answers)
        # product.in_text is the only default the 2024 answers leave to the pack.
        assert effective.pop("product")["in_text"] == (
            "crystalline silicon photovoltaic cells, whether or not assembled into modules"
        )
        expected.pop("product")
        assert effective == expected

    def test_an_object_answer_put_over_a_parent_already_found_replaces_it(self):
        result: dict = {}
        placing = engine._Placing(result)
        placing.put(("a", "b"), 1)
        placing.put(("a",), {"c": 2})
        # Into the new object, not the one "a.b" was put in.
        placing.put(("a", "d"), 3)
        placing.put(("l", 1, "x"), 4)
        placing.put(("l",), [{}, {}, {}])
        placing.put(("l", 2, "y"), 5)
        assert result == {"a": {"c": 2, "d": 3}, "l": [{}, {}, {"y": 5}]}


_KEYS = st.lists(
    st.one_of(st.sampled_from(["a", "b", "c"]), st.integers(0, 2)), min_size=1, max_size=4
).filter(lambda keys: isinstance(keys[0], str))
_VALUES = st.one_of(
    st.integers(0, 9),
    st.just({}),
    st.just([]),
    st.builds(lambda n: [{} for _ in range(n)], st.integers(1, 3)),
    st.builds(dict, st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 9), max_size=2)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES), max_size=12))
def test_placing_puts_exactly_what_assigning_from_the_root_puts(puts):
    """Any sequence of answers placed through remembered parents gives the tree that
    paths.assign from the root gives, containers put over earlier ones included."""
    expected: dict = {}
    for keys, value in puts:
        try:
            paths.assign(expected, tuple(keys), engine.copy_json(value))
        except (paths.PathError, TypeError, AttributeError):
            return  # a sequence the walk never makes (an index into an object, say)
    result: dict = {}
    placing = engine._Placing(result)
    for keys, value in puts:
        placing.put(tuple(keys), engine.copy_json(value))
    assert result == expected


class TestMerge:
    def test_changing_an_earlier_answer_keeps_later_ones(self):
        answers = {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": True,
            "pets": [{"name": "Tom"}],
        }
        merged = engine.merge(answers, {"owner": {"name": "Grace"}, "has_pets": False})
        assert merged == {
            "owner": {"name": "Grace", "since": "2024-01-02"},
            "has_pets": False,
            "pets": [{"name": "Tom"}],
        }

    def test_null_under_a_new_object_is_dropped(self):
        assert engine.merge({}, {"owner": {"name": "Ada", "nickname": None}}) == {
            "owner": {"name": "Ada"}
        }
        assert engine.merge({"owner": "text"}, {"owner": {"nickname": None}}) == {"owner": {}}

    def test_null_removes_an_answer(self):
        assert engine.merge(
            {"owner": {"name": "Ada", "nickname": "A"}}, {"owner": {"nickname": None}}
        ) == {"owner": {"name": "Ada"}}

    def test_a_removed_group_is_one_change(self):
        # Removed by a null in a merge patch, or gone from a replaced whole: one entry either way.
        assert engine.changes({"owner": {"name": "Ada"}}, {"owner": None}) == [
            ("owner", {"name": "Ada"}, None)
        ]
        assert engine.changes({"owner": {"name": "Ada"}}, {}) == [("owner", {"name": "Ada"}, None)]

    def test_the_merged_answers_share_nothing_with_either_side(self):
        # The session keeps the answers before and after a change; editing one must not edit the other.
        answers = {"owner": {"name": "Ada"}, "pets": [{"name": "Tom"}]}
        patch = {"has_pets": True, "tags": [{"label": "a"}]}
        merged = engine.merge(answers, patch)
        merged["owner"]["name"] = "Grace"
        merged["pets"][0]["name"] = "Felix"
        merged["tags"][0]["label"] = "b"
        assert answers == {"owner": {"name": "Ada"}, "pets": [{"name": "Tom"}]}
        assert patch == {"has_pets": True, "tags": [{"label": "a"}]}

    def test_changes_lists_each_path(self):
        found = engine.changes(
            {"owner": {"name": "Ada"}}, {"owner": {"name": "Grace", "nickname": "G"}}
        )
        assert found == [("owner.name", "Ada", "Grace"), ("owner.nickname", None, "G")]


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "a", "b"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    ),
    max_leaves=12,
)
_OBJECTS = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), _JSON, max_size=4)


class TestMergeShared:
    # `make mutation` runs each test twice in one process, on two instances of the class.
    @settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(_OBJECTS, _OBJECTS)
    def test_gives_what_merge_gives_and_changes_neither_side(self, answers, patch):
        before, sent = engine.copy_json(answers), engine.copy_json(patch)
        merged = engine.merge_shared(answers, patch)
        assert merged == engine.merge(answers, patch)
        assert answers == before and patch == sent
        # What it shares, changes finds unchanged without entering it.
        assert engine.changes(answers, merged) == engine.changes(
            before, engine.merge(before, patch)
        )

    def test_shares_what_the_patch_leaves_alone_and_copies_what_it_brings(self):
        answers = {"owner": {"name": "Ada", "address": {"city": "X"}}, "pets": [{"name": "Tom"}]}
        patch = {"owner": {"name": "Grace"}, "tags": [{"label": "a"}]}
        merged = engine.merge_shared(answers, patch)
        assert merged["pets"] is answers["pets"]
        assert merged["owner"]["address"] is answers["owner"]["address"]
        assert merged["owner"] is not answers["owner"]
        assert merged["tags"] == patch["tags"] and merged["tags"] is not patch["tags"]
        assert answers["owner"]["name"] == "Ada"


def test_walking_each_question_of_the_steps_is_the_walk(mini_pack):
    from service.interview.walk import walk_root

    answers = {
        "owner": {"name": "Ada", "joined": "2023-05-06"},
        "has_pets": True,
        "pets": [{"name": "Rex", "kind": "dog"}, {"kind": "cat"}],
    }
    one_by_one = [
        slot
        for step in mini_pack.steps
        for question in step.questions
        for slot in walk_root(mini_pack, answers, step, question)
    ]
    assert one_by_one == list(walk(mini_pack, answers))
    assert any(s.path == "pets[0].pages" and s.relevant for s in one_by_one)

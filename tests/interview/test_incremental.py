"""The parts of a derivation and what each reads (service.interview.incremental)."""

import dataclasses

import pytest

from service.interview.incremental import (
    ANY_ITEM,
    differences,
    overlaps,
    pattern,
    plan_of,
    touched,
)
from service.packs.plugins import made_of, reads


def roots_by_id(plan):
    return {root.question.id: root for root in plan.roots}


class TestPlanOfTheMiniPack:
    def test_one_root_per_question_of_the_steps_in_order(self, mini_pack):
        plan = plan_of(mini_pack)
        assert [r.question.id for r in plan.roots] == [
            "owner.name",
            "owner.nickname",
            "owner.since",
            "owner.joined",
            "has_pets",
            "pets",
        ]
        assert [r.keys for r in plan.roots][:2] == [("owner", "name"), ("owner", "nickname")]
        assert plan.incremental

    def test_a_root_reads_its_own_answers_and_what_its_default_names(self, mini_pack):
        roots = roots_by_id(plan_of(mini_pack))
        assert roots["owner.name"].reads == (("owner", "name"),)
        assert set(roots["owner.since"].reads) == {("owner", "since"), ("owner", "joined")}

    def test_a_group_reads_what_its_conditions_and_its_fields_conditions_name(self, mini_pack):
        roots = roots_by_id(plan_of(mini_pack))
        # "kind" is the item's own field (under "pets"), taken also as a name from the top.
        assert set(roots["pets"].reads) == {("pets",), ("has_pets",), ("kind",)}

    def test_made_once_per_pack(self, mini_pack):
        assert plan_of(mini_pack) is plan_of(mini_pack)

    def test_a_check_without_a_declaration_reads_everything(self, mini_pack):
        def undeclared(answers):
            return []

        pack = dataclasses.replace(mini_pack, checks=(undeclared,))
        (unit,) = plan_of(pack).units
        assert unit.check is undeclared and unit.reads is None and unit.tops is None


class TestDeclarations:
    def test_parts_are_units_each_with_its_reads(self, mini_pack):
        @reads("owner.name")
        def first(answers):
            return []

        @reads("pets[*].kind", "has_pets")
        def second(answers):
            return []

        @made_of(first, second)
        def both(answers):
            return first(answers) + second(answers)

        pack = dataclasses.replace(mini_pack, checks=(both,))
        units = plan_of(pack).units
        assert [u.check for u in units] == [first, second]
        assert units[0].reads == (("owner", "name"),)
        assert units[1].reads == (("pets", ANY_ITEM, "kind"), ("has_pets",))
        assert units[1].tops == {"pets", "has_pets"}

    def test_parts_of_parts_are_flattened(self, mini_pack):
        def a(answers):
            return []

        def b(answers):
            return []

        inner = made_of(a, b)(lambda answers: [])
        outer = made_of(inner, a)(lambda answers: [])
        pack = dataclasses.replace(mini_pack, checks=(outer,))
        assert [u.check for u in plan_of(pack).units] == [a, b, a]

    def test_an_empty_path_reads_everything(self, mini_pack):
        check = reads("owner.name", "")(lambda answers: [])
        pack = dataclasses.replace(mini_pack, checks=(check,))
        assert plan_of(pack).units[0].reads is None

    def test_a_derived_default_reads_what_its_function_declares(self, mini_pack):
        since = dataclasses.replace(
            mini_pack.steps[0].questions[2], default={"derive": "mini.since"}
        )
        steps = (
            dataclasses.replace(
                mini_pack.steps[0],
                questions=(*mini_pack.steps[0].questions[:2], since),
            ),
            *mini_pack.steps[1:],
        )

        def declared(answers):
            return None

        pack = dataclasses.replace(
            mini_pack, steps=steps, derive={"mini.since": reads("owner.name")(declared)}
        )
        assert set(roots_by_id(plan_of(pack))["owner.since"].reads) == {
            ("owner", "since"),
            ("owner", "name"),
        }
        undeclared = dataclasses.replace(pack, derive={"mini.since": lambda answers: None})
        assert roots_by_id(plan_of(undeclared))["owner.since"].reads is None

    def test_roots_that_overlap_turn_reuse_off(self, mini_pack):
        again = dataclasses.replace(mini_pack.steps[0].questions[0], id="owner")
        steps = (
            dataclasses.replace(
                mini_pack.steps[0], questions=(*mini_pack.steps[0].questions, again)
            ),
            *mini_pack.steps[1:],
        )
        assert not plan_of(dataclasses.replace(mini_pack, steps=steps)).incremental


class TestPaths:
    def test_a_pattern_reads_any_item_where_it_says_so(self):
        assert pattern("volumes[*].bpi_items[*].pages") == (
            "volumes",
            ANY_ITEM,
            "bpi_items",
            ANY_ITEM,
            "pages",
        )
        assert pattern("counsel.attorneys[0].name") == ("counsel", "attorneys", 0, "name")
        assert pattern("filing") == ("filing",)
        assert repr(ANY_ITEM) == "[*]"

    @pytest.mark.parametrize(
        ("changed", "read", "expected"),
        [
            (("filing", "date"), ("filing", "date"), True),
            (("filing",), ("filing", "date"), True),  # the object replaced
            (("filing", "date"), ("filing",), True),  # one of its answers
            (("filing", "total_pages"), ("filing", "date"), False),
            (("volumes", 2, "kind"), ("volumes", ANY_ITEM, "kind"), True),
            (("volumes", 2, "title"), ("volumes", ANY_ITEM, "kind"), False),
            (("volumes",), ("volumes", ANY_ITEM, "kind"), True),  # a list of another length
            (("volumes", "x"), ("volumes", ANY_ITEM), False),  # a name is not an item
            (("attorneys", 1), ("attorneys", 0), False),
            (("attorneys", 0), ("attorneys", 0), True),
            (("a", 1), ("a", "1"), False),
            ((), ("anything",), True),  # the whole answers replaced
        ],
    )
    def test_overlaps(self, changed, read, expected):
        assert overlaps(changed, read) is expected

    def test_touched(self):
        assert touched([], None)
        assert not touched([], (("a",),))
        assert touched([("b",), ("a", "x")], (("a",),))
        assert not touched([("b",)], (("a",), ("c",)))


class TestDifferences:
    def test_none_between_equal_answers(self):
        answers = {"a": {"b": [1, 2, {"c": "x"}]}, "d": None}
        assert differences(answers, {"a": {"b": [1, 2, {"c": "x"}]}, "d": None}) == []

    def test_a_changed_value_at_its_path(self):
        before = {"a": {"b": 1, "c": [{"d": "x"}, {"d": "y"}]}}
        after = {"a": {"b": 1, "c": [{"d": "x"}, {"d": "z"}]}}
        assert differences(before, after) == [("a", "c", 1, "d")]

    def test_keys_added_and_removed(self):
        assert differences({"a": 1, "b": 2}, {"b": 2, "c": 3}) == [("a",), ("c",)]

    def test_a_list_of_another_length_at_the_list(self):
        assert differences({"a": [1, 2]}, {"a": [1, 2, 3]}) == [("a",)]

    def test_types_compare_exactly(self):
        assert differences({"a": 1}, {"a": True}) == [("a",)]
        assert differences({"a": 1}, {"a": 1.0}) == [("a",)]
        assert differences({"a": {}}, {"a": []}) == [("a",)]
        assert differences([1], {"0": 1}) == [()]

    def test_shared_objects_are_not_entered(self):
        shared = {"big": list(range(1000))}
        before = {"kept": shared, "x": 1}
        after = {"kept": shared, "x": 2}
        assert differences(before, after) == [("x",)]


def test_the_parts_a_change_touches_are_those_a_full_look_finds(petition_pack):
    """The index by top-level key finds exactly what comparing every part's reads finds."""
    plan = plan_of(petition_pack)
    keys = sorted({r.keys[0] for r in plan.roots}) + ["nowhere"]
    samples = [[]] + [[(k,)] for k in keys] + [[()]]
    samples += [[("filing", "date")], [("volumes", 1, "kind")], [("volumes", 0, "bpi_items", 2)]]
    samples += [[("filing", "total_pages"), ("counsel", "attorneys", 0, "name")]]
    samples += [[("company_certifications",), ("countries", 3)]]
    # Twice: the second time from what the plan remembers of the first.
    for changed in samples + samples:
        assert list(plan.roots_touched(changed)) == [
            i for i, root in enumerate(plan.roots) if changed and touched(changed, root.reads)
        ], changed
        assert list(plan.units_touched(changed)) == [
            i for i, unit in enumerate(plan.units) if changed and touched(changed, unit.reads)
        ], changed


def test_a_plan_remembers_a_bounded_number_of_changes(petition_pack, monkeypatch):
    from service.interview import incremental

    plan = dataclasses.replace(plan_of(petition_pack), _seen={})
    monkeypatch.setattr(incremental, "SEEN", 3)
    for number in range(5):
        changed = [("volumes", number, "kind")]
        assert list(plan.roots_touched(changed)) == [
            i for i, root in enumerate(plan.roots) if touched(changed, root.reads)
        ]
    assert len(plan._seen) == 3
    # Roots and units of the same changes are kept apart.
    assert plan.units_touched([("volumes", 0, "kind")]) == tuple(
        i for i, unit in enumerate(plan.units) if touched([("volumes", 0, "kind")], unit.reads)
    )

"""Reading a step form into answers, and the buttons of groups: plain functions, no server."""

from __future__ import annotations

import pytest

from service.problems import Problem
from service.web.forms import (
    Action,
    ActionError,
    apply_action,
    html_id,
    read_step,
    step_patch,
    without,
)


class TestAction:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, Action("continue")),
            ("save", Action("save")),
            ("add:volumes[1].bpi_items", Action("add", "volumes[1].bpi_items")),
            ("remove:pets[0]", Action("remove", "pets[0]")),
            ("down:coalition.members[3]", Action("down", "coalition.members[3]")),
        ],
    )
    def test_reads_the_button(self, value, expected):
        assert Action.parse(value) == expected

    @pytest.mark.parametrize("value", ["jump", "add:pets[0]", "remove:pets", "up:", "add:a..b"])
    def test_refuses_what_no_page_offers(self, value):
        with pytest.raises(ActionError):
            Action.parse(value)


class TestReadStep:
    def test_typed_texts_are_parsed_laid_over_the_saved_answers(self, mini_pack):
        saved = {
            "owner": {"name": "Ada", "nickname": "A"},
            "has_pets": True,
            "pets": [{"name": "Tom", "kind": "cat"}],
        }
        form = {"owner.name": "  Ada   King ", "owner.nickname": "", "owner.since": "March 3, 1990"}
        reading = read_step(mini_pack, mini_pack.step("owner"), saved, form)
        assert reading.problems == []
        assert reading.answers["owner"] == {"name": "Ada King", "since": "1990-03-03"}
        assert reading.answers["pets"] == saved["pets"]  # another step's answers are untouched
        assert reading.typed == form
        assert saved["owner"]["nickname"] == "A"  # the saved answers are not changed in place

    def test_an_input_missing_from_the_form_keeps_its_answer(self, mini_pack):
        saved = {"has_pets": True, "pets": [{"name": "Tom", "kind": "dog", "pages": [3]}]}
        reading = read_step(mini_pack, mini_pack.step("pets"), saved, {"pets[0].name": "Tommy"})
        assert reading.answers["pets"] == [{"name": "Tommy", "kind": "dog", "pages": [3]}]
        assert reading.answers["has_pets"] is True

    def test_unreadable_texts_are_problems_at_their_path(self, mini_pack):
        saved = {"has_pets": True, "pets": [{"name": "Tom"}]}
        reading = read_step(
            mini_pack,
            mini_pack.step("pets"),
            saved,
            {"has_pets": "perhaps", "pets[0].kind": "hamster", "pets[0].name": "Rex"},
        )
        assert [p.path for p in reading.problems] == ["has_pets", "pets[0].kind"]
        assert all(p.code == "reply.unreadable" for p in reading.problems)
        assert reading.answers["pets"][0] == {"name": "Rex"}

    def test_an_emptied_list_of_pages_is_an_empty_list(self, mini_pack):
        saved = {"has_pets": True, "pets": [{"name": "Rex", "kind": "dog", "pages": [3, 4]}]}
        reading = read_step(mini_pack, mini_pack.step("pets"), saved, {"pets[0].pages": ""})
        assert reading.answers["pets"][0]["pages"] == []


class TestStepPatch:
    def test_sends_the_steps_answers_whole_and_null_for_what_was_removed(self, mini_pack):
        saved = {"owner": {"name": "Ada", "nickname": "A"}, "has_pets": False}
        answers = {"owner": {"name": "Ada"}, "has_pets": False}
        assert step_patch(mini_pack.step("owner"), answers, saved) == {
            "owner": {"name": "Ada", "nickname": None}
        }

    def test_sends_no_null_for_what_never_was(self, mini_pack):
        assert step_patch(mini_pack.step("owner"), {"owner": {"name": "Ada"}}, {}) == {
            "owner": {"name": "Ada"}
        }


class TestApplyAction:
    def answers(self):
        return {"has_pets": True, "pets": [{"name": "Tom"}, {"name": "Rex"}, {"name": "Kit"}]}

    def test_add_appends_an_empty_item(self, mini_pack):
        answers = {"has_pets": True}
        assert (
            apply_action(mini_pack, mini_pack.step("pets"), answers, Action("add", "pets"))
            == "pets[0]"
        )
        assert answers["pets"] == [{}]

    def test_moves_and_removal(self, mini_pack):
        step = mini_pack.step("pets")
        answers = self.answers()
        assert apply_action(mini_pack, step, answers, Action("up", "pets[2]")) == "pets[1]"
        assert [p["name"] for p in answers["pets"]] == ["Tom", "Kit", "Rex"]
        assert apply_action(mini_pack, step, answers, Action("down", "pets[0]")) == "pets[1]"
        assert [p["name"] for p in answers["pets"]] == ["Kit", "Tom", "Rex"]
        assert (
            apply_action(mini_pack, step, answers, Action("up", "pets[0]")) == "pets[0]"
        )  # already first
        assert apply_action(mini_pack, step, answers, Action("remove", "pets[1]")) == "pets"
        assert [p["name"] for p in answers["pets"]] == ["Kit", "Rex"]

    @pytest.mark.parametrize(
        "action",
        [Action("add", "owner.name"), Action("remove", "pets[9]"), Action("add", "nothing")],
    )
    def test_refuses_what_is_not_a_list_of_the_step(self, mini_pack, action):
        with pytest.raises(ActionError):
            apply_action(mini_pack, mini_pack.step("pets"), self.answers(), action)

    def test_a_list_of_another_step_is_refused(self, mini_pack):
        with pytest.raises(ActionError):
            apply_action(mini_pack, mini_pack.step("owner"), self.answers(), Action("add", "pets"))


def test_problems_inside_a_removed_item_are_dropped():
    problems = [Problem(path, "x") for path in ("pets[1].name", "pets[1]", "pets[10].name", "pets")]
    assert [p.path for p in without(problems, "pets[1]")] == ["pets[10].name", "pets"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("filing.date", "f-filing-date"),
        ("volumes[1].bpi_items[0].pages", "f-volumes-1-bpi_items-0-pages"),
        ("counsel.attorneys", "f-counsel-attorneys"),
    ],
)
def test_html_ids(path, expected):
    assert html_id(path) == expected

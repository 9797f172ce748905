"""What a step page, the step list and the review show: plain functions of a pack and answers."""

from __future__ import annotations

from service.interview.engine import open_problems
from service.problems import Problem
from service.web import views


def flatten(nodes):
    for node in nodes:
        yield node
        for item in getattr(node, "items", []):
            yield item
            yield from flatten(item.nodes)


class TestStepPage:
    def test_the_relevant_questions_in_order_with_groups_and_items(
        self, petition_pack, solar_answers
    ):
        page = views.step_page(petition_pack, petition_pack.step("volumes"), solar_answers)
        [volumes] = page.nodes
        assert volumes.kind == "group" and len(volumes.items) == 9
        general = volumes.items[0]
        assert general.legend == "Volume I (General Information and Injury)"  # the pack's item_name
        assert general.summary == "Volume I (General Information and Injury) — 7 BPI items"
        assert not general.open  # collapsed to its one line
        assert [n.path for n in general.nodes] == [
            "volumes[0].numeral",
            "volumes[0].title",
            "volumes[0].kind",
            "volumes[0].has_bpi",
            "volumes[0].bpi_items",
        ]
        bpi = general.nodes[-1]
        assert bpi.items[4].legend.startswith("BPI item 5: (9) Names of persons")
        assert [n.path for n in volumes.items[5].nodes][
            -1
        ] == "volumes[5].has_bpi"  # no BPI list when it has none

    def test_an_item_with_an_error_says_how_many_to_fix(self, petition_pack, solar_answers):
        solar_answers["volumes"][2]["bpi_items"][0]["pages"] = [999]
        problems = open_problems(petition_pack, solar_answers)
        page = views.step_page(
            petition_pack, petition_pack.step("volumes"), solar_answers, problems
        )
        assert (
            page.nodes[0].items[2].summary
            == "Volume III (Malaysia AD Allegation) — 8 BPI items, 1 to fix"
        )

    def test_the_item_named_is_open_with_its_volume(self, petition_pack, solar_answers):
        page = views.step_page(
            petition_pack,
            petition_pack.step("volumes"),
            solar_answers,
            open_paths=["volumes[2].bpi_items[3]"],
        )
        volumes = page.nodes[0]
        assert [item.open for item in volumes.items].count(True) == 1 and volumes.items[2].open
        assert [item.open for item in volumes.items[2].nodes[-1].items] == [
            i == 3 for i in range(8)
        ]

    def test_inputs_hold_what_was_typed_else_the_saved_answer(self, mini_pack):
        answers = {
            "owner": {"name": "Ada"},
            "has_pets": True,
            "pets": [{"name": "Tom", "kind": "cat"}],
        }
        page = views.step_page(
            mini_pack,
            mini_pack.step("pets"),
            answers,
            typed={"pets[0].name": "T0m!", "pets[0].kind": "dog"},
        )
        fields = {n.path: n for n in flatten(page.nodes) if getattr(n, "kind", "") == "field"}
        assert fields["has_pets"].text == "yes" and [
            o.selected for o in fields["has_pets"].options
        ] == [True, False]
        assert fields["pets[0].name"].text == "T0m!"
        assert [o.value for o in fields["pets[0].kind"].options if o.selected] == ["dog"]
        assert fields["pets[0].kind"].widget == "radios"

    def test_many_choices_are_a_list_and_examples_name_the_option(
        self, petition_pack, solar_answers
    ):
        page = views.step_page(petition_pack, petition_pack.step("volumes"), solar_answers)
        paragraph = next(
            n
            for n in flatten(page.nodes)
            if getattr(n, "path", "") == "volumes[0].bpi_items[0].paragraph"
        )
        assert paragraph.widget == "select"
        assert paragraph.example == "(11) Any other specific business information (catch-all)"

    def test_a_default_from_other_answers_is_suggested_a_fixed_one_filled_in(self, mini_pack):
        page = views.step_page(
            mini_pack, mini_pack.step("owner"), {"owner": {"joined": "2020-01-02"}}
        )
        since = next(n for n in page.nodes if n.path == "owner.since")
        assert since.text == "" and since.suggestion == "January 2, 2020"
        assert since.described_by == "f-owner-since-suggestion"

    def test_problems_go_next_to_their_answer_or_the_nearest_thing_shown(self, mini_pack):
        answers = {"has_pets": True, "pets": [{"name": "Tom"}]}
        problems = [
            Problem("pets[0].kind", "Kind?"),
            Problem("pets[0]", "Odd pet"),
            Problem("pets[3].name", "Gone"),
            Problem("elsewhere", "Loose"),
        ]
        page = views.step_page(mini_pack, mini_pack.step("pets"), answers, problems)
        nodes = {n.path: n for n in flatten(page.nodes)}
        assert [p.message for p in nodes["pets[0].kind"].problems] == ["Kind?"]
        assert nodes["pets[0].kind"].invalid
        assert [p.message for p in nodes["pets[0]"].problems] == ["Odd pet"]
        assert [p.message for p in nodes["pets"].problems] == ["Gone"]
        assert [p.message for p in page.loose] == ["Loose"]
        assert [anchor for _, anchor in page.shown] == ["f-pets-0-kind", "f-pets-0", "f-pets", ""]


class TestWhereThingsAre:
    def test_locator_finds_the_step_and_the_nearest_input(self, petition_pack, solar_answers):
        locator = views.Locator(petition_pack, solar_answers)
        assert locator.find("counsel.telephone") == (
            petition_pack.step("counsel"),
            "f-counsel-telephone",
        )
        assert (
            locator.find("volumes[1].bpi_items[2].exhibits[0]")[1]
            == "f-volumes-1-bpi_items-2-exhibits"
        )
        assert locator.find("volumes[0].country") == (
            petition_pack.step("volumes"),
            "",
        )  # hidden by its condition
        assert locator.find("no.such.thing") == (None, "")

    def test_the_first_open_step_is_the_first_with_something_missing(
        self, petition_pack, solar_answers
    ):
        del solar_answers["counsel"]["firm"]
        assert (
            views.first_open_step(
                petition_pack, solar_answers, open_problems(petition_pack, solar_answers)
            ).id
            == "counsel"
        )
        assert (
            views.first_open_step(petition_pack, {}, open_problems(petition_pack, {})).id
            == "filing"
        )

    def test_missing_answers_are_pointed_out_once_a_step_was_saved_and_not_in_new_items(
        self, mini_pack
    ):
        step = mini_pack.step("pets")
        fresh = open_problems(mini_pack, {})
        assert views.worth_pointing_out(step, {}, fresh) == []
        added = {"has_pets": True, "pets": [{}]}
        assert not [
            p
            for p in views.worth_pointing_out(step, added, open_problems(mini_pack, added))
            if p.path.startswith("pets")
        ]
        named = {"has_pets": True, "pets": [{"name": "Tom"}]}
        assert [
            p.path
            for p in views.worth_pointing_out(step, named, open_problems(mini_pack, named))
            if p.path.startswith("pets")
        ] == ["pets[0].kind"]


def test_review_has_a_section_for_every_step(petition_pack, solar_answers):
    sections = views.review_sections(petition_pack, solar_answers)
    assert [s.step.id for s in sections] == [s.id for s in petition_pack.steps]
    rows = {row.path: row for section in sections for row in section.rows}
    assert (
        rows["filing.date"].value == "April 24, 2024"
        and rows["filing.date"].anchor == "f-filing-date"
    )
    assert rows["volumes[0].bpi_items[2].pages"].value == "43, 44"

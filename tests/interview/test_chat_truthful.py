"""The chat tells the truth: complete only when nothing blocks, the problems an answer causes
named, suggestions accepted only when offered, lists edited by word, strict dates, and each
question naming the item it is about."""

import copy

import pytest

from service.interview import conversation, engine, fields
from tests.interview.test_conversation import run


def chat_state(pack, answers):
    """The state of a session a portal created with these answers (its lists closed)."""
    return conversation.close_groups(pack, conversation.new_state(), answers, answers)


@pytest.fixture
def solar(solar_answers):
    solar_answers["product"]["in_text"] = "c-Si PV cells"  # else its suggestion is asked first
    return solar_answers


class TestNeverCompleteWhileSomethingBlocks:
    def test_a_cvd_case_without_its_volume_is_asked_about_not_complete(self, petition_pack, solar):
        del solar["volumes"][5]  # Cambodia's CVD allegation
        state = chat_state(petition_pack, solar)
        asked = conversation.next_question(petition_pack, solar, state)
        assert asked is not None and asked.blocking
        assert asked.id == "countries[0].cvd_case"
        assert "no volume is the CVD allegation for Cambodia" in asked.prompt
        assert "Country 1 (Cambodia)" in asked.prompt
        # The same answer again does not settle it, and nothing claims the interview is done.
        _, state, (turn,) = run(petition_pack, ["C-555-004"], solar, state)
        assert "complete" not in turn.message and "does not settle it" in turn.message
        assert turn.question.id == "countries[0].cvd_case"

    def test_clearing_the_case_number_settles_it(self, petition_pack, solar):
        del solar["volumes"][5]
        answers, _, (turn,) = run(petition_pack, ["clear"], solar, chat_state(petition_pack, solar))
        assert "cvd_case" not in answers["countries"][0]
        assert turn.question is None or not turn.question.blocking

    def test_adding_the_missing_volume_is_a_way_out(self, petition_pack, solar):
        del solar["volumes"][5]
        answers, _, (turn,) = run(
            petition_pack, ["add volume"], solar, chat_state(petition_pack, solar)
        )
        assert len(answers["volumes"]) == len(solar["volumes"]) + 1
        assert turn.question.id == f"volumes[{len(solar['volumes'])}].numeral"

    def test_a_missing_company_certification_is_asked_for(self, petition_pack, solar):
        solar["company_certifications"] = solar["company_certifications"][:1]
        asked = conversation.next_question(petition_pack, solar, chat_state(petition_pack, solar))
        assert asked.blocking and asked.id == "company_certifications[1].name"
        assert "No company certification is given for First Solar, Inc." in asked.prompt

    def test_progress_is_never_complete_while_an_error_is_open(self, petition_pack, solar):
        solar["company_certifications"] = solar["company_certifications"][:1]
        progress = engine.progress(petition_pack, solar)
        assert progress.required - progress.answered == 3  # three certifications to add
        assert progress.percent < 100

    def test_the_complete_case_is_complete(self, petition_pack, solar):
        assert (
            conversation.next_question(petition_pack, solar, chat_state(petition_pack, solar))
            is None
        )
        assert engine.progress(petition_pack, solar).percent == 100


class TestEveryReplySaysWhatItDid:
    def test_a_case_number_of_another_country_is_named_in_the_reply(self, petition_pack, solar):
        del solar["countries"][2]["ad_case"]  # Thailand
        state = conversation.new_state()
        state["skipped"] = [
            f"countries[{i}].{key}" for i in (0, 1, 3) for key in ("ad_case", "cvd_case")
        ]
        solar_asked = copy.deepcopy(solar)
        state["closed"] = []
        asked = conversation.next_question(petition_pack, solar_asked, state)
        assert asked.id == "countries[2].ad_case"
        assert asked.prompt.startswith("Country 3 (Thailand) — ")
        answers, _, (turn,) = run(petition_pack, ["A-552-851"], solar_asked, state)
        assert answers["countries"][2]["ad_case"] == "A-552-851"
        assert turn.message.startswith("Saved: A-552-851. But this answer raised a problem: ")
        assert "552 (Vietnam)" in turn.message
        assert [p.path for p in turn.problems] == ["countries[2].ad_case"]

    def test_a_list_being_filled_in_does_not_report_what_its_next_items_settle(
        self, petition_pack, solar
    ):
        solar.pop("volumes")
        state = chat_state(petition_pack, solar)
        asked = conversation.next_question(petition_pack, solar, state)
        assert asked.id == "volumes[0].numeral"
        _, _, (turn,) = run(petition_pack, ["I"], solar, state)
        # Every case is "without its volume" now, until the other volumes come: not said yet.
        assert turn.message == "Saved: I." and turn.problems == []

    def test_the_date_understood_is_echoed(self, mini_pack):
        _, _, turns = run(mini_pack, ["Ada", "skip", "24/04/2024"])
        assert turns[-1].message == "Saved: April 24, 2024."


class TestSuggestions:
    def test_ok_without_a_suggestion_is_not_saved_as_a_name(self, mini_pack):
        answers, _, (turn,) = run(mini_pack, ["ok"])
        assert answers == {}
        assert "no suggestion to accept" in turn.message
        assert turn.problems[0].code == "reply.nothing_to_accept"

    def test_yes_accepts_a_suggestion_that_was_offered(self, mini_pack):
        answers = {"owner": {"name": "Ada", "joined": "2023-05-06"}}
        state = {**conversation.new_state(), "skipped": ["owner.nickname"]}
        answers, _, _ = run(mini_pack, ["yes"], answers, state)
        assert answers["owner"]["since"] == "2023-05-06"


class TestLists:
    def test_remove_takes_out_an_item_added_by_mistake(self, mini_pack):
        answers, _, turns = run(
            mini_pack,
            ["Ada", "skip", "May 1, 2024", "skip", "yes", "Rex", "dog", "", "yes", "remove"],
        )
        assert answers["pets"] == [{"name": "Rex", "kind": "dog", "pages": []}]
        assert turns[-1].message == "Removed Pet 2."
        assert turns[-1].question is None  # the list is closed: nothing more is asked

    def test_no_more_inside_an_empty_item_ends_the_list(self, mini_pack):
        answers, _, turns = run(
            mini_pack, ["Ada", "skip", "May 1, 2024", "skip", "yes", "Rex", "cat", "yes", "no more"]
        )
        assert answers["pets"] == [{"name": "Rex", "kind": "cat"}]
        assert "empty item is removed" in turns[-1].message

    def test_remove_attorney_2_and_move_up(self, petition_pack, solar):
        solar["counsel"]["attorneys"].append({})
        new = len(solar["counsel"]["attorneys"]) - 1
        state = chat_state(petition_pack, solar)
        asked = conversation.next_question(petition_pack, solar, state)
        assert asked.id == f"counsel.attorneys[{new}].name"
        second = solar["counsel"]["attorneys"][1]["name"]
        answers, state, turns = run(
            petition_pack, ["remove attorney 2", "move up", "Jane Doe"], solar, state
        )
        names = [a.get("name") for a in answers["counsel"]["attorneys"]]
        assert second not in names
        assert turns[0].message == f"Removed Attorney 2 ({second})."
        assert names[-2:] == ["Jane Doe", solar["counsel"]["attorneys"][new - 1]["name"]]
        assert turns[1].message == f"Moved up: Attorney {new} is now attorney {new - 1}."

    def test_words_that_name_no_list_are_an_answer(self, mini_pack):
        answers, _, _ = run(mini_pack, ["Add Lovelace"])
        assert answers == {"owner": {"name": "Add Lovelace"}}


class TestDates:
    @pytest.mark.parametrize(
        "typed", ["5-7, 12", "1, 2, 3", "April 24-26, 2024", "April 2024", "24.4", "soon"]
    )
    def test_lists_ranges_and_partial_dates_are_not_dates(self, typed):
        with pytest.raises(fields.FieldParseError):
            fields.parse_date(typed)

    @pytest.mark.parametrize(
        "typed",
        [
            "April 24, 2024",
            "24 April 2024",
            "2024-04-24",
            "4/24/2024",
            "24/04/2024",
            "Wednesday, April 24, 2024",
            "Apr. 24th, 2024",
        ],
    )
    def test_one_day_in_the_usual_forms(self, typed):
        assert fields.parse_date(typed).isoformat() == "2024-04-24"

    def test_an_ambiguous_date_is_asked_back_and_settled_in_words(self, mini_pack):
        answers, _, turns = run(mini_pack, ["Ada", "skip", "03/04/2024", "3 April"])
        assert "could be 3 April or March 4, 2024" in turns[2].message
        assert turns[2].problems[0].code == "reply.ambiguous_date"
        assert answers["owner"]["since"] == "2024-04-03"
        assert turns[3].message == "Saved: April 3, 2024."


class TestQuestionsNameTheirItem:
    def test_a_later_bpi_item_names_its_volume(self, petition_pack, solar):
        del solar["volumes"][2]["bpi_items"][1]["pages"]
        state = chat_state(petition_pack, solar)
        state["closed"].remove("volumes[2].bpi_items")  # as if the chat itself had asked
        asked = conversation.next_question(petition_pack, solar, state)
        assert asked.id == "volumes[2].bpi_items[1].pages"
        assert (
            asked.prompt
            == "Volume III (Malaysia AD Allegation), BPI item 2 — Which pages? (leave empty if none)"
        )

    def test_the_first_item_of_a_list_reads_as_a_sentence(self, petition_pack, solar):
        solar["volumes"][2]["bpi_items"] = []
        state = chat_state(petition_pack, solar)
        asked = conversation.next_question(petition_pack, solar, state)
        assert asked.id == "volumes[2].bpi_items[0].paragraph"
        assert asked.prompt.startswith(
            "The items of this volume's BPI list. Volume III (Malaysia AD Allegation), BPI item 1 — Under which paragraph"
        )

    def test_optional_answers_a_portal_left_out_are_not_asked_per_item(self, petition_pack, solar):
        for volume in solar["volumes"]:
            for item in volume.get("bpi_items", []):
                item.pop("exhibit_list", None)
        assert (
            conversation.next_question(petition_pack, solar, chat_state(petition_pack, solar))
            is None
        )


class TestReadingCommandsChangeNothing:
    @pytest.mark.parametrize("command", ["help", "review", "Help."])
    def test_state_and_answers_unchanged(self, mini_pack, command):
        answers = {"owner": {"name": "Ada"}}
        state = conversation.new_state()
        turn = conversation.reply(mini_pack, answers, state, command)
        assert turn.answers is None
        assert turn.state == conversation.with_defaults(state)

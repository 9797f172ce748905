"""The chat-style interview: one question at a time, free text, back/skip/review/help."""

import pytest

from service.interview import conversation


def run(pack, replies, answers=None, state=None):
    answers = answers or {}
    state = state or conversation.new_state()
    turns = []
    for text in replies:
        turn = conversation.reply(pack, answers, state, text)
        if turn.answers is not None:
            answers = turn.answers
        state = turn.state
        turns.append(turn)
    return answers, state, turns


class TestNextQuestion:
    def test_first_question_is_the_first_of_the_pack(self, mini_pack):
        asked = conversation.next_question(mini_pack, {}, {})
        assert asked.id == "owner.name"
        assert asked.type == "text"
        assert asked.example == "Ada Lovelace"

    def test_optional_questions_are_asked_and_can_be_skipped(self, mini_pack):
        answers, state, turns = run(mini_pack, ["Ada", "skip"])
        assert turns[1].message == "Skipped."
        assert turns[1].question.id == "owner.since"

    def test_required_questions_cannot_be_skipped(self, mini_pack):
        _, _, (turn,) = run(mini_pack, ["skip"])
        assert "cannot be skipped" in turn.message
        assert turn.question.id == "owner.name"


class TestReply:
    def test_a_whole_interview_with_a_repeated_group(self, mini_pack):
        answers, _, turns = run(
            mini_pack,
            [
                "Ada",
                "skip",
                "January 2, 2024",
                "skip",
                "yes",
                "Rex",
                "dog",
                "3, 4, 6-9",
                "yes",
                "Tom",
                "Cat",
                "no",
            ],
        )
        assert answers == {
            "owner": {"name": "Ada", "since": "2024-01-02"},
            "has_pets": True,
            "pets": [
                {"name": "Rex", "kind": "dog", "pages": [3, 4, 6, 7, 8, 9]},
                {"name": "Tom", "kind": "cat"},
            ],
        }
        assert turns[-1].question is None
        # "No" to another pet ends the interview; nothing is left to ask or to fix.
        assert (turns[-2].message, turns[-1].message) == ("Saved: Cat.", "Noted.")
        assert conversation.open_problems(mini_pack, answers) == []

    def test_an_unreadable_answer_is_explained_and_not_saved(self, mini_pack):
        answers, _, turns = run(mini_pack, ["Ada", "skip", "next tuesday-ish"])
        assert answers == {"owner": {"name": "Ada"}}
        assert "is not a date" in turns[-1].message
        assert turns[-1].question.id == "owner.since"
        assert turns[-1].problems[0].path == "owner.since"

    def test_a_value_its_field_refuses_is_not_saved(self, mini_pack):
        answers, _, turns = run(mini_pack, ["x" * 80])
        assert answers == {}
        assert "at most 50 characters" in turns[-1].message

    def test_back_returns_to_the_previous_answer_and_replaces_it(self, mini_pack):
        answers, _, turns = run(mini_pack, ["Ada", "back", "Grace"])
        assert turns[1].question.id == "owner.name"
        assert turns[1].question.current == "Ada"
        assert answers == {"owner": {"name": "Grace"}}
        assert turns[2].question.id == "owner.nickname"

    def test_default_is_offered_and_accepted_with_ok(self, mini_pack):
        answers = {"owner": {"name": "Ada", "joined": "2023-05-06"}}
        state = {**conversation.new_state(), "skipped": ["owner.nickname"]}
        asked = conversation.next_question(mini_pack, answers, state)
        assert asked.id == "owner.since"
        assert "Suggested: May 6, 2023" in asked.prompt
        answers, _, _ = run(mini_pack, ["ok"], answers, state)
        assert answers["owner"]["since"] == "2023-05-06"

    def test_help_and_review_change_nothing(self, mini_pack):
        answers, _, turns = run(mini_pack, ["Ada", "help", "review"], {})
        assert answers == {"owner": {"name": "Ada"}}
        assert "optional" in turns[1].message
        assert turns[2].review[0]["answers"][0] == {
            "path": "owner.name",
            "label": "Owner name",
            "value": "Ada",
            "answered": True,
        }


class TestExhibitsTakeTheirVolumesNumeral:
    def test_bare_numbers_become_exhibits_of_the_volume(self, petition_pack):
        from service.interview import fields

        answers = {
            "volumes": [{"numeral": "I"}, {"numeral": "III", "bpi_items": [{"paragraph": 11}]}]
        }
        value = fields.parse_at(
            petition_pack, answers, "volumes[1].bpi_items[0].exhibits", "3, 4, III-7"
        )
        assert value == ["III-3", "III-4", "III-7"]

    def test_paths_know_the_items_they_lie_in(self):
        from service.interview import paths

        assert paths.scopes_of("volumes[1].bpi_items[0].pages") == (
            "volumes[1]",
            "volumes[1].bpi_items[0]",
        )
        assert paths.scopes_of("filing.date") == ()


class TestAnAnswerThatUndoesAnother:
    """Answering "no" to "Is that date right?" asks for the date again at once."""

    @staticmethod
    def ask_until(pack, answers, target):
        state = conversation.new_state()
        for _ in range(60):
            asked = conversation.next_question(pack, answers, state)
            if asked.id == target:
                return state
            # "No more" to each list, "skip" to each optional question left empty.
            answers, state, _ = run(
                pack,
                ["no" if asked.id.endswith(conversation.MORE_SUFFIX) else "skip"],
                answers,
                state,
            )
        raise AssertionError(f"{target} was never asked")

    def test_no_to_a_differing_date_asks_for_the_date_again(self, petition_pack, solar_answers):
        solar_answers["representative_certification"]["date"] = "2024-04-23"
        state = self.ask_until(
            petition_pack, solar_answers, "representative_certification.date_confirmed"
        )
        answers, state, (refused, corrected) = run(
            petition_pack, ["no", "April 24, 2024"], solar_answers, state
        )
        assert refused.question.id == "representative_certification.date"
        assert refused.question.current == "2024-04-23"
        assert "change it to April 24, 2024" in refused.message and refused.message.startswith(
            "Saved: no."
        )
        assert [p.code for p in refused.problems] == ["certification.date_unconfirmed"]
        assert answers["representative_certification"]["date"] == "2024-04-24"
        assert corrected.question is None
        assert (
            corrected.message
            == "Saved: April 24, 2024. That was the last question: the interview is complete."
        )
        assert not [
            p
            for p in conversation.open_problems(petition_pack, answers)
            if p.code == "certification.date_unconfirmed"
        ]

    def test_yes_keeps_the_date_and_moves_on(self, petition_pack, solar_answers):
        solar_answers["company_certifications"][1]["date"] = "2024-04-22"
        state = self.ask_until(
            petition_pack, solar_answers, "company_certifications[1].date_confirmed"
        )
        answers, _, (turn,) = run(petition_pack, ["yes"], solar_answers, state)
        assert turn.message == "Saved: yes."
        # The next company's certification, not the date just confirmed.
        assert turn.question.id == "company_certifications[3].represents"
        assert answers["company_certifications"][1] == {
            **solar_answers["company_certifications"][1],
            "date_confirmed": True,
        }

    def test_a_problem_elsewhere_is_reported_but_does_not_interrupt(
        self, petition_pack, solar_answers
    ):
        # A page that the volume's (c)(11) list does not name is an error at that page, which
        # the list may settle: the reply says so, and the chat goes on.
        del solar_answers["volumes"][0]["bpi_items"][5]["pages"]
        state = self.ask_until(petition_pack, solar_answers, "volumes[0].bpi_items[5].pages")
        answers, _, (turn,) = run(petition_pack, ["10, 11, 999"], solar_answers, state)
        assert answers["volumes"][0]["bpi_items"][5]["pages"] == [10, 11, 999]
        assert turn.message.startswith(
            "Saved: 10, 11, 999. But this answer raised a problem: Page 999"
        )
        assert [p.path for p in turn.problems] == ["volumes[0].bpi_items[5].pages[2]"]
        assert turn.question.id == "volumes[0].bpi_items#more"
        assert "volumes[0].bpi_items[5].pages[2]" in [
            p.path for p in conversation.open_problems(petition_pack, answers)
        ]


class TestPlural:
    @pytest.mark.parametrize(
        ("label", "count", "text"),
        [
            ("country", 1, "country"),
            ("country", 4, "countries"),
            ("member company", 2, "member companies"),
            ("attorney", 7, "attorneys"),
            ("volume", 0, "volumes"),
            ("BPI item", 2, "BPI items"),
        ],
    )
    def test_labels_count_in_english(self, label, count, text):
        assert conversation.plural(label, count) == text


class TestAddAnother:
    def test_the_question_after_a_finished_item(self, mini_pack):
        _, _, turns = run(
            mini_pack,
            ["Ada", "skip", "January 2, 2024", "skip", "yes", "Rex", "dog", "3, 4, 6-9"],
        )
        assert turns[-1].question == conversation.AskedQuestion(
            id="pets#more",
            prompt='You have given 1 pet. Add another pet? (Say "remove" to take the last one out.)',
            type="yesno",
            step="pets",
            step_title="Pets",
            help="",
            example="no",
            required=True,
        )

    def test_each_list_of_the_2024_case_in_turn_naming_the_volume_around_bpi_items(
        self, petition_pack, solar_answers
    ):
        # Every other question put off, each list left open: the chat asks of each in order.
        state = conversation.new_state()
        asked = []
        while (
            question := conversation.next_question(petition_pack, solar_answers, state)
        ) is not None:
            if question.id.endswith("#more"):
                asked.append(
                    question.prompt.removesuffix(' (Say "remove" to take the last one out.)')
                )
                state["closed"].append(question.id.removesuffix("#more"))
            else:
                state["skipped"].append(question.id)
        assert asked[:6] == [
            "You have given 4 countries. Add another country?",
            "You have given 1 petitioner. Add another petitioner?",
            "You have given 4 member companies. Add another member company?",
            "You have given 7 attorneys. Add another attorney?",
            "You have given 2 economic consultants. Add another economic consultant?",
            "Volume I (General Information and Injury) — You have given 7 BPI items. "
            "Add another BPI item?",
        ]
        assert asked[-2:] == [
            "You have given 9 volumes. Add another volume?",
            "You have given 4 company certifications. Add another company certification?",
        ]


class TestItemName:
    @pytest.mark.parametrize(
        ("name", "shown"),
        [
            (
                "Coalition for Fair Trade in Crystalline Silicon Solar Panels",
                "Petitioner 1 (Coalition for Fair Trade in Crystalline Silicon Solar Panels)",
            ),
            (
                "American Alliance for Solar Manufacturing Trade Committee, Inc.",
                "Petitioner 1 (American Alliance for Solar Manufacturing Trade Committee, …)",
            ),
            ("American  Alliance\nfor Solar", "Petitioner 1 (American Alliance for Solar)"),
        ],
    )
    def test_an_item_without_a_pattern_is_named_by_its_first_text_up_to_60_characters(
        self, petition_pack, name, shown
    ):
        group = petition_pack.question_at("petitioners")
        assert conversation.item_name(group, {"name": name}, 0) == shown


class TestSavedState:
    def test_a_state_saved_before_a_key_existed_keeps_what_it_had(self):
        saved = {"skipped": ["owner.nickname"], "closed": ["pets"], "history": ["owner.name"]}
        assert conversation.with_defaults(saved) == {
            "skipped": ["owner.nickname"],
            "closed": ["pets"],
            "history": ["owner.name"],
            "revisit": None,
            "deferred": [],
            "ambiguous": None,
        }


class TestNoMore:
    def test_inside_an_item_started_by_mistake_removes_it_and_closes_the_list(self, mini_pack):
        before = ["Ada", "skip", "May 1, 2024", "skip", "yes", "Rex", "cat", "yes"]
        answers, state, _ = run(mini_pack, before)
        assert answers["pets"] == [{"name": "Rex", "kind": "cat"}, {}]
        conversation.reply(mini_pack, answers, state, "no more")
        # The session's answers are not touched: the turn carries a changed copy.
        assert answers["pets"] == [{"name": "Rex", "kind": "cat"}, {}]
        answers, state, turns = run(mini_pack, [*before, "no more"])
        assert turns[-1].answers == {
            "owner": {"name": "Ada", "since": "2024-05-01"},
            "has_pets": True,
            "pets": [{"name": "Rex", "kind": "cat"}],
        }
        assert turns[-1].message == "Noted: no more; the empty item is removed."
        assert turns[-1].question is None
        # The list's answers leave the history that "back" walks.
        assert state == {
            "skipped": ["owner.nickname", "owner.joined"],
            "closed": ["pets"],
            "history": ["owner.name", "owner.since", "has_pets"],
            "revisit": None,
            "deferred": [],
            "ambiguous": None,
        }

    def test_inside_a_started_item_keeps_it_and_still_asks_what_it_needs(self, mini_pack):
        answers, state, turns = run(
            mini_pack, ["Ada", "skip", "May 1, 2024", "skip", "yes", "Rex", "no more"]
        )
        assert turns[-1].answers is None  # nothing to save
        assert answers["pets"] == [{"name": "Rex"}]
        assert turns[-1].message == "Noted: no more."
        assert state["closed"] == ["pets"]
        assert turns[-1].question.id == "pets[0].kind"
        assert turns[-1].question.prompt == "Pet 1 (Rex) — Kind"


class TestEditingListsByWord:
    """Rex (a dog, page 3) and Tom (a cat) given, "Add another pet?" asked: each command's
    reply, the list it leaves and what is asked next."""

    GIVEN = ["Ada", "skip", "May 1, 2024", "skip", "yes", "Rex", "dog", "3", "yes", "Tom", "cat"]
    REX = {"name": "Rex", "kind": "dog", "pages": [3]}
    TOM = {"name": "Tom", "kind": "cat"}
    HISTORY = ["owner.name", "owner.since", "has_pets"]
    PET_ANSWERS = ["pets[0].name", "pets[0].kind", "pets[0].pages", "pets[1].name", "pets[1].kind"]

    @pytest.mark.parametrize(
        ("commands", "message", "pets", "asked", "closed", "history"),
        [
            (
                ["remove pet 5"],
                "There is no pet 5 to remove; the list has 2.",
                None,
                "pets#more",
                [],
                HISTORY + PET_ANSWERS,
            ),
            (
                ["remove pet 1"],
                "Removed Pet 1 (Rex).",
                [TOM],
                "pets#more",
                [],
                HISTORY,
            ),
            (
                ["remove pets 2"],
                "Removed Pet 2 (Tom).",
                [REX],
                "pets#more",
                [],
                HISTORY,
            ),
            # The pet at hand removed: no more are asked for.
            (["remove this"], "Removed Pet 2 (Tom).", [REX], None, ["pets"], HISTORY),
            (
                ["move up"],
                "Moved up: Pet 2 (Tom) is now pet 1.",
                [TOM, REX],
                "pets#more",
                [],
                HISTORY,
            ),
            (
                ["move down"],
                "That item cannot move down: it is already last.",
                None,
                "pets#more",
                [],
                HISTORY + PET_ANSWERS,
            ),
            (
                ["add pet"],
                "Added pet 3.",
                [REX, TOM, {}],
                "pets[2].name",
                [],
                HISTORY + PET_ANSWERS,
            ),
            (["add pet", "remove"], "Removed Pet 3.", [REX, TOM], None, ["pets"], HISTORY),
            (
                ["add pet", "move up"],
                "Moved up: Pet 3 is now pet 2.",
                [REX, {}, TOM],
                "pets[1].name",
                [],
                HISTORY,
            ),
            (
                ["add pet", "clear"],
                "There is no answer here that can be cleared: this question needs one.",
                None,
                "pets[2].name",
                [],
                HISTORY + PET_ANSWERS,
            ),
        ],
    )
    def test_each_command(self, mini_pack, commands, message, pets, asked, closed, history):
        _, state, turns = run(mini_pack, [*self.GIVEN, *commands])
        turn = turns[-1]
        assert turn.message == message
        assert (turn.answers["pets"] if turn.answers is not None else None) == pets
        assert (turn.question.id if turn.question else None) == asked
        assert (state["closed"], state["history"]) == (closed, history)

    def test_removing_the_last_pet_says_one_is_needed(self, mini_pack):
        _, _, turns = run(mini_pack, [*self.GIVEN, "remove pet 1", "remove pet 1"])
        assert turns[-1].message == "Removed Pet 1 (Tom). At least 1 pet is needed."
        assert turns[-1].answers["pets"] == []

"""Field types: what a person types becomes an answer, and an answer is shown as they would
type it (review pages, prefilled inputs, suggested defaults)."""

from __future__ import annotations

import datetime as dt

import pytest

from service.interview import fields
from service.packs.model import Choice, Question


class TestParseDate:
    @pytest.mark.parametrize("text", ["April 24, 2024", "24 April 2024", "2024-04-24", "4/24/2024"])
    def test_a_whole_date_is_read(self, text):
        assert fields.parse_date(text).isoformat() == "2024-04-24"

    @pytest.mark.parametrize("text", ["April 2024", "24 April"])
    def test_a_date_missing_its_day_month_or_year_is_refused(self, text):
        with pytest.raises(fields.FieldParseError) as refused:
            fields.parse_date(text)
        assert (
            str(refused.value)
            == f"{text!r} needs a day, a month and a year, such as April 24, 2024."
        )

    def test_what_is_no_date_says_how_to_type_one(self):
        with pytest.raises(
            fields.FieldParseError,
            match=r"^'next tuesday-ish' is not a date; type it as April 24, 2024 or 2024-04-24\.$",
        ):
            fields.parse_date("next tuesday-ish")


class TestParseDateRefusals:
    """Each refusal names the text as typed and says what is wrong with it."""

    ASKED = (dt.date(2024, 4, 3), dt.date(2024, 3, 4))

    @pytest.mark.parametrize(
        ("text", "choose_from", "message"),
        [
            (
                "February 30, 2024",
                (),
                "'February 30, 2024' is not a day of the calendar; check the day and the month.",
            ),
            (
                "31 April",
                ASKED,
                "'31 April' is not a day of the calendar; check the day and the month.",
            ),
            (
                "April 2024",
                ASKED,
                "'April 2024' needs a day, a month and a year, such as April 24, 2024.",
            ),
            ("Smarch 5, 2024", (), "'Smarch 5, 2024' is not a date: 'smarch' is not a month."),
            (
                "03/04/2024",
                (),
                "'03/04/2024' could be 3 April or March 4, 2024: which one? Type it with the "
                "month in words, such as March 4, 2024.",
            ),
            (
                "2024-04-244",
                (),
                "'2024-04-244' is not a date; type it as April 24, 2024 or 2024-04-24.",
            ),
        ],
    )
    def test_what_is_wrong_is_said(self, text, choose_from, message):
        with pytest.raises(fields.FieldParseError) as refused:
            fields.parse_date(text, choose_from=choose_from)
        assert str(refused.value) == message

    @pytest.mark.parametrize(
        "text",
        [
            "April 5-7, 2024",
            "April 5 to 7, 2024",
            "April 5 and 6, 2024",
            # No comma before the year: only the words "to" and "and" tell.
            "5 to 7 April 2024",
            "5 and 6 April 2024",
        ],
    )
    def test_a_range_or_a_list_of_days_is_called_one(self, text):
        with pytest.raises(fields.FieldParseError) as refused:
            fields.parse_date(text)
        assert str(refused.value) == (
            f"{text!r} looks like a list or a range of days, not one date; type one date, "
            "such as April 24, 2024."
        )


class TestParseYesNo:
    @pytest.mark.parametrize(
        ("text", "value"), [("yes!", True), ("  Yes  ", True), ("No.", False), ("none", False)]
    )
    def test_yes_and_no_with_their_punctuation(self, text, value):
        assert fields.parse_yes_no(text) is value

    def test_anything_else_is_refused(self):
        with pytest.raises(fields.FieldParseError, match=r"^Please answer yes or no\.$"):
            fields.parse_yes_no("!yes")


class TestFormatValue:
    @pytest.mark.parametrize(
        ("path", "value", "shown"),
        [
            ("filing.date", "2024-04-24", "April 24, 2024"),
            ("filing.date", "24/04/2024", "24/04/2024"),  # not a date: shown as it is
            ("filing.date", None, ""),
            ("coalition.has_members", True, "yes"),
            ("coalition.has_members", False, "no"),
            (
                "volumes[0].bpi_items[0].paragraph",
                5,
                "(5) Prices of individual sales, likely sales, or other offers",
            ),
            ("volumes[0].bpi_items[0].pages", [3, 4, 6, 7, 8, 9], "3, 4, 6-9"),
            ("volumes[0].bpi_items[0].exhibits", ["I-3", "I-4"], "I-3, I-4"),
            ("filing.total_pages", 13, "13"),
            ("counsel.firm", "Wiley Rein LLP", "Wiley Rein LLP"),
        ],
    )
    def test_an_answer_is_shown_as_it_would_be_typed(self, petition_pack, path, value, shown):
        assert fields.format_value(petition_pack.question_at(path), value) == shown

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            ("filing.date", "2024-04-24"),
            ("volumes[0].bpi_items[0].pages", [3, 4, 6, 7, 8, 9]),
            ("coalition.has_members", False),
        ],
    )
    def test_what_is_shown_reads_back_as_the_same_answer(self, petition_pack, path, value):
        question = petition_pack.question_at(path)
        assert fields.parse(question, fields.format_value(question, value)) == value


class TestParseChoice:
    @pytest.mark.parametrize(
        "text",
        [
            "5",
            "(5)",
            "(5) prices of individual",
            "(5) PRICES of individual sales, likely sales, or other offers",
        ],
    )
    def test_a_numbered_paragraph_by_number_or_words(self, petition_pack, text):
        question = petition_pack.question_at("volumes[0].bpi_items[0].paragraph")
        assert fields.parse_choice(question, text) == 5

    def test_an_unknown_choice_lists_the_choices(self, petition_pack):
        question = petition_pack.question_at("representative_certification.capacity")
        with pytest.raises(fields.FieldParseError) as refused:
            fields.parse_choice(question, "lawyer")
        assert (
            str(refused.value)
            == "'lawyer' is not one of the choices; answer with one of: counsel, adviser, preparer, reviewer."
        )


class TestParseChoiceByItsParts:
    """Which of the three readings (value or label, a bracketed value, the start of a label)
    picks the choice, where the later ones would pick another or none."""

    def test_a_bracketed_number_that_begins_several_labels_is_the_number(self, petition_pack):
        # "(1)" begins the labels of (1), (10) and (11): only the bracket reading settles it.
        question = petition_pack.question_at("volumes[0].bpi_items[0].paragraph")
        assert fields.parse_choice(question, "(1)") == 1

    def test_a_bracketed_word_value_is_that_value(self, petition_pack):
        question = petition_pack.question_at("filing.version")
        assert fields.parse_choice(question, "(BPI)") == "bpi"

    def test_a_word_that_is_no_value_or_label_picks_nothing(self, petition_pack):
        question = petition_pack.question_at("filing.version")
        with pytest.raises(fields.FieldParseError, match="^'none' is not one of the choices"):
            fields.parse_choice(question, "none")

    def test_a_whole_label_wins_over_a_longer_label_it_begins(self):
        question = Question(
            id="version",
            type="choice",
            prompt="Which version?",
            choices=(Choice("p", "Public"), Choice("pb", "Public and BPI")),
        )
        assert fields.parse_choice(question, "public") == "p"
        assert fields.parse_choice(question, "PUBLIC AND BPI") == "pb"


class TestParse:
    @pytest.mark.parametrize(
        ("path", "text", "value"),
        [
            ("counsel.firm", "  Wiley   Rein \t LLP ", "Wiley Rein LLP"),
            (
                "counsel.address",
                "2050 M Street, NW  \r\n\r\n  Washington, DC 20036 ",
                "2050 M Street, NW\nWashington, DC 20036",
            ),
            ("filing.total_pages", "1,013", 1013),
            ("volumes[0].bpi_items[0].pages", "", []),
            ("volumes[0].bpi_items[0].exhibits", "  ", []),
        ],
    )
    def test_each_type_reads_what_was_typed(self, petition_pack, path, text, value):
        assert fields.parse(petition_pack.question_at(path), text) == value

    @pytest.mark.parametrize(
        ("path", "text", "message"),
        [
            ("counsel.firm", "  ", "Please type an answer."),
            (
                "filing.total_pages",
                "13 pages",
                "'13 pages' is not a whole number; type digits, such as 13.",
            ),
        ],
    )
    def test_what_cannot_be_read_says_what_to_type(self, petition_pack, path, text, message):
        with pytest.raises(fields.FieldParseError) as refused:
            fields.parse(petition_pack.question_at(path), text)
        assert str(refused.value) == message


class TestParseAt:
    def test_exhibits_take_the_numeral_of_their_volume(self, petition_pack):
        answers = {"volumes": [{"numeral": "II"}]}
        assert fields.parse_at(
            petition_pack, answers, "volumes[0].bpi_items[0].exhibits", "3, 4"
        ) == ["II-3", "II-4"]

    def test_without_a_numeral_a_bare_number_is_refused(self, petition_pack):
        with pytest.raises(fields.FieldParseError, match="'3' has no volume numeral"):
            fields.parse_at(
                petition_pack, {"volumes": [{}]}, "volumes[0].bpi_items[0].exhibits", "3"
            )

    @pytest.mark.parametrize("path", ["volumes", "nothing.here"])
    def test_a_group_or_an_unknown_path_is_no_question(self, petition_pack, path):
        with pytest.raises(
            fields.FieldParseError, match=r"^There is no such question in this interview\.$"
        ):
            fields.parse_at(petition_pack, {}, path, "x")

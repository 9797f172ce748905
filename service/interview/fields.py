"""Field types: turning what a person typed into an answer, and an answer back into text.

The chat-style API and the web form both go through ``parse``; the JSON API sends values as
JSON and skips it. Each parser raises FieldParseError with a message that says what to type.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from service.interview import paths
from service.interview.walk import value_at
from service.packs.model import Pack, Question
from service.packs.plugins import Unreadable

YES = frozenset({"yes", "y", "true", "yeah", "yep", "sure", "correct", "1"})
NO = frozenset({"no", "n", "false", "nope", "none", "0"})


class FieldParseError(ValueError):
    pass


def parse_at(pack: Pack, answers: dict[str, Any], path: str, text: str) -> Any:
    """The answer that ``text`` gives to the question at ``path``, with the answers around it
    that the question's type refers to (see ``QuestionType.refers``). Chat and web both call this.

    Raises FieldParseError as ``parse`` does, and for a path the pack does not ask.
    """
    question = pack.question_at(path)
    if question is None or question.is_group:
        raise FieldParseError("There is no such question in this interview.")
    scopes = paths.scopes_of(path)
    refs = {
        option: value_at(pack, answers, target, scopes)
        for option, target in question.refers.items()
    }
    return parse(question, text, refs=refs)


def parse(question: Question, text: str, *, refs: dict[str, Any] | None = None) -> Any:
    """The answer that ``text`` gives to ``question``.

    Raises FieldParseError: an empty text; a date, number, choice or yes/no that cannot be
    read; what a plugin's type cannot read.
    """
    text = text.strip()
    if not text and not blank_is_answer(question):
        raise FieldParseError("Please type an answer.")
    kind = question.type
    if question.plugin_type is not None:
        try:
            return question.plugin_type.parse(text, refs or {})
        except Unreadable as exc:
            raise FieldParseError(str(exc)) from exc
    if kind == "text":
        return " ".join(text.split())
    if kind == "multiline":
        return "\n".join(
            line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()
        )
    if kind == "date":
        return parse_date(text).isoformat()
    if kind == "number":
        cleaned = text.replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", cleaned):
            raise FieldParseError(f"{text!r} is not a whole number; type digits, such as 13.")
        return int(cleaned)
    if kind == "yesno":
        return parse_yes_no(text)
    if kind == "choice":
        return parse_choice(question, text)
    raise FieldParseError(f"a {kind} is answered item by item, not in one reply")


def blank_is_answer(question: Question) -> bool:
    """Whether an empty text answers ``question`` (an empty list) rather than removing it."""
    return question.plugin_type is not None and question.plugin_type.blank_is_answer


# Month names and their usual abbreviations, lower case → month number.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# The only shapes a date may take: a list ("1, 2, 3") or a range ("5-7, 12") is never one.
_DATE_SHAPES = (
    re.compile(rf"{_YEAR}-(?P<month_number>\d{{1,2}})-{_DAY}"),
    re.compile(rf"(?P<first>\d{{1,2}})[/.](?P<second>\d{{1,2}})[/.]{_YEAR}"),
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(rf"{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}"),
)
_PARTIAL_SHAPES = (
    re.compile(rf"{_MONTH}\s+{_DAY}"),
    re.compile(rf"{_DAY}(?:\s+of)?\s+{_MONTH}"),
    re.compile(rf"{_MONTH},?\s+{_YEAR}"),
)


class AmbiguousDate(FieldParseError):
    """A numeric date that reads as two different days (03/04/2024); ``options`` holds both,
    day-first then month-first."""

    def __init__(self, text: str, options: tuple[dt.date, dt.date]) -> None:
        day_first, month_first = options
        super().__init__(
            f"{text!r} could be {day_first.day} {day_first:%B} or {month_first:%B} {month_first.day}, "
            f"{month_first.year}: which one? Type it with the month in words, such as "
            f"{format_date(month_first)}."
        )
        self.options = options


def parse_date(text: str, *, choose_from: tuple[dt.date, ...] = ()) -> dt.date:
    """One calendar date, typed as 2024-04-24, April 24, 2024, 24 April 2024 or 4/24/2024.

    Strict on purpose, since a wrong date in a filing is worse than a question: lists and
    ranges are refused, a year is required, and a numeric date whose day and month could be
    swapped raises AmbiguousDate. ``choose_from``: the two readings of an ambiguous date asked
    about before; a day and month without a year ("3 April") picks one of them.
    """
    cleaned = " ".join(text.strip().lower().split())
    for shape in _DATE_SHAPES:
        match = shape.fullmatch(cleaned)
        if match:
            return _date_of(text, match.groupdict())
    if choose_from:
        for shape in _PARTIAL_SHAPES[:2]:
            match = shape.fullmatch(cleaned)
            if match:
                wanted = _date_of(text, {**match.groupdict(), "year": str(choose_from[0].year)})
                if wanted in choose_from:
                    return wanted
    if re.search(r"\d\s*[,;&]\s*\d|\d\s*(?:-|–|to|and)\s*\d", cleaned) and not re.search(
        r"\d{4}-\d", cleaned
    ):
        raise FieldParseError(
            f"{text!r} looks like a list or a range of days, not one date; type one date, such as April 24, 2024."
        )
    if any(shape.fullmatch(cleaned) for shape in _PARTIAL_SHAPES):
        raise FieldParseError(f"{text!r} needs a day, a month and a year, such as April 24, 2024.")
    raise FieldParseError(f"{text!r} is not a date; type it as April 24, 2024 or 2024-04-24.")


def _date_of(text: str, parts: dict[str, str | None]) -> dt.date:
    year = int(parts["year"] or 0)
    try:
        if parts.get("first"):
            first, second = int(parts["first"]), int(parts["second"])
            readings = []
            for day, month in ((first, second), (second, first)):
                try:
                    readings.append(dt.date(year, month, day))
                except ValueError:
                    pass
            if len(set(readings)) == 2:
                raise AmbiguousDate(text, (readings[0], readings[1]))
            if readings:
                return readings[0]
            raise ValueError
        if parts.get("month_number"):
            month = int(parts["month_number"])
        else:
            month = MONTHS.get(parts["month"] or "", 0)
            if not month:
                raise FieldParseError(f"{text!r} is not a date: {parts['month']!r} is not a month.")
        return dt.date(year, month, int(parts["day"] or 0))
    except FieldParseError:
        raise
    except ValueError:
        raise FieldParseError(
            f"{text!r} is not a day of the calendar; check the day and the month."
        ) from None


def format_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower().rstrip(".!")
    if word in YES:
        return True
    if word in NO:
        return False
    raise FieldParseError("Please answer yes or no.")


def parse_choice(question: Question, text: str) -> Any:
    wanted = text.strip().lower()
    for choice in question.choices:
        if wanted in (str(choice.value).lower(), choice.label.lower()):
            return choice.value
    # "(5)" or "5" for a numbered paragraph; the start of a label otherwise.
    bare = wanted.strip("()")
    for choice in question.choices:
        if bare == str(choice.value).lower():
            return choice.value
    starts = [c for c in question.choices if c.label.lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0].value
    options = ", ".join(str(c.value) for c in question.choices)
    raise FieldParseError(f"{text!r} is not one of the choices; answer with one of: {options}.")


def format_value(question: Question, value: Any) -> str:
    """An answer as a person would type it, for review pages and prefilled inputs."""
    if value is None:
        return ""
    kind = question.type
    if question.plugin_type is not None:
        return question.plugin_type.format(value)
    if kind == "date" and isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return format_date(day)
    if kind == "yesno":
        return "yes" if value else "no"
    if kind == "choice":
        return question.choice_label(value)
    return str(value)

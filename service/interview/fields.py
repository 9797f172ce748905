"""Field types: turning what a person typed into an answer, and an answer back into text.

The chat-style API and the web form both go through ``parse``; the JSON API sends values as
JSON and skips it. Each parser raises FieldParseError with a message that says what to type.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil import parser as date_parser

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
    refs = {option: value_at(pack, answers, target, scopes) for option, target in question.refers.items()}
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
        return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
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


def parse_date(text: str) -> dt.date:
    # Parse twice with different defaults: a part that changes was not typed, and a date
    # without a year or a day ("April 2024") is too vague for a legal filing.
    try:
        first = date_parser.parse(text, default=dt.datetime(2000, 1, 1))
        second = date_parser.parse(text, default=dt.datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        raise FieldParseError(f"{text!r} is not a date; type it as April 24, 2024 or 2024-04-24.") from None
    if first.date() != second.date():
        raise FieldParseError(f"{text!r} needs a day, a month and a year, such as April 24, 2024.")
    return first.date()


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
        return f"{day:%B} {day.day}, {day.year}"
    if kind == "yesno":
        return "yes" if value else "no"
    if kind == "choice":
        return question.choice_label(value)
    return str(value)

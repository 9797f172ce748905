"""A step's HTML form and the answers: reading what a person typed, and the buttons of groups.

Inputs are named by the concrete path of their answer (``parts[1].items[0].pages``), so
the form needs no mapping of its own. Every typed text goes through ``fields.parse_at``, the
same parser the chat API uses, and the resulting patch is checked by ``value_problems``, the same
check the JSON API uses: the three clients give the same words.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from service.interview import fields, paths
from service.interview.validation import describe
from service.packs.model import Pack, Question, Step
from service.problems import Problem

ACTIONS = frozenset({"save", "continue", "add", "remove", "up", "down"})


class ActionError(ValueError):
    """A button value the page never offers (a forged or outdated form)."""


@dataclass(frozen=True, slots=True)
class Action:
    """The button that submitted the form: save, continue, or a change to a group's items."""

    kind: str
    # The group (add) or the item (remove, up, down) the button is about.
    path: str = ""

    @classmethod
    def parse(cls, value: str | None) -> Action:
        """``"add:parts[1].items"`` → Action("add", "parts[1].items").

        Raises ActionError for an unknown kind, a path that does not parse, or an item button
        whose path does not end with an index.
        """
        kind, _, path = (value or "continue").partition(":")
        if kind not in ACTIONS:
            raise ActionError(f"unknown action {kind!r}")
        if kind in ("save", "continue"):
            return cls(kind)
        try:
            keys = paths.split(path)
        except paths.PathError as exc:
            raise ActionError(str(exc)) from None
        needs_index = kind != "add"
        if not keys or isinstance(keys[-1], int) != needs_index:
            raise ActionError(
                f"{kind} needs {'an item' if needs_index else 'a group'}, not {path!r}"
            )
        return cls(kind, path)

    @property
    def changes_items(self) -> bool:
        return self.kind in ("add", "remove", "up", "down")


@dataclass(slots=True)
class Reading:
    """What a submitted step form says: the answers with the typed values laid over the saved
    ones, each typed text as it was typed, and the texts that could not be read."""

    answers: dict[str, Any]
    typed: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_step(pack: Pack, step: Step, saved: dict[str, Any], form: Mapping[str, Any]) -> Reading:
    """Lay the inputs of ``step`` found in ``form`` over ``saved``.

    A question whose input is not in the form (hidden by a condition, or a radio left
    unchosen) keeps its saved answer; an emptied input removes its answer. Group items are
    those saved: the page was drawn from them at the revision the form carries.
    """
    reading = Reading(answers=copy.deepcopy(saved))
    _read(pack, step.questions, "", form, reading)
    return reading


def _read(
    pack: Pack,
    questions: tuple[Question, ...],
    prefix: str,
    form: Mapping[str, Any],
    reading: Reading,
) -> None:
    for question in questions:
        path = f"{prefix}{question.id}"
        if question.is_group:
            items = paths.get(reading.answers, path)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    _read(pack, question.fields, f"{path}[{index}].", form, reading)
            continue
        if path not in form:
            continue
        raw = form[path]
        text = raw[-1] if isinstance(raw, list) else str(raw)
        reading.typed[path] = text
        # Some types read an empty text as an answer of its own (an empty list).
        if not text.strip() and not fields.blank_is_answer(question):
            _remove(reading.answers, path)
            continue
        try:
            value = fields.parse_at(pack, reading.answers, path, text)
        except fields.FieldParseError as exc:
            # The chat API's words for the same mistake.
            reading.problems.append(
                Problem(
                    path=path, message=f"{describe(pack, path)}: {exc}", code="reply.unreadable"
                )
            )
            continue
        paths.assign(reading.answers, path, value)


def _remove(tree: dict[str, Any], path: str) -> None:
    if paths.has(tree, path):
        paths.remove(tree, path)


def step_patch(step: Step, answers: dict[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
    """The JSON merge patch that turns ``saved`` into ``answers`` for ``step``: each of its
    top-level questions with its whole value (a group's list is sent whole), or null where a
    saved answer is now absent."""
    patch: dict[str, Any] = {}
    for question in step.questions:
        value = paths.get(answers, question.id)
        if value is None and paths.get(saved, question.id) is None:
            continue  # a null inside an object the answers lack would be kept by the merge
        paths.assign(patch, question.id, copy.deepcopy(value))
    return patch


def apply_action(pack: Pack, step: Step, answers: dict[str, Any], action: Action) -> str:
    """Add, remove or move a group item of ``step`` in ``answers`` (in place). Returns the
    path the page should show next: the new or moved item, or the group.

    Raises ActionError when the path is not a group (item) of this step, or an item that
    does not exist.
    """
    if not action.changes_items:
        return ""
    keys = paths.split(action.path)
    group_path = paths.join(keys if action.kind == "add" else keys[:-1])
    question = pack.question_at(group_path)
    if question is None or not question.is_group or not _in_step(step, group_path):
        raise ActionError(f"{group_path!r} is not a list of this page")
    items = paths.get(answers, group_path)
    if items is None and action.kind == "add":
        items = []
        paths.assign(answers, group_path, items)
    if not isinstance(items, list):
        raise ActionError(f"{group_path!r} is not a list of this page")
    if action.kind == "add":
        items.append({})
        return f"{group_path}[{len(items) - 1}]"
    index = keys[-1]
    assert isinstance(index, int)
    if index >= len(items):
        raise ActionError(f"there is no item {action.path!r}")
    if action.kind == "remove":
        items.pop(index)
        return group_path
    other = index - 1 if action.kind == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        return f"{group_path}[{other}]"
    return action.path


def without(problems: list[Problem], removed_item: str) -> list[Problem]:
    """The problems not inside an item that is being removed: a mistake in it does not matter."""
    return [
        p
        for p in problems
        if not (
            p.path == removed_item or p.path.startswith((f"{removed_item}.", f"{removed_item}["))
        )
    ]


def _in_step(step: Step, path: str) -> bool:
    top = {q.id for q in step.questions}
    keys = paths.split(path)
    # The step's own question ids are dotted names, so compare name prefixes of the path.
    names: list[str] = []
    for key in keys:
        if isinstance(key, int):
            break
        names.append(key)
        if ".".join(names) in top:
            return True
    return False


def html_id(path: str) -> str:
    """The id of the input (or fieldset) of an answer: ``items[1].title`` → ``f-items-1-title``."""
    return "-".join(["f", *(_ID_UNSAFE.sub("_", str(key)) for key in paths.split(path))])


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_]")

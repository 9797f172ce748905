"""Walking a pack's questions over the answers so far.

The walk yields one ``Slot`` per concrete question (``volumes[1].bpi_items[0].pages``), in
interview order, with whether a condition makes it relevant. Everything else in the engine
(what is missing, progress, the next question, the answers that reach the documents) is a
fold over this walk.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, NamedTuple

from service.interview import conditions, paths
from service.packs.model import Pack, Question, Step

_UNSET = object()


class Slot(NamedTuple):
    # A tuple, not a frozen dataclass: a walk makes hundreds, and a frozen dataclass sets
    # each field through object.__setattr__.
    step: Step
    question: Question
    path: str
    # The group items this slot is inside, innermost last; conditions look there first.
    scopes: tuple[str, ...]
    relevant: bool


def walk(pack: Pack, answers: dict[str, Any]) -> Iterator[Slot]:
    for step in pack.steps:
        yield from _walk_questions(pack, answers, step, step.questions, "", (), True)


def walk_root(
    pack: Pack, answers: dict[str, Any], step: Step, question: Question
) -> Iterator[Slot]:
    """The walk of one question of ``step`` and of every question under it: ``walk`` is these,
    one after another, for each question of each step (a question of a step is never inside a
    group item, so its conditions never look among siblings)."""
    return _walk_questions(pack, answers, step, (question,), "", (), True)


def _walk_questions(
    pack: Pack,
    answers: dict[str, Any],
    step: Step,
    questions: tuple[Question, ...],
    prefix: str,
    scopes: tuple[str, ...],
    parent_relevant: bool,
) -> Iterator[Slot]:
    for question in questions:
        path = f"{prefix}{question.id}"
        # Most questions have no condition: no lookup is made for them.
        relevant = parent_relevant and (
            question.when is None
            or conditions.holds(
                question.when, lambda name: value_at(pack, answers, name, scopes, questions)
            )
        )
        yield Slot(step=step, question=question, path=path, scopes=scopes, relevant=relevant)
        if question.is_group:
            items = paths.get(answers, path)
            for index in range(len(items) if isinstance(items, list) else 0):
                item_path = f"{path}[{index}]"
                yield from _walk_questions(
                    pack,
                    answers,
                    step,
                    question.fields,
                    f"{item_path}.",
                    (*scopes, item_path),
                    relevant,
                )


def value_at(
    pack: Pack,
    answers: dict[str, Any],
    name: str,
    scopes: tuple[str, ...] = (),
    siblings: tuple[Question, ...] = (),
) -> Any:
    """The effective value a condition or a default names: relative to the innermost group
    item that has such a field, else absolute; a missing answer falls back to its default."""
    sibling_ids = {q.id for q in siblings}
    for scope in reversed(scopes):
        if name in sibling_ids or paths.has(answers, f"{scope}.{name}"):
            full = f"{scope}.{name}"
            break
        sibling_ids = set()
    else:
        full = name
    value = paths.get(answers, full, _UNSET)
    if value is not _UNSET:
        return value
    question = pack.question_at(full)
    if question is None or question.default is None:
        return None
    return default_for(pack, answers, question, scopes)


def default_for(
    pack: Pack, answers: dict[str, Any], question: Question, scopes: tuple[str, ...] = ()
) -> Any:
    """The suggested answer of a question, or None. Defaults never raise: a rule that fails
    on odd answers simply suggests nothing."""
    default = question.default
    if isinstance(default, dict):
        if "field" in default:
            return value_at(pack, answers, default["field"])
        if "derive" in default:
            try:
                return pack.derive[default["derive"]](answers)
            except Exception:  # noqa: BLE001 - a suggestion is optional by nature
                return None
        return None
    return copy.deepcopy(default)


def is_answered(value: Any) -> bool:
    return value not in (None, "", {}) and not (isinstance(value, list) and value == [])

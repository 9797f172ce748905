"""What the interview knows about a set of answers: what is open, what comes next, and the
answers that reach the documents. Plain functions of a pack and the answers; no I/O."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from service.interview import paths
from service.interview.validation import describe
from service.interview.walk import Slot, default_for, is_answered, walk
from service.packs.model import Pack
from service.problems import Problem


@dataclass(frozen=True, slots=True)
class Progress:
    """What is settled out of what must be: every required answer, and every error the rules
    still find (one more thing to settle each), so that an open error never reads as done."""

    answered: int
    required: int

    @property
    def percent(self) -> int:
        if self.answered >= self.required:
            return 100
        return min(99, round(100 * self.answered / self.required))


def effective_answers(
    pack: Pack, answers: dict[str, Any], slots: list[Slot] | None = None
) -> dict[str, Any]:
    """The answers as the documents see them: defaults filled in, and what a condition makes
    irrelevant left out (it stays saved in the session, ready if the condition changes).
    ``slots``: the walk of the same answers, when already made."""
    result: dict[str, Any] = {}
    placing = _Placing(result)
    for slot in walk(pack, answers) if slots is None else slots:
        if not slot.relevant:
            continue
        keys = paths.split(slot.path)
        value = paths.get(answers, keys)
        if slot.question.is_group:
            # Keep the list's length so that item paths stay the same as in the session.
            value = [{} for _ in value] if isinstance(value, list) else []
        else:
            if not is_answered(value):
                value = default_for(pack, answers, slot.question, slot.scopes)
            if not (is_answered(value) or value is False):
                continue
            value = copy_json(value)
        placing.put(keys, value)
    return result


class _Placing:
    """``paths.assign`` into one result, remembering where each parent is: the walk gives a
    list before its items and an item's answers one after another, so most answers go
    straight into a parent already found."""

    __slots__ = ("result", "parents", "under")

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result
        self.parents: dict[tuple[paths.Key, ...], Any] = {(): result}
        # Every path that a remembered parent lies under (or is).
        self.under: set[tuple[paths.Key, ...]] = {()}

    def put(self, keys: tuple[paths.Key, ...], value: Any) -> None:
        parent_keys, last = keys[:-1], keys[-1]
        parent = self.parents.get(parent_keys)
        if parent is None:
            paths.assign(self.result, keys, value)
            self.parents[parent_keys] = paths.get(self.result, parent_keys)
            self.under.update(parent_keys[:n] for n in range(len(parent_keys) + 1))
        elif isinstance(last, int):
            paths.assign(parent, (last,), value)
        else:
            parent[last] = value
        if keys in self.under:
            # Put over something a parent was found in: that parent is gone.
            for stale in [k for k in self.parents if k[: len(keys)] == keys]:
                del self.parents[stale]


def missing_problems(
    pack: Pack, answers: dict[str, Any], slots: list[tuple[Slot, Any]] | None = None
) -> list[Problem]:
    """Required answers not given yet (relevant ones only), each with its path. ``slots``:
    ``required_slots`` of the same answers, when already walked."""
    problems = []
    for slot, value in required_slots(pack, answers) if slots is None else slots:
        if slot_done(slot, value):
            continue
        question = slot.question
        if question.is_group:
            count = len(value) if isinstance(value, list) else 0
            need = max(question.min_items, 1)
            what = (
                f"needs at least {need} {question.item_label}{'s' if need > 1 else ''}"
                if count
                else f"no {question.item_label} given yet"
            )
        else:
            what = "not answered yet"
        problems.append(
            Problem(
                path=slot.path,
                message=f"{describe(pack, slot.path)}: {what}",
                code="required",
                missing=True,
            )
        )
    return problems


def open_problems(pack: Pack, answers: dict[str, Any]) -> list[Problem]:
    """Everything still standing between these answers and the documents: what is missing,
    then what the pack's rules find inconsistent (errors and warnings)."""
    return missing_problems(pack, answers) + rule_problems(pack, answers)


def rule_problems(
    pack: Pack,
    answers: dict[str, Any],
    slots: list[Slot] | None = None,
    checks: tuple[Callable[[dict[str, Any]], list[Problem]], ...] | None = None,
) -> list[Problem]:
    """What the pack's rules find inconsistent across answers (errors and warnings).
    ``slots``: the walk of the same answers, when already made (or the part of it whose
    effective answers the checks read); ``checks``: the checks to run, if not the pack's."""
    effective = effective_answers(pack, answers, slots)
    return [
        problem
        for check in (pack.checks if checks is None else checks)
        for problem in check(effective)
    ]


def progress(
    pack: Pack,
    answers: dict[str, Any],
    rules: list[Problem] | None = None,
    slots: list[tuple[Slot, Any]] | None = None,
) -> Progress:
    """Required answers given, out of those required plus one for each error of the rules
    (never 100% while one is open). ``rules``: the rules' problems, when already found;
    ``slots``: ``required_slots``, when already walked."""
    required = answered = 0
    for slot, value in required_slots(pack, answers) if slots is None else slots:
        required += 1
        answered += slot_done(slot, value)
    found = rule_problems(pack, answers) if rules is None else rules
    blocking = sum(1 for problem in found if problem.severity == "error")
    return Progress(answered=answered, required=required + blocking)


def required_slots(
    pack: Pack, answers: dict[str, Any], slots: list[Slot] | None = None
) -> list[tuple[Slot, Any]]:
    """The relevant required questions with their values (defaults filled in): one walk,
    shared by what is missing and the progress. ``slots``: that walk, when already made."""
    return list(_required_slots(pack, answers, walk(pack, answers) if slots is None else slots))


def _required_slots(pack: Pack, answers: dict[str, Any], slots: Iterable[Slot]):
    for slot in slots:
        if slot.relevant and slot.question.required:
            value = paths.get(answers, slot.path)
            if not slot.question.is_group and not is_answered(value):
                value = default_for(pack, answers, slot.question, slot.scopes)
            yield slot, value


def slot_done(slot: Slot, value: Any) -> bool:
    """Whether a required slot with this value (its default filled in) is settled."""
    if slot.question.is_group:
        count = len(value) if isinstance(value, list) else 0
        return count >= max(slot.question.min_items, 1)
    return is_answered(value) or value is False


def merge(answers: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``patch`` laid over ``answers`` (JSON merge patch, RFC 7396: objects merge, ``null``
    removes, lists and scalars replace). Changing one answer never deletes another."""
    return _merge_into(copy_json(answers), patch)


def merge_shared(answers: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``merge``, but every answer the patch leaves alone is shared with ``answers`` rather
    than copied: for a caller that changes neither afterwards (a write of answers it has just
    read). On the 2024 case a one-answer patch costs a few objects instead of a copy of all."""
    result = dict(answers)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            current = result.get(key)
            result[key] = merge_shared(current if isinstance(current, dict) else {}, value)
        else:
            result[key] = copy_json(value)
    return result


def _merge_into(result: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    # ``result`` is a copy already: merged in place, so no level is copied twice.
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            # A nested null removes even where nothing was there yet: merge into {} drops it.
            current = result.get(key)
            result[key] = _merge_into(current if isinstance(current, dict) else {}, value)
        else:
            result[key] = copy_json(value)
    return result


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than
    ``copy.deepcopy``, which keeps a memo of every object for cycles JSON cannot have."""
    if type(value) in _IMMUTABLE:
        return value
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def changes(
    before: Any, after: Any, prefix: tuple[paths.Key, ...] = ()
) -> list[tuple[str, Any, Any]]:
    """The answers that differ, as (path, old, new), for the append-only answer log."""
    if before is after:
        # Shared by a merge (merge_shared): nothing under it differs.
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in list(before) + [k for k in after if k not in before]:
            found += changes(before.get(key), after.get(key), (*prefix, key))
        return found
    if before == after:
        return []
    return [(paths.join(prefix), before, after)]

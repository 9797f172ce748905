"""What the engine derives from a revision's answers, in the form it is stored with the
revision: computed when the revision is written, read back by every later request.

A write usually changes one answer: ``derive_after`` reruns only the parts of the derivation
that read what changed (see ``incremental``) and keeps the previous revision's findings of the
others, which are stored with the part that found each (``part``). It gives exactly what
``derive`` gives (tests/interview/test_derived.py compares the two over random patches of the
2024 case).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from service.interview import engine
from service.interview.engine import Progress
from service.interview.incremental import differences, plan_of
from service.interview.walk import Slot, walk_root
from service.packs.model import Pack
from service.problems import Problem

# Bumped when what is derived (or how it is stored) changes, so stored values are recomputed.
# 2: each stored problem names the part of the derivation that found it.
FORMAT = 2
_TITLE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Derived:
    title: str
    status: str
    progress: Progress
    problems: list[Problem]
    # Which part found each problem, in step with ``problems``: "q3" what the fourth question
    # of the steps (with those under it) lacks, "c1" the second check's findings.
    parts: tuple[str, ...]

    def columns(self, pack: Pack) -> dict[str, Any]:
        """The values of the session's derived columns."""
        return {
            "title": self.title,
            "status": self.status,
            "derived_for": stamp(pack),
            "progress_answered": self.progress.answered,
            "progress_required": self.progress.required,
            "open_errors": sum(1 for p in self.problems if p.severity == "error"),
            "open_warnings": sum(1 for p in self.problems if p.severity != "error"),
            "problems": [
                {**p.as_dict(), "missing": p.missing, "part": part}
                for p, part in zip(self.problems, self.parts, strict=True)
            ],
        }


@dataclass(frozen=True, slots=True)
class Previous:
    """A revision's answers with the derived columns stored with them (current for the pack)."""

    answers: dict[str, Any]
    problems: list[dict[str, Any]] | None
    progress_answered: int | None
    progress_required: int | None


@dataclass(frozen=True, slots=True)
class _Part:
    """What one question of the steps (with those under it) gives a derivation."""

    slots: list[Slot]
    required: list[tuple[Slot, Any]]

    @property
    def done(self) -> int:
        return sum(1 for slot, value in self.required if engine.slot_done(slot, value))


def derive(pack: Pack, answers: dict[str, Any]) -> Derived:
    """Runs the engine once over the answers."""
    plan = plan_of(pack)
    # One walk of the questions over the answers, for the answers the rules see and for the
    # required questions (what is missing, the progress); made question by question.
    parts = [_part(pack, answers, root.step, root.question) for root in plan.roots]
    slots = [slot for part in parts for slot in part.slots]
    return _assembled(
        pack,
        answers,
        missing=[engine.missing_problems(pack, answers, p.required) for p in parts],
        found=_checked(pack, answers, slots, range(len(plan.units))),
        answered=sum(p.done for p in parts),
        required=sum(len(p.required) for p in parts),
    )


def derive_after(pack: Pack, answers: dict[str, Any], previous: Previous | None) -> Derived:
    """``derive(pack, answers)``, rerunning only the parts that read what changed since
    ``previous`` (whose stored columns must be current for ``pack``); without a previous
    revision it can use, the whole derivation."""
    plan = plan_of(pack)
    kept = _kept(plan, previous) if plan.incremental and previous is not None else None
    if kept is None:
        return derive(pack, answers)
    assert previous is not None
    before = previous.answers
    changed = differences(before, answers)
    answered, required = kept.answered, kept.required
    fresh: dict[int, _Part] = {}
    missing: dict[int, list[Problem]] = {}
    effective_changes: list[tuple[Any, ...]] = []
    for index in plan.roots_touched(changed):
        root = plan.roots[index]
        old = _part(pack, before, root.step, root.question)
        new = fresh[index] = _part(pack, answers, root.step, root.question)
        answered += new.done - old.done
        required += len(new.required) - len(old.required)
        missing[index] = engine.missing_problems(pack, answers, new.required)
        effective_changes += differences(
            engine.effective_answers(pack, before, old.slots),
            engine.effective_answers(pack, answers, new.slots),
        )
    rerun = plan.units_touched(effective_changes)
    # The checks rerun get the effective answers under the top-level keys they read, each key
    # whole (only questions under a key put anything there): as in the whole derivation.
    tops: set[Any] | None = set()
    for k in rerun:
        unit_tops = plan.units[k].tops
        tops = None if tops is None or unit_tops is None else tops | unit_tops
    slots: list[Slot] = []
    for index, root in enumerate(plan.roots if rerun else ()):
        if tops is None or root.keys[0] in tops:
            if index not in fresh:
                fresh[index] = _part(pack, answers, root.step, root.question)
            slots += fresh[index].slots
    found = dict(zip(rerun, _checked(pack, answers, slots, rerun), strict=True))
    stored = kept.problems
    return _assembled(
        pack,
        answers,
        missing=[missing.get(i, stored.get(name, ())) for i, name in enumerate(plan.root_names)],
        found=[found.get(k, stored.get(name, ())) for k, name in enumerate(plan.unit_names)],
        answered=answered,
        required=required,
    )


def stamp(pack: Pack) -> str:
    """What stored derived values were computed with; anything else is recomputed."""
    return f"{pack.name}@{pack.version}#{FORMAT}"[:120]


def stored_problems(rows: list[dict[str, Any]] | None) -> list[Problem]:
    return [_problem(row) for row in rows or []]


def _problem(row: dict[str, Any]) -> Problem:
    return Problem(
        path=row["path"],
        message=row["message"],
        severity=row["severity"],
        code=row["code"],
        missing=row.get("missing", False),
    )


def _checked(
    pack: Pack, answers: dict[str, Any], slots: list[Slot], units: Iterable[int]
) -> list[list[Problem]]:
    """The findings of each of these check units over the effective answers of ``slots``.
    They run through ``engine.rule_problems``, once per derivation (with no check at all when a
    write touches nothing a check reads): the one door the pack's rules go through."""
    plan = plan_of(pack)
    found: list[list[Problem]] = []

    def kept(check: Callable[[Any], list[Problem]]) -> Callable[[Any], list[Problem]]:
        def run(effective: Any) -> list[Problem]:
            found.append(check(effective))
            return found[-1]

        return run

    engine.rule_problems(pack, answers, slots, tuple(kept(plan.units[k].check) for k in units))
    return found


def _part(pack: Pack, answers: dict[str, Any], step: Any, question: Any) -> _Part:
    slots = list(walk_root(pack, answers, step, question))
    return _Part(slots=slots, required=engine.required_slots(pack, answers, slots))


def _assembled(
    pack: Pack,
    answers: dict[str, Any],
    *,
    missing: list[Sequence[Problem]],
    found: list[Sequence[Problem]],
    answered: int,
    required: int,
) -> Derived:
    plan = plan_of(pack)
    problems: list[Problem] = []
    parts: list[str] = []
    for name, each in zip(plan.root_names, missing, strict=True):
        if each:
            problems += each
            parts += [name] * len(each)
    # An open error of the rules is one more thing to settle (engine.progress).
    blocking = 0
    for name, each in zip(plan.unit_names, found, strict=True):
        if each:
            problems += each
            parts += [name] * len(each)
            blocking += sum(1 for problem in each if problem.severity == "error")
    status = "in_progress" if any(p.severity == "error" for p in problems) else "complete"
    title = (pack.session_title(answers) or pack.title)[:_TITLE_LIMIT]
    return Derived(
        title=title,
        status=status,
        progress=Progress(answered=answered, required=required + blocking),
        problems=problems,
        parts=tuple(parts),
    )


@dataclass(frozen=True, slots=True)
class _Kept:
    problems: dict[str, list[Problem]]
    # Required answers given, and required answers (without the rules' open errors).
    answered: int
    required: int


def _kept(plan: Any, previous: Previous) -> _Kept | None:
    """The previous revision's findings by part, and its counts; None when its stored columns
    cannot be reused (written before problems named their part, say)."""
    if (
        previous.problems is None
        or previous.progress_answered is None
        or previous.progress_required is None
    ):
        return None
    known = {f"q{i}" for i in range(len(plan.roots))} | {f"c{k}" for k in range(len(plan.units))}
    problems: dict[str, list[Problem]] = {}
    blocking = 0
    for row in previous.problems:
        part = row.get("part") if isinstance(row, dict) else None
        if part not in known:
            return None
        problems.setdefault(part, []).append(_problem(row))
        if part.startswith("c") and row["severity"] == "error":
            blocking += 1
    return _Kept(
        problems=problems,
        answered=previous.progress_answered,
        required=previous.progress_required - blocking,
    )

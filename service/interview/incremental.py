"""What each part of a derivation reads, so that a write reruns only the parts it touches.

A derivation (``derived.derive``) is made of parts, each a pure function of what it reads:

- a *root question* (a question of a step, with every question under it): its slots in the
  walk, what it puts in the effective answers, its required answers and what of them is
  missing. It reads the answers under its own path, those its conditions and defaults name
  (and what their defaults name in turn), and what the ``derive`` functions of its defaults
  declare they read (``@reads``; one that declares nothing reads everything);
- a *check unit*: a check of the pack, or each part of a check ``@made_of`` parts. It reads
  what it declares of the effective answers (``@reads``; nothing declared: everything).

A read path stands for everything under it, and for whether (and as what) the objects and
lists on the way to it exist. A change is found as the paths where two sets of answers part
(``differences``): a path read is affected by a change when one of the two lies under the
other. Derivations reuse parts only where no two root questions' paths overlap
(``Plan.incremental``); every shipped pack qualifies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from service.interview import paths
from service.packs.model import Pack, Question, Step

# "[*]" in a declared path: any item of a list.
ANY_ITEM: Any = type("AnyItem", (), {"__repr__": lambda self: "[*]"})()

Pattern = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Root:
    step: Step
    question: Question
    keys: tuple[paths.Key, ...]
    # What its part reads of the answers; None: everything.
    reads: tuple[Pattern, ...] | None


@dataclass(frozen=True, slots=True)
class Unit:
    check: Callable[[Any], list[Any]]
    # What it reads of the effective answers; None: everything.
    reads: tuple[Pattern, ...] | None

    @property
    def tops(self) -> frozenset[paths.Key] | None:
        """The top-level keys of the effective answers it reads; None: every one."""
        return None if self.reads is None else frozenset(p[0] for p in self.reads)


# Sets of changes whose touched parts a plan keeps (per loaded pack).
SEEN = 4096


@dataclass(frozen=True, slots=True)
class Plan:
    roots: tuple[Root, ...]
    units: tuple[Unit, ...]
    # Whether a derivation may keep parts of a previous one: no root question's path lies
    # under (or is) another's, so each answer and each effective answer has one part.
    incremental: bool
    # For each, the parts that read something under a top-level key, and those that read
    # everything: a change is compared only with the reads that may lie under or over it.
    _roots_by_top: dict[Any, tuple[int, ...]]
    _units_by_top: dict[Any, tuple[int, ...]]
    # What each part is called where its findings are stored: "q3", "c1".
    root_names: tuple[str, ...] = ()
    unit_names: tuple[str, ...] = ()
    # The parts touched by the sets of changes seen before (the same fields are written again
    # and again): what a set of changes touches depends on nothing else. Changes are paths
    # of ``differences``: string keys and integer indices, never a bool equal to 1.
    _seen: dict[tuple[Any, ...], tuple[int, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def roots_touched(self, changed: list[tuple[paths.Key, ...]]) -> tuple[int, ...]:
        """The roots (by index) whose part reads something these changes touch."""
        return self._remembered(True, changed)

    def units_touched(self, changed: list[tuple[paths.Key, ...]]) -> tuple[int, ...]:
        """The check units (by index) that read something these changes touch."""
        return self._remembered(False, changed)

    def _remembered(self, roots: bool, changed: list[tuple[paths.Key, ...]]) -> tuple[int, ...]:
        key = (roots, *changed)
        found = self._seen.get(key)
        if found is None:
            if roots:
                found = tuple(_touched(self.roots, self._roots_by_top, changed))
            else:
                found = tuple(_touched(self.units, self._units_by_top, changed))
            if len(self._seen) < SEEN:
                self._seen[key] = found
        return found


def _by_top(parts: tuple[Root, ...] | tuple[Unit, ...]) -> dict[Any, tuple[int, ...]]:
    found: dict[Any, list[int]] = {}
    for index, part in enumerate(parts):
        tops = {None} if part.reads is None else {read[0] for read in part.reads}
        for top in tops:
            found.setdefault(top, []).append(index)
    return {top: tuple(indices) for top, indices in found.items()}


def _touched(
    parts: tuple[Root, ...] | tuple[Unit, ...],
    by_top: dict[Any, tuple[int, ...]],
    changed: list[tuple[paths.Key, ...]],
) -> list[int]:
    if not changed:
        return []
    found = set(by_top.get(None, ()))
    for path in changed:
        if not path:
            return list(range(len(parts)))
        for index in by_top.get(path[0], ()):
            if index not in found and touched((path,), parts[index].reads):
                found.add(index)
    return sorted(found)


def plan_of(pack: Pack) -> Plan:
    """The parts of a derivation over ``pack``, made once per loaded pack."""
    cache = pack._derivation
    if "plan" not in cache:
        cache["plan"] = _plan(pack)
    return cache["plan"]


def pattern(text: str) -> Pattern:
    """``"volumes[*].bpi_items"`` → ``("volumes", ANY_ITEM, "bpi_items")``."""
    keys: list[Any] = []
    for number, piece in enumerate(text.split("[*]")):
        if number:
            keys.append(ANY_ITEM)
        keys.extend(paths.split(piece.removeprefix(".")))
    return tuple(keys)


def overlaps(changed: tuple[paths.Key, ...], read: Pattern) -> bool:
    """Whether one of the two paths lies under the other (or they are the same)."""
    for key, wanted in zip(changed, read):
        if wanted is ANY_ITEM:
            if not isinstance(key, int):
                return False
        elif key != wanted or type(key) is not type(wanted):
            return False
    return True


def touched(changed: Iterable[tuple[paths.Key, ...]], reads: tuple[Pattern, ...] | None) -> bool:
    """Whether a part that reads ``reads`` (None: everything) is affected by these changes."""
    if reads is None:
        return True
    return any(overlaps(path, read) for path in changed for read in reads)


def differences(
    before: Any, after: Any, prefix: tuple[paths.Key, ...] = ()
) -> list[tuple[paths.Key, ...]]:
    """The paths where two sets of answers part: a value of another type or unequal, a key
    one has and the other lacks, a list of another length (reported at the list). Types are
    compared exactly (``1``, ``1.0`` and ``True`` differ). Shared objects are not entered."""
    if before is after:
        return []
    if type(before) is not type(after):
        return [prefix]
    if isinstance(before, dict):
        found: list[tuple[paths.Key, ...]] = []
        for key, value in before.items():
            if key in after:
                found += differences(value, after[key], (*prefix, key))
            else:
                found.append((*prefix, key))
        found += [(*prefix, key) for key in after if key not in before]
        return found
    if isinstance(before, list):
        if len(before) != len(after):
            return [prefix]
        found = []
        for index, (old, new) in enumerate(zip(before, after)):
            found += differences(old, new, (*prefix, index))
        return found
    return [] if before == after else [prefix]


def _plan(pack: Pack) -> Plan:
    roots = tuple(
        Root(
            step=step,
            question=question,
            keys=paths.split(question.id),
            reads=_root_reads(pack, question),
        )
        for step in pack.steps
        for question in step.questions
    )
    units = tuple(
        Unit(check=part, reads=_declared(getattr(part, "reads", None)))
        for check in pack.checks
        for part in _parts(check)
    )
    keys = [root.keys for root in roots]
    apart = all(
        keys[i][: len(keys[j])] != keys[j] and keys[j][: len(keys[i])] != keys[i]
        for i in range(len(keys))
        for j in range(i + 1, len(keys))
    )
    return Plan(
        roots=roots,
        units=units,
        incremental=apart and all(keys),
        _roots_by_top=_by_top(roots),
        _units_by_top=_by_top(units),
        root_names=tuple(f"q{i}" for i in range(len(roots))),
        unit_names=tuple(f"c{k}" for k in range(len(units))),
    )


def _parts(check: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    parts = getattr(check, "parts", None)
    if not parts:
        yield check
        return
    for part in parts:
        yield from _parts(part)


def _declared(texts: Any) -> tuple[Pattern, ...] | None:
    if texts is None:
        return None
    found = tuple(pattern(text) for text in texts)
    # An empty path, or a list at the top: everything.
    if any(not p or p[0] is ANY_ITEM for p in found):
        return None
    return found


def _root_reads(pack: Pack, root: Question) -> tuple[Pattern, ...] | None:
    found: set[Pattern] = {paths.split(root.id)}
    seen_names: set[str] = set()
    everything = False

    def name(text: str) -> None:
        # A name read by a condition or a default, as a path from the top: inside a group item
        # it may also mean the item's own field, which lies under the root's own path.
        if text in seen_names:
            return
        seen_names.add(text)
        found.add(paths.split(text))
        named = pack.question_at(text)
        if named is not None:
            default(named)

    def default(question: Question) -> None:
        nonlocal everything
        value = question.default
        if not isinstance(value, dict):
            return
        if "field" in value:
            name(value["field"])
        elif "derive" in value:
            declared = _declared(getattr(pack.derive.get(value["derive"]), "reads", None))
            if declared is None:
                everything = True
            else:
                found.update(declared)

    for question in _subtree(root):
        default(question)
        for text in _condition_names(question.when):
            name(text)
    return None if everything else tuple(sorted(found, key=repr))


def _subtree(question: Question) -> Iterator[Question]:
    yield question
    for inner in question.fields:
        yield from _subtree(inner)


def _condition_names(when: Any) -> Iterator[str]:
    if not isinstance(when, dict):
        return
    for key in ("all", "any"):
        for sub in when.get(key) or ():
            yield from _condition_names(sub)
    if "not" in when:
        yield from _condition_names(when["not"])
    for key in ("field", "differs_from"):
        if isinstance(when.get(key), str):
            yield when[key]

"""Random writes to a set of answers, as clients make them: JSON merge patches that change,
empty or remove one answer, or drop, repeat or swap items of a list. Values come from the
answers themselves and a few the rules care about (dates across officeholders, case numbers,
numerals, countries), so that the rules' findings come and go."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from service.interview import paths

SPECIAL_TEXTS = (
    "",
    " ",
    "A-555-003",
    "C-555-004",
    "A-555-004",
    "A-570-001",
    "C-552-002",
    "701-TA-722-725",
    "731-TA-1690-1693",
    "701-TA-__",
    "I",
    "II",
    "III",
    "IV",
    "IIII",
    "Cambodia",
    "Vietnam",
    "the Socialist Republic of Vietnam",
    "Atlantis",
    "2024-04-24",
    "2024-05-01",
    "2021-01-20",
    "2025-01-20",
    "1999-12-31",
    "Gina M. Raimondo",
    "Lisa R. Barton",
    "AD",
    "CVD",
    "public",
    "bpi",
    "President",
    "Vice President",
)


def _texts(answers: Any) -> list[str]:
    found: set[str] = set(SPECIAL_TEXTS)
    for _, value in paths.leaves(answers):
        values = value if isinstance(value, list) else [value]
        found.update(v for v in values if isinstance(v, str) and len(v) < 200)
    return sorted(found)


def _lists_of_items(answers: Any, keys: tuple = ()) -> list[tuple]:
    """Paths of the lists of objects (groups), outermost first."""
    found = []
    if isinstance(answers, dict):
        for key, value in answers.items():
            found += _lists_of_items(value, (*keys, key))
    elif isinstance(answers, list) and answers and all(isinstance(v, dict) for v in answers):
        found.append(keys)
        for index, value in enumerate(answers):
            found += _lists_of_items(value, (*keys, index))
    return found


def as_patch(answers: dict[str, Any], keys: tuple, value: Any) -> dict[str, Any]:
    """The merge patch that sets ``keys`` to ``value`` (None: removes it); a list on the way
    is sent whole, as merge patches replace lists."""
    patch: dict[str, Any] = {}
    target, node = patch, answers
    for position, key in enumerate(keys):
        if position == len(keys) - 1:
            target[key] = value
            return patch
        child = node.get(key) if isinstance(node, dict) else None
        if isinstance(child, list):
            whole = copy.deepcopy(child)
            _set_in(whole, keys[position + 1 :], value)
            target[key] = whole
            return patch
        target[key] = {}
        target = target[key]
        node = child if isinstance(child, dict) else {}
    return patch


def _set_in(tree: list, keys: tuple, value: Any) -> None:
    parent = paths.get(tree, keys[:-1])
    last = keys[-1]
    if value is not None:
        paths.assign(tree, keys, value)  # type: ignore[arg-type]
    elif isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        del parent[last]


@st.composite
def patches(draw: st.DrawFn, answers: dict[str, Any]) -> dict[str, Any]:
    """One write to ``answers``."""
    # Each kind of answer (volumes[*].country, one pattern) as likely as another, however many
    # items hold it: a rule reads a kind of answer, and a few kinds fill most of the leaves.
    kinds: dict[tuple, list[tuple]] = {}
    for keys, _ in paths.leaves(answers):
        if keys:
            kinds.setdefault(tuple("*" if isinstance(k, int) else k for k in keys), []).append(keys)
    groups = _lists_of_items(answers)
    texts = _texts(answers)
    kind = draw(st.sampled_from(["set", "set", "set", "remove", "items"]))
    if kind == "items" and groups:
        keys = draw(st.sampled_from(groups))
        items = copy.deepcopy(paths.get(answers, keys))
        how = draw(st.sampled_from(["drop", "repeat", "swap", "empty"]))
        if how == "drop":
            del items[draw(st.integers(0, len(items) - 1))]
        elif how == "repeat":
            items.append(copy.deepcopy(items[draw(st.integers(0, len(items) - 1))]))
        elif how == "swap" and len(items) > 1:
            i, j = draw(st.integers(0, len(items) - 1)), draw(st.integers(0, len(items) - 1))
            items[i], items[j] = items[j], items[i]
        else:
            items = []
        return as_patch(answers, keys, items)
    keys = draw(st.sampled_from(kinds[draw(st.sampled_from(sorted(kinds, key=repr)))]))
    if kind == "remove":
        # A whole object (a section, an item's answers) or one answer.
        cut = draw(st.integers(1, len(keys)))
        return as_patch(answers, keys[:cut], None)
    old = paths.get(answers, keys)
    if isinstance(old, bool) or old is None:
        value = draw(st.one_of(st.booleans(), st.sampled_from(texts)))
    elif isinstance(old, int):
        value = draw(st.one_of(st.integers(0, 400), st.just(old + 1)))
    elif isinstance(old, list):
        value = draw(
            st.one_of(
                st.lists(st.integers(1, 300), max_size=5),
                st.lists(st.sampled_from(texts), max_size=3),
            )
        )
    else:
        value = draw(st.sampled_from(texts))
    return as_patch(answers, keys, value)


@st.composite
def write_sequences(draw: st.DrawFn, answers: dict[str, Any], most: int = 4) -> list[dict]:
    """Several writes one after another, each drawn against the answers as the last left them
    (as far as it can tell: a refused write leaves them as they were)."""
    from service.interview.engine import merge

    found = []
    current = answers
    for _ in range(draw(st.integers(1, most))):
        patch = draw(patches(current))
        found.append(patch)
        current = merge(current, patch)
    return found

"""Reading answers that may be partial: an interview is filled in over many sittings, so any
key may be missing and any value may be of the wrong type until the schema has passed it.
Rules read through these helpers so that a missing input makes a rule silent, never raise."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

EMPTY: Mapping[str, Any] = {}


def section(answers: Any, key: str) -> Mapping[str, Any]:
    """``answers[key]`` when it is an object, else an empty one."""
    value = answers.get(key) if isinstance(answers, Mapping) else None
    return value if isinstance(value, Mapping) else EMPTY


def entries(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The objects of a list with their indices; other values are skipped, indices kept, so
    that paths still point at the right item."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield index, item


def text(value: Any) -> str | None:
    """A string answer without surrounding blanks; None for a non-string or a blank one."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None

"""``when`` conditions of the interview definition.

A condition names answers by path. Inside a group item, a name is first looked up among the
item's own fields (``{field: has_pages, equals: true}`` on an item of a part means *this*
part's ``has_pages``), then in the answers as a whole.

The shapes: ``{field: a, equals: v}``, ``{field: a, in: [v, w]}``, ``{field: a, is_set: true}``,
``{field: a, differs_from: b}`` (two answers compared; ``b`` is looked up like ``a``), and
``all``/``any``/``not`` around them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Lookup = Callable[[str], Any]


def holds(when: dict[str, Any] | None, lookup: Lookup) -> bool:
    """Whether a condition holds; no condition always holds.

    Raises ValueError for a condition of a shape the engine does not know, which the pack
    loader has already refused for the packs it loads.
    """
    if not when:
        return True
    if "all" in when:
        return all(holds(sub, lookup) for sub in when["all"])
    if "any" in when:
        return any(holds(sub, lookup) for sub in when["any"])
    if "not" in when:
        return not holds(when["not"], lookup)
    if "field" not in when:
        raise ValueError(f"unknown condition {when!r}")
    value = lookup(when["field"])
    if "equals" in when:
        return value == when["equals"]
    if "in" in when:
        return value in when["in"]
    if "is_set" in when:
        return _given(value) == bool(when["is_set"])
    if "differs_from" in when:
        # Only two given answers differ: a date compared with a filing date not typed yet says
        # nothing about the date.
        other = lookup(when["differs_from"])
        return _given(value) and _given(other) and value != other
    raise ValueError(f"unknown condition {when!r}")


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})

"""``when`` conditions of the interview definition.

A condition names answers by path. Inside a group item, a name is first looked up among the
item's own fields (``{field: has_bpi, equals: true}`` on a BPI item means *this* volume's
``has_bpi``), then in the answers as a whole.
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
        return (value not in (None, "", [], {})) == bool(when["is_set"])
    raise ValueError(f"unknown condition {when!r}")

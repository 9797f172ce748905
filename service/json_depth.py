"""How deep a JSON value goes: the API and the command line refuse answers nested deeper than
MAX_DEPTH (the checks walk answers recursively). Kept apart from the API so that the command
line needs no web framework to apply the same bound."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32


def nesting(value: Any) -> int:
    """How many objects and arrays deep ``value`` goes, found without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            return depth
        # Only containers go on the stack: a list of 5,000 pages costs one pass, not 5,000 pops.
        stack.extend((child, depth) for child in children if isinstance(child, (dict, list)))
    return deepest

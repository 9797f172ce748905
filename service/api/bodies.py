"""Reading JSON request bodies without letting a hostile one crash a handler.

Litestar decodes a JSON body with msgspec and turns what msgspec calls malformed into a 400;
two things slip through as a 500: bytes that are not UTF-8 inside a string, and nesting deeper
than Python's recursion limit. And a body nested a few hundred levels deep decodes, only to
exhaust the recursion of the code that walks answers. No answer of any pack nests more than a
handful of levels, so a body deeper than ``MAX_DEPTH`` is refused before any handler sees it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

MAX_DEPTH = 32


class JsonCheckedRequest(Request):
    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise ClientException(detail=f"The JSON body is nested too deeply; at most {MAX_DEPTH} levels are accepted.") from None
        except UnicodeDecodeError:
            raise ClientException(detail="The JSON body is not valid UTF-8.") from None
        if nesting(value) > MAX_DEPTH:
            raise ClientException(detail=f"The JSON body is nested too deeply; at most {MAX_DEPTH} levels are accepted.")
        return value


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

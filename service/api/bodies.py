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

from service.json_depth import MAX_DEPTH, nesting


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



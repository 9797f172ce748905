"""Reading JSON request bodies without letting a hostile one crash a handler or hold the loop.

Litestar decodes a JSON body with msgspec and turns what msgspec calls malformed into a 400;
two things slip through as a 500: bytes that are not UTF-8 inside a string, and nesting deeper
than Python's recursion limit. And a body nested a few hundred levels deep decodes, only to
exhaust the recursion of the code that walks answers. No answer of any pack nests more than a
handful of levels, so a body deeper than ``MAX_DEPTH`` is refused before any handler sees it.

Decoding and the depth check run in a worker thread: on the largest bodies the limits allow
(1.2 MB, 195,000 list entries) they take 10 ms on an idle machine and several times that on a
busy one, which /healthz and every other request must not wait for.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request
from litestar.exceptions import ClientException, SerializationException
from litestar.serialization import decode_json
from litestar.types import Empty

from service.dependencies import expected_revision_of
from service.json_depth import MAX_DEPTH, nesting

_TOO_DEEP = f"The JSON body is nested too deeply; at most {MAX_DEPTH} levels are accepted."


class JsonCheckedRequest(Request):
    async def json(self) -> Any:
        if self._json is Empty:
            if (decoded := self._connection_state.json) is Empty:
                body = await self.body()
                decoders = self.route_handler.resolve_type_decoders()
                decoded = await anyio.to_thread.run_sync(_decode_checked, body or b"null", decoders)
            self._json = self._connection_state.json = decoded
        return self._json


def _decode_checked(body: bytes, type_decoders: Any) -> Any:
    try:
        value = decode_json(body, type_decoders=type_decoders)
    except RecursionError:
        raise ClientException(detail=_TOO_DEEP) from None
    except UnicodeDecodeError:
        raise ClientException(detail="The JSON body is not valid UTF-8.") from None
    if nesting(value) > MAX_DEPTH:
        raise ClientException(detail=_TOO_DEEP)
    return value


class ObjectBodyReading:
    """A handler's JSON object body and the revision its ``If-Match`` names, read where no event
    loop runs (call it there), once: the handler of a PATCH reads them in the thread that goes
    on to work out the write, rather than in a thread trip of their own.

    The refusals are Litestar's, in Litestar's order: a body that does not decode, then the
    ``If-Match``, then a body that is not an object, refused by the signature model of the
    route's dependency ``describes`` (its ``data`` declares the body, for the schema too)."""

    def __init__(self, request: Request, body: bytes, describes: str) -> None:
        self.request = request
        self.body = body
        self.if_match = request.headers.get("if-match")
        self.describes = describes
        self._read: tuple[bool, Any] | None = None

    def __call__(self) -> tuple[dict[str, Any], int | None]:
        if self._read is None:
            try:
                self._read = (True, self._object_and_revision())
            except Exception as refused:  # noqa: BLE001 - raised again to every caller
                self._read = (False, refused)
        read, value = self._read
        if not read:
            raise value
        return value

    def _object_and_revision(self) -> tuple[dict[str, Any], int | None]:
        decoded: Any = Empty
        if self.body:
            try:
                decoded = _decode_checked(
                    self.body, self.request.route_handler.resolve_type_decoders()
                )
            except SerializationException as exc:
                raise ClientException(str(exc)) from exc
        revision = expected_revision_of(self.if_match)
        if not isinstance(decoded, dict):
            provider = self.request.route_handler.resolve_dependencies()[self.describes]
            provider.signature_model.parse_values_from_connection_kwargs(
                connection=self.request, kwargs={} if decoded is Empty else {"data": decoded}
            )
            raise ClientException(detail="The body must be a JSON object.")  # pragma: no cover
        return decoded, revision

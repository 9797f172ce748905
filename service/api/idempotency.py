"""``Idempotency-Key`` in the API: the header, the fingerprint of the request, the stored
response, and the replay of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.params import HeaderParameter
from litestar.serialization import encode_json

from service.auth.actor import Actor
from service.idempotency.service import Once, Replayed, StoredResponse, fingerprint

T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        min_length=1,
        max_length=255,
        pattern=r"^[\x20-\x7e]+$",
        description="A unique value per operation (a UUID, say). A retry with the same key and the same request "
        "returns the first response, marked `Idempotent-Replayed: true`, and creates nothing. The same key with "
        "another request is refused with 422. Keys are remembered for IDEMPOTENCY_HOURS (24 by default).",
    ),
]

# The response headers worth replaying; the rest (dates, request ids) belong to each answer.
_KEPT_HEADERS = ("etag", "location")


async def once(
    request: Request,
    actor: Actor,
    key: str | None,
    operation: str,
    respond: Callable[[T], Response[Any]],
) -> Once | None:
    """What the session service needs to do ``operation`` at most once for ``key``."""
    if key is None:
        return None
    body = await request.body()

    def stored(result: T) -> StoredResponse:
        response = respond(result)
        headers = {
            name: value for name, value in response.headers.items() if name.lower() in _KEPT_HEADERS
        }
        return StoredResponse(response.status_code, headers, encode_json(response.content))

    return Once(
        owner=actor.owner or actor.name,
        operation=operation,
        key=key,
        fingerprint=fingerprint(request.method, request.url.path, body),
        respond=stored,
    )


def replay(_request: Request, exc: Replayed) -> Response[bytes]:
    stored = exc.response
    return Response(
        stored.body,
        status_code=stored.status_code,
        media_type=MediaType.JSON,
        headers={**stored.headers, "Idempotent-Replayed": "true"},
    )

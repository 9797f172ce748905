"""The problems each operation may answer with, for the published schema: every problem is
``application/problem+json`` (RFC 9457) in one shape, with a path for each field at fault."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.datastructures import ResponseSpec

from service.api.schemas import ProblemOut

PROBLEM_JSON = "application/problem+json"

_MEANING = {
    400: "The request cannot be read: not JSON, a parameter out of range, a body of the wrong shape, or an If-Match that is no ETag of ours.",
    401: "No API key, or one that is not valid or was revoked. Send 'Authorization: Bearer <key>'.",
    403: "The key lacks the scope this operation needs (read, write or generate); `scope` names it.",
    404: "No such session, document or webhook, or one that belongs to someone else.",
    409: "The interview is not complete (see errors), or too many writers at once (retry after Retry-After).",
    412: "If-Match named a revision that is no longer current; `revision` and the ETag header give the current one.",
    413: "The request body is larger than the service accepts (MAX_BODY_BYTES).",
    422: "Values were refused (see errors, one per field path); nothing of the request was saved.",
    429: "This key started more imports or generations than RATE_LIMIT_PER_MINUTE allows; retry after Retry-After seconds.",
}


@dataclass
class ProblemDetails:
    status: int
    title: str
    detail: str
    type: str | None = None
    # One per field or parameter at fault, when there is one.
    errors: list[ProblemOut] | None = None
    # 412: the current revision. 403: the scope that is needed.
    revision: int | None = None
    scope: str | None = None


def problems(*codes: int) -> dict[int, ResponseSpec]:
    """The problem responses of an operation: 400, 401 and 403 always, and ``codes``."""
    return {
        code: ResponseSpec(
            data_container=ProblemDetails,
            media_type=PROBLEM_JSON,
            description=_MEANING[code],
            generate_examples=False,
        )
        for code in sorted({400, 401, 403, *codes})
    }

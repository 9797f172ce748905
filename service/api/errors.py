"""Errors as RFC 9457 problem details (``application/problem+json``), one field path each."""

from __future__ import annotations

import traceback
from http import HTTPStatus

import structlog
from litestar.exceptions import HTTPException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException

from service.idempotency.service import KeyReused
from service.problems import Problem
from service.sessions import service as s
from service.webhooks.service import WebhookNotFound, WebhookRefused

log = structlog.get_logger(__name__)


def _problems(problems: list[Problem]) -> list[dict[str, object]]:
    return [p.as_dict() for p in problems]


def _to_problem(exc: Exception) -> ProblemDetailsException:
    if isinstance(exc, s.SessionNotFound):
        return ProblemDetailsException(
            status_code=404,
            title="Not found",
            detail="There is no such session.",
            type_="about:blank",
        )
    if isinstance(exc, s.UnknownPack):
        problem = Problem(
            path="pack",
            message=f"pack: there is no template pack named {exc.name!r}",
            code="pack.unknown",
        )
        return ProblemDetailsException(
            status_code=422,
            title="Unknown template pack",
            detail=str(exc),
            extra={"errors": _problems([problem])},
        )
    if isinstance(exc, s.AnswersRefused):
        return ProblemDetailsException(
            status_code=422,
            title="Some answers were refused",
            detail="Nothing of this request was saved. Correct the answers listed in errors and send them again.",
            extra={"errors": _problems(exc.problems)},
        )
    if isinstance(exc, s.NotComplete):
        return ProblemDetailsException(
            status_code=409,
            title="The interview is not complete",
            detail="Documents can be generated once nothing blocks them; see errors.",
            extra={"errors": _problems(exc.problems)},
        )
    if isinstance(exc, s.StaleRevision):
        return ProblemDetailsException(
            status_code=412,
            title="The session has changed",
            detail=f"{exc} Read it again and re-apply your change.",
            headers={"ETag": f'"{exc.current}"'},
            extra={"revision": exc.current},
        )
    if isinstance(exc, s.ImportNotSupported):
        problem = Problem(path="pack", message=f"pack: {exc}", code="import.pack_not_supported")
        return ProblemDetailsException(
            status_code=422,
            title="Import not supported for this pack",
            detail=str(exc),
            extra={"errors": _problems([problem])},
        )
    if isinstance(exc, s.ImportTooCostly):
        problem = Problem(path="file", message=f"file: {exc}", code="import.over_budget")
        return ProblemDetailsException(
            status_code=422,
            title="The letter could not be read",
            detail=str(exc),
            extra={"errors": _problems([problem])},
        )
    if isinstance(exc, s.WriteConflict):
        return ProblemDetailsException(
            status_code=409,
            title="Too many concurrent changes",
            detail=str(exc),
            headers={"Retry-After": "1"},
        )
    return ProblemDetailsException(status_code=500, title="Internal error")


def _integration_problem(exc: Exception) -> ProblemDetailsException:
    if isinstance(exc, KeyReused):
        problem = Problem(
            path="Idempotency-Key",
            message="Idempotency-Key: this key was used with a different request; use a new key for a new request",
            code="idempotency.key_reused",
        )
        return ProblemDetailsException(
            status_code=422,
            title="Idempotency-Key reused",
            detail="Nothing was done. A key names one request only.",
            extra={"errors": _problems([problem])},
        )
    if isinstance(exc, WebhookNotFound):
        return ProblemDetailsException(
            status_code=404, title="Not found", detail="This key has no such webhook."
        )
    if isinstance(exc, WebhookRefused):
        return ProblemDetailsException(
            status_code=422,
            title="The webhook was refused",
            detail="Nothing was saved; see errors.",
            extra={"errors": _problems(exc.problems)},
        )
    return ProblemDetailsException(status_code=500, title="Internal error")


def _http_problem(exc: HTTPException) -> ProblemDetailsException:
    """Litestar's own errors (a body that is not JSON, a parameter out of range, too large a
    body, no such route) in the same shape as ours: the status's phrase as title, what went
    wrong as detail, and a path for each parameter or field that failed."""
    try:
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "Error"
    problems = []
    if isinstance(exc.extra, list):
        for item in exc.extra:
            if isinstance(item, dict) and "message" in item:
                path = str(item.get("key") or item.get("source") or "body")
                problems.append(
                    Problem(
                        path=path,
                        message=f"{path}: {item['message']}",
                        code=f"request.{item.get('source') or 'invalid'}",
                    )
                )
    extra = {"errors": _problems(problems)} if problems else None
    detail = exc.detail
    if exc.status_code == 413:
        detail = "The request body is larger than this service accepts (MAX_BODY_BYTES); nothing was read or saved."
    return ProblemDetailsException(
        status_code=exc.status_code, title=title, detail=detail, headers=exc.headers, extra=extra
    )


def _internal_problem(exc: Exception) -> ProblemDetailsException:
    """Anything no other handler knows: logged at error level with the request id (bound by the
    request-id middleware) and where it was raised, answered as problem+json. The message is not
    logged: it may quote what someone typed."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    log.error("http.request.failed", error=type(exc).__name__, where=where)
    return ProblemDetailsException(
        status_code=500,
        title="Internal Server Error",
        detail="Something went wrong on our side; nothing more was done. Quote the request id when reporting it.",
        extra={"request_id": request_id} if request_id else None,
    )


problem_details_config = ProblemDetailsConfig(
    enable_for_all_http_exceptions=True,
    exception_to_problem_detail_map={
        s.SessionNotFound: _to_problem,
        s.UnknownPack: _to_problem,
        s.AnswersRefused: _to_problem,
        s.NotComplete: _to_problem,
        s.StaleRevision: _to_problem,
        s.WriteConflict: _to_problem,
        s.ImportNotSupported: _to_problem,
        s.ImportTooCostly: _to_problem,
        KeyReused: _integration_problem,
        WebhookNotFound: _integration_problem,
        WebhookRefused: _integration_problem,
        HTTPException: _http_problem,
        Exception: _internal_problem,
    },
)

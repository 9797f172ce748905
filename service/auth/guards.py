"""Scopes, checked on every route: read for GET, write for the other methods, unless the
route names its own scope in ``opt={"scope": ...}`` (generating documents needs generate)."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.problem_details import ProblemDetailsException

from service.auth.identity import IDENTITY_SCOPE_KEY, READ, WRITE, Identity


class MissingScope(ProblemDetailsException):
    def __init__(self, needed: str, held: str) -> None:
        super().__init__(
            status_code=403,
            title="Forbidden",
            detail=f"This request needs the {needed!r} scope; this key has {held}.",
            extra={"scope": needed},
        )


async def require_scope(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    # async: Litestar runs a sync guard in a worker thread, a thread trip on every request.
    identity: Identity | None = connection.scope.get(IDENTITY_SCOPE_KEY)  # type: ignore[assignment]
    if identity is None:  # an open route: the middleware let it through without a caller
        return
    needed = handler.opt.get("scope") or (
        READ if connection.scope.get("method") in ("GET", "HEAD") else WRITE
    )
    if not identity.may(needed):
        held = ", ".join(sorted(identity.scopes)) or "none"
        raise MissingScope(needed, held)

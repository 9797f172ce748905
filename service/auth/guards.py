"""Scopes, checked on every route: read for GET, write for the other methods, unless the
route names its own scope in ``opt={"scope": ...}`` (generating documents needs generate)."""

from __future__ import annotations

from litestar import Request
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


async def require_scope(request: Request) -> None:
    """The app's before-request hook: it runs where a guard runs (after the middleware, before
    the handler's parameters are read) and raises as a guard would. Not a guard because
    Litestar hands every guard a copy of the route handler on every request (``copy.copy`` of
    a handler: ~50 µs of CPU on a loaded machine, 4 % of a GET's samples in py-spy). Returns
    None: the handler runs."""
    identity: Identity | None = request.scope.get(IDENTITY_SCOPE_KEY)  # type: ignore[assignment]
    if identity is None:  # an open route: the middleware let it through without a caller
        return
    needed = request.scope["route_handler"].opt.get("scope") or (
        READ if request.scope.get("method") in ("GET", "HEAD") else WRITE
    )
    if not identity.may(needed):
        held = ", ".join(sorted(identity.scopes)) or "none"
        raise MissingScope(needed, held)

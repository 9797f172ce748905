"""Recognises the caller of every request: Litestar's authentication middleware, whose
``request.user`` is the caller's Identity (``request.auth`` says how it was recognised).

- ``/api``: an ``Authorization: Bearer <key>`` header, nothing else (no cookies, so the JSON
  API needs no CSRF protection). Without a valid key: 401 problem.
- The web pages: a Bearer key too (tests, scripts), else the person named by the proxy header
  when ``AUTH_PROXY_HEADER`` is set, else a sign-in cookie. A person who is not signed in is
  sent to the sign-in page.
- ``/healthz``, ``/schema`` and the sign-in page itself are open to everyone.

Raised problems and the sign-in redirect go through the app's exception handlers.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.response import Redirect
from litestar.types import ASGIApp, Scope

from service.auth import tokens
from service.auth.identity import Identity
from service.auth.service import KeyService, is_valid, key_identity, proxy_identity
from service.settings import Settings
from service.storage.point_reads import POINT_READS_STATE_KEY, PREFETCHED_SESSION, PointReads
from service.storage.request_sessions import RequestSessionConfig

log = structlog.get_logger(__name__)

SIGN_IN_COOKIE = "filing_assembler_sign_in"
SIGN_IN_PATH = "/sign-in"
_PUBLIC = r"^/(healthz|sign-in|sign-out|favicon\.ico)$|^/(schema|static)(/|$)"
_API = re.compile(r"^/api(/|$)")
_PERSON = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
_BEARER = 'Bearer realm="filing-assembler"'


class SignInRequired(Exception):
    """A person who is not signed in asked for a page: they are sent to the sign-in page."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def to_sign_in(request: Request, exc: SignInRequired) -> Redirect:
    return Redirect(exc.location, status_code=303)


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings, db_config: RequestSessionConfig) -> None:
        # Every method is authenticated, OPTIONS included, as before.
        super().__init__(app, exclude=_PUBLIC, exclude_http_methods=(), scopes={"http"})
        self.db_config = db_config
        self.proxy_header = settings.auth_proxy_header.strip().lower().encode("latin-1")

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        scope = connection.scope
        headers = dict(scope["headers"])
        is_api = bool(_API.match(scope["path"]))
        authorization = headers.get(b"authorization", b"").decode("latin-1").strip()
        if authorization or is_api:
            identity = await self._key_identity(scope, authorization)
        elif self.proxy_header:
            identity = _proxy_identity(headers.get(self.proxy_header, b""))
            if identity is None:
                # The proxy always names the person; without the header the app was reached
                # some other way, which must not pass as anyone.
                log.warning("auth.proxy_header.missing", path=scope["path"])
                raise unauthorized(
                    "This page is reached through the firm's sign-in proxy.", www_authenticate=None
                )
        else:
            identity = await self._signed_in(scope, connection.cookies.get(SIGN_IN_COOKIE))
            if identity is None:
                raise SignInRequired(_sign_in_location(scope))
        structlog.contextvars.bind_contextvars(caller=identity.key_id or "person")
        return AuthenticationResult(user=identity, auth=identity.via)

    async def _identity_of_key(self, scope: Scope, secret: str) -> Identity | None:
        """The key's caller, read by the app's point reads when it has them (one statement,
        no ORM). A route with ``opt={"reads_session": True}`` and a ``session_id`` gets that
        session read in the same statement, left in the scope for its handler."""
        reads: PointReads | None = scope["app"].state.get(POINT_READS_STATE_KEY)
        key_id = tokens.key_id_of(secret)
        if reads is None or key_id is None:
            return await self._keys(scope).authenticate(secret)
        session_id = scope.get("path_params", {}).get("session_id")
        if session_id is not None and scope["route_handler"].opt.get("reads_session"):
            found = await reads.key_and_session(key_id, session_id)
            key = None if found is None else found[0]
            if found is not None and found[0] is not False:
                scope[PREFETCHED_SESSION] = found[1]  # type: ignore[literal-required]
        else:
            key = await reads.key(key_id)
        if key is None:  # could not be read that way just now
            return await self._keys(scope).authenticate(secret)
        if key is False or not is_valid(key.revoked, key.secret_hash, secret):
            return None
        return key_identity(key)

    def _keys(self, scope: Scope) -> KeyService:
        # The request's own database session: the handler reuses it, and it is closed with it.
        return KeyService(self.db_config.provide_session(scope["app"].state, scope))

    async def _key_identity(self, scope: Scope, authorization: str) -> Identity:
        kind, _, secret = authorization.partition(" ")
        if not authorization:
            raise unauthorized("Send an API key as 'Authorization: Bearer <key>'.")
        if kind.lower() != "bearer" or not secret.strip():
            raise unauthorized("Only 'Authorization: Bearer <key>' is accepted.")
        identity = await self._identity_of_key(scope, secret.strip())
        if identity is None:
            log.info("auth.key.refused", path=scope["path"])
            raise unauthorized(
                "This API key is not valid, or it was revoked.",
                www_authenticate=f'{_BEARER}, error="invalid_token"',
            )
        return identity

    async def _signed_in(self, scope: Scope, token: str | None) -> Identity | None:
        if not token or len(token) > 100:
            return None
        return await self._keys(scope).signed_in(token)


def unauthorized(detail: str, www_authenticate: str | None = _BEARER) -> ProblemDetailsException:
    headers = {"WWW-Authenticate": www_authenticate} if www_authenticate else None
    return ProblemDetailsException(
        status_code=401, title="Unauthorized", detail=detail, headers=headers
    )


def _proxy_identity(raw: bytes) -> Identity | None:
    try:
        person = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return proxy_identity(person) if _PERSON.match(person) else None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(c in target for c in "\r\n\\")
    ):
        return "/"
    return target


def _sign_in_location(scope: Scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    here = scope["path"] + (f"?{query}" if query else "")
    if scope["method"] not in ("GET", "HEAD"):
        here = "/"
    return f"{SIGN_IN_PATH}?next={quote(safe_next(here), safe='')}"

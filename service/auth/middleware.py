"""Recognises the caller of every request and puts an Identity and an Actor in its scope.

- ``/api``: an ``Authorization: Bearer <key>`` header, nothing else (no cookies, so the JSON
  API needs no CSRF protection). Without a valid key: 401 problem.
- The web pages: a Bearer key too (tests, scripts), else the person named by the proxy header
  when ``AUTH_PROXY_HEADER`` is set, else a sign-in cookie. A person who is not signed in is
  sent to the sign-in page.
- ``/healthz``, ``/schema`` and the sign-in page itself are open to everyone.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import structlog
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.types import ASGIApp, Receive, Scope, Send

from service.dependencies import ACTOR_SCOPE_KEY
from service.auth.identity import IDENTITY_SCOPE_KEY, Identity
from service.auth.service import KeyService, proxy_identity
from service.settings import Settings

log = structlog.get_logger(__name__)

SIGN_IN_COOKIE = "filing_assembler_sign_in"
SIGN_IN_PATH = "/sign-in"
_PUBLIC = re.compile(r"^/(healthz|sign-in|sign-out|favicon\.ico)$|^/(schema|static)(/|$)")
_API = re.compile(r"^/api(/|$)")
_PERSON = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
_BEARER = 'Bearer realm="filing-assembler"'


class AuthenticationMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, db_config: SQLAlchemyAsyncConfig) -> None:
        self.app = app
        self.db_config = db_config
        self.proxy_header = settings.auth_proxy_header.strip().lower().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _PUBLIC.match(scope["path"]):
            await self.app(scope, receive, send)
            return
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
                raise unauthorized("This page is reached through the firm's sign-in proxy.", www_authenticate=None)
        else:
            identity = await self._signed_in(scope, headers.get(b"cookie", b""))
            if identity is None:
                await _to_sign_in(scope, send)
                return
        scope[IDENTITY_SCOPE_KEY] = identity  # type: ignore[literal-required]
        scope[ACTOR_SCOPE_KEY] = identity.actor()  # type: ignore[literal-required]
        structlog.contextvars.bind_contextvars(caller=identity.key_id or "person")
        await self.app(scope, receive, send)

    def _keys(self, scope: Scope) -> KeyService:
        # The request's own database session: the handler reuses it, and it is closed with it.
        return KeyService(self.db_config.provide_session(scope["app"].state, scope))

    async def _key_identity(self, scope: Scope, authorization: str) -> Identity:
        kind, _, secret = authorization.partition(" ")
        if not authorization:
            raise unauthorized("Send an API key as 'Authorization: Bearer <key>'.")
        if kind.lower() != "bearer" or not secret.strip():
            raise unauthorized("Only 'Authorization: Bearer <key>' is accepted.")
        identity = await self._keys(scope).authenticate(secret.strip())
        if identity is None:
            log.info("auth.key.refused", path=scope["path"])
            raise unauthorized("This API key is not valid, or it was revoked.", www_authenticate=f'{_BEARER}, error="invalid_token"')
        return identity

    async def _signed_in(self, scope: Scope, cookie_header: bytes) -> Identity | None:
        token = _cookie(cookie_header.decode("latin-1"), SIGN_IN_COOKIE)
        if not token or len(token) > 100:
            return None
        return await self._keys(scope).signed_in(token)


def unauthorized(detail: str, www_authenticate: str | None = _BEARER) -> ProblemDetailsException:
    headers = {"WWW-Authenticate": www_authenticate} if www_authenticate else None
    return ProblemDetailsException(status_code=401, title="Unauthorized", detail=detail, headers=headers)


def _proxy_identity(raw: bytes) -> Identity | None:
    try:
        person = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return proxy_identity(person) if _PERSON.match(person) else None


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip().strip('"')
    return None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\\"):
        return "/"
    return target


async def _to_sign_in(scope: Scope, send: Send) -> None:
    query = scope.get("query_string", b"").decode("latin-1")
    here = scope["path"] + (f"?{query}" if query else "")
    if scope["method"] not in ("GET", "HEAD"):
        here = "/"
    location = f"{SIGN_IN_PATH}?next={quote(safe_next(here), safe='')}"
    await send({"type": "http.response.start", "status": 303, "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})

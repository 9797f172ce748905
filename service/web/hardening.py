"""What browsers are told and checked, on every response and every form sent.

- Security headers: a strict Content-Security-Policy (scripts, styles and everything else from
  this site only, no inline script, no framing), Referrer-Policy, nosniff, X-Frame-Options.
- ``Secure`` on every cookie when the request came over https (directly, or through a proxy
  that says so in X-Forwarded-Proto, which uvicorn applies).
- A form sent to the pages (any method but GET/HEAD/OPTIONS, outside /api) must come from
  this site: its ``Origin``, else its ``Referer``, names this host.
- The CSRF token is bound to the sign-in: a signed-in browser's token is derived from its
  sign-in, so a token pair taken from another browser does not pass with this one's cookie.
  Litestar's CSRF middleware still checks the token against its cookie on every form.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

import structlog
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_hash
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.auth.middleware import SIGN_IN_COOKIE
from service.web.csrf import CSRF_COOKIE

log = structlog.get_logger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bound_csrf_token(secret: str, sign_in_token: str) -> str:
    """The CSRF token of one sign-in, in the form Litestar's CSRF middleware checks (64 hex
    characters and their HMAC)."""
    token = hmac.new(secret.encode(), f"csrf:{sign_in_token}".encode(), hashlib.sha256).hexdigest()
    return token + generate_csrf_hash(token=token, secret=secret)


class BrowserHardening:
    def __init__(self, app: ASGIApp, csrf_secret: str) -> None:
        self.app = app
        self.csrf_secret = csrf_secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/api"):
            # The API takes no forms and sets no cookies: nothing here concerns it.
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["method"] not in _SAFE_METHODS and not _same_origin(scope, headers):
            log.warning("web.form.cross_origin", path=path)
            await _refuse(send, "This form was sent from another site, so it was not accepted.")
            return
        sign_in = _cookie(headers.get(b"cookie", b""), SIGN_IN_COOKIE)
        if not sign_in or b"authorization" in headers:
            await self.app(scope, receive, send)
            return
        bound = bound_csrf_token(self.csrf_secret, sign_in)
        if _cookie(headers.get(b"cookie", b""), CSRF_COOKIE) == bound:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in _SAFE_METHODS:
            log.warning("web.form.csrf_unbound", path=path)
            await _refuse(
                send, "This form belongs to another sign-in. Reload the page and send it again."
            )
            return
        # A page read with an older token: it is given this sign-in's token.
        scope["headers"] = _with_cookie(scope["headers"], CSRF_COOKIE, bound)

        async def send_bound(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = Cookie(
                    key=CSRF_COOKIE, value=bound, path="/", httponly=True, samesite="strict"
                )
                message["headers"] = [
                    *message.get("headers", []),
                    (b"set-cookie", cookie.to_header(header="").encode("latin-1")),
                ]
            await send(message)

        await self.app(scope, receive, send_bound)


async def harden_response(message: Message, scope: Scope) -> None:
    """Litestar's before_send hook: it sees every response, errors raised in middleware too."""
    if message["type"] != "http.response.start":
        return
    https = scope.get("scheme") == "https"
    out = []
    for name, value in message.get("headers", []):
        if https and name.lower() == b"set-cookie" and b"secure" not in value.lower():
            value = value + b"; Secure"
        out.append((name, value))
    out.extend(SECURITY_HEADERS)
    out.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
    message["headers"] = out


def _same_origin(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """Whether Origin (else Referer) names this host; a request with neither is not from a
    browser's cross-site form (browsers send Origin on every cross-site POST)."""
    claimed = headers.get(b"origin") or headers.get(b"referer")
    if claimed is None:
        return True
    try:
        parts = urlsplit(claimed.decode("latin-1"))
        host = headers.get(b"host", b"").decode("latin-1").lower()
        return (
            bool(parts.netloc)
            and parts.netloc.lower() == host
            and parts.scheme in ("http", "https")
        )
    except ValueError:
        return False


def _cookie(header: bytes, name: str) -> str | None:
    for part in header.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip().strip('"')
    return None


def _with_cookie(
    headers: list[tuple[bytes, bytes]], name: str, value: str
) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"cookie"]
    cookies = [
        part.strip()
        for k, v in headers
        if k.lower() == b"cookie"
        for part in v.decode("latin-1").split(";")
        if part.strip() and part.strip().partition("=")[0] != name
    ]
    cookies.append(f"{name}={value}")
    return [*kept, (b"cookie", "; ".join(cookies).encode("latin-1"))]


async def _refuse(send: Send, reason: str) -> None:
    body = f"<!doctype html><title>Not accepted</title><p>{reason}</p>".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            # The security headers are added by harden_response, as on every answer.
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

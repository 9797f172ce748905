"""HEAD wherever GET works, and OPTIONS that names every method of the path.

Litestar answers HEAD only where a handler declares it, and its OPTIONS lists the methods of
one of the handlers sharing a path (``GET`` and ``DELETE`` of a session are two handlers). This
middleware asks the app's own router which methods a path takes, so both stay right as routes
are added.
"""

from __future__ import annotations

from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils import normalize_path

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def methods_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if scope["type"] == "http" else None
        if method not in ("HEAD", "OPTIONS"):
            await app(scope, receive, send)
            return
        allowed = _allowed(scope)
        if method == "OPTIONS" and allowed:
            names = sorted({*allowed, "OPTIONS", *(["HEAD"] if "GET" in allowed else [])})
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [(b"allow", ", ".join(names).encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if method == "HEAD" and "GET" in allowed:
            # Served as the GET it stands for (Litestar's routing table lists HEAD beside a GET
            # handler, yet the handler answers it with 405).
            scope["method"] = "GET"

            async def without_body(message: Message) -> None:
                # The GET's headers (Content-Length included) without its body.
                if message["type"] == "http.response.start":
                    # The server reads the method of this same scope as the response goes out:
                    # told GET, uvicorn waits for Content-Length bytes and resets the connection.
                    scope["method"] = "HEAD"
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)

            await app(scope, receive, without_body)
            return
        await app(scope, receive, send)

    return middleware


def _allowed(scope: Scope) -> set[str]:
    router = scope["app"].asgi_router
    path = normalize_path(scope["path"])
    allowed = set()
    for method in _METHODS:
        try:
            router.handle_routing(path=path, method=method)
        except (MethodNotAllowedException, NotFoundException):
            continue
        except Exception:  # noqa: BLE001 - a path the router cannot take is answered by the app itself
            return set()
        allowed.add(method)
    return allowed

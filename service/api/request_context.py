"""A request id on every log line of a request, and on the response; one line per request."""

from __future__ import annotations

import itertools
import os
import re
import time

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("service.http")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# A request's own id: this process's random prefix and a count, 32 hex characters as a UUID's.
# An id only tells one request's log lines from another's, so it need not be unguessable, and
# a random UUID cost a system call (os.urandom) per request. Forked processes (each server
# process imports this after it starts) draw their own prefixes.
_PREFIX = os.urandom(8).hex()
_COUNT = itertools.count()


def _new_id() -> str:
    return f"{_PREFIX}{next(_COUNT) & 0xFFFFFFFFFFFFFFFF:016x}"


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id").decode("latin-1")
        # A caller's id is kept only if it is short and plain, so it cannot forge log lines.
        request_id = given if _SAFE_ID.match(given) else _new_id()
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        started = time.perf_counter()
        status: list[int] = []

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            # The path holds ids only; query strings and bodies are never logged.
            log.info(
                "http.request.completed",
                method=scope["method"],
                path=scope["path"],
                status=status[0] if status else None,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.clear_contextvars()

    return middleware

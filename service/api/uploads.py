"""Uploaded files are closed when their request ends, whatever ended it.

Litestar closes the files a handler receives, but a request refused before it reaches one
(the CSRF check reads the multipart form, then answers 403) would leave them open until the
garbage collector finds them.
"""

from __future__ import annotations

from litestar.datastructures import UploadFile
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState


def close_uploads_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                form = value_or_default(ScopeState.from_scope(scope).form, {})
                for value in form.values() if isinstance(form, dict) else ():
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, UploadFile):
                            await item.close()

    return middleware

"""Rate limits per key on the costly requests: importing a letter and generating documents.

Litestar's rate limiting, counted per caller (the key id, or the person signed in) in a
FileStore, which several server processes on one machine share, or, with RATE_LIMIT_STORE set
to a redis:// URL, in Redis, which every machine shares; a caller over the limit gets 429 with
Retry-After (and the RateLimit-* headers Litestar sets on every counted answer).
"""

from __future__ import annotations

import re
from time import time
from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import CacheObject, RateLimitConfig, RateLimitMiddleware
from litestar.stores.base import Store
from litestar.stores.file import FileStore

from service.auth.identity import IDENTITY_SCOPE_KEY
from service.settings import PROJECT_ROOT, Settings

STORE_NAME = "rate_limit"
_COSTLY_PATH = r"(api/)?sessions/(import|[0-9a-fA-F-]{36}/documents)/?$"
_COSTLY = re.compile("^/" + _COSTLY_PATH)
# Every other path (but "/", which Litestar takes for an exclude-everything pattern) passes the
# middleware by its exclude pattern, before Litestar builds a Request for it.
_NOT_COSTLY = f"^/(?!{_COSTLY_PATH})."


class _WithRetryAfter(RateLimitMiddleware):
    def create_response_headers(self, cache_object: CacheObject) -> dict[str, str]:
        headers = super().create_response_headers(cache_object)
        headers["Retry-After"] = str(max(1, cache_object.reset - int(time())))
        return headers


def _is_costly(request: Request[Any, Any, Any]) -> bool:
    return request.method == "POST" and bool(_COSTLY.match(request.url.path))


def _caller(request: Request[Any, Any, Any]) -> str:
    identity = request.scope.get(IDENTITY_SCOPE_KEY)
    if identity is None:
        return "nobody"
    return f"key:{identity.key_id}" if identity.key_id else f"person:{identity.owner}"


def rate_limit_config(settings: Settings) -> RateLimitConfig | None:
    if settings.costly_requests_per_minute <= 0:
        return None
    return RateLimitConfig(
        rate_limit=("minute", settings.costly_requests_per_minute),
        identifier_for_request=_caller,
        check_throttle_handler=_is_costly,
        exclude=_NOT_COSTLY,
        middleware_class=_WithRetryAfter,
        store=STORE_NAME,
    )


def rate_limit_store(settings: Settings) -> Store:
    """Redis when RATE_LIMIT_STORE names it; else a folder beside the SQLite database, or under
    var/: one directory for every process of a machine."""
    if settings.rate_limit_store:
        from litestar.stores.redis import RedisStore

        return RedisStore.with_client(url=settings.rate_limit_store, namespace="rate-limits")
    database = settings.sqlite_path()
    return FileStore(
        path=(database.parent if database else PROJECT_ROOT / "var") / "rate-limits",
        create_directories=True,
    )

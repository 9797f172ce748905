"""Who is acting: what the sessions service needs to know of a caller, for ownership and the
answer log. Built from an identity (``service.auth.identity``); knows nothing of requests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    name: str = "anonymous"
    owner: str | None = None
    # Sees every owner's sessions. Never by default: an actor is an admin only when its key says so.
    is_admin: bool = False

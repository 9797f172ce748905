"""Who is calling and what they may do."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass

from service.auth.actor import Actor

READ, WRITE, GENERATE, ADMIN = "read", "write", "generate", "admin"
SCOPES = (READ, WRITE, GENERATE, ADMIN)
# What a person in the web form may do; admins of the service use keys.
PERSON_SCOPES = frozenset({READ, WRITE, GENERATE})

# Where the authentication middleware leaves the Identity: Litestar's own ``request.user``.
IDENTITY_SCOPE_KEY = "user"


class UnknownScope(ValueError):
    pass


def parse_scopes(text: str) -> frozenset[str]:
    """``"read,write"`` → {"read", "write"}.

    Raises UnknownScope naming the first word that is not a scope, or when none is given.
    """
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if not words:
        raise UnknownScope(f"give at least one scope of: {', '.join(SCOPES)}")
    for word in words:
        if word not in SCOPES:
            raise UnknownScope(f"{word!r} is not a scope; the scopes are {', '.join(SCOPES)}")
    return frozenset(words)


@functools.lru_cache(maxsize=64)
def parse_stored_scopes(text: str) -> frozenset[str]:
    """A key's stored scopes (``"read,write"``); the same few texts come with every request."""
    return frozenset(s for s in text.split(",") if s)


def scope_text(scopes: frozenset[str]) -> str:
    return ",".join(s for s in SCOPES if s in scopes)


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated caller: an API key, a person named by the proxy, or a signed-in person."""

    name: str
    owner: str
    scopes: frozenset[str]
    via: str  # "key", "proxy" or "sign-in"
    # The database id of the key used (also for a sign-in made with a key); None for the proxy.
    api_key_id: uuid.UUID | None = None
    key_id: str | None = None
    # What the page header shows: the key's own name ("Ann Lee"); ``name`` is what logs keep.
    label: str = ""

    @property
    def shown_as(self) -> str:
        return self.label or self.name

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.scopes

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def actor(self) -> Actor:
        return Actor(name=self.name[:200], owner=self.owner[:200], is_admin=self.is_admin)

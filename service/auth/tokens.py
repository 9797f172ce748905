"""API keys as strings: ``fa_<key id>_<secret>``, made, hashed and read back.

The key id is visible (lists, logs, ``keys revoke``); the secret is 256 random bits. Only the
SHA-256 of the whole key is stored: with that much entropy a slow password hash adds nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

PREFIX = "fa"
_KEY = re.compile(r"fa_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


def new_key() -> tuple[str, str]:
    """A fresh key and its key id."""
    key_id = secrets.token_hex(6)
    return f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}", key_id


def key_id_of(key: str) -> str | None:
    """The key id of a well-formed key, or None for anything else."""
    match = _KEY.fullmatch(key)
    return match.group(1) if match else None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(32)

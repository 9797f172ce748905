"""The tables of access: API keys (only their hash is stored) and web sign-ins."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.auth.identity import parse_stored_scopes


class ApiKey(UUIDAuditBase):
    __tablename__ = "api_key"

    # The visible part of the key ("fa_<key_id>_<secret>"): names it in lists and logs.
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Sessions created with this key belong to this owner; keys sharing an owner share sessions.
    owner: Mapped[str] = mapped_column(String(200), index=True)
    # Comma-separated: read, write, generate, admin.
    scopes: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the whole key. The key is 256 random bits, so a fast hash is enough.
    secret_hash: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), default=None, nullable=True
    )

    @property
    def scope_set(self) -> frozenset[str]:
        return parse_stored_scopes(self.scopes)


class SignIn(UUIDAuditBase):
    """A person signed in to the web form with a personal key; the cookie holds a random
    token whose hash is kept here, so signing out or revoking the key ends it at once."""

    __tablename__ = "sign_in"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))

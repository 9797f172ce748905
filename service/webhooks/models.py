from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import BigIntBase, UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Webhook(UUIDAuditBase):
    __tablename__ = "webhook"

    # The key that registered it: it sees the events of that key's sessions (all, if admin).
    api_key_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    # Comma-separated event names.
    events: Mapped[str] = mapped_column(String(200))
    # The HMAC key of the signatures. Kept as given (signing needs it), shown to the caller once.
    secret: Mapped[str] = mapped_column(String(100))

    @property
    def event_list(self) -> list[str]:
        return [e for e in self.events.split(",") if e]


class WebhookDelivery(UUIDAuditBase):
    """One event for one webhook, until it is delivered or given up."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    webhook_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    # The same for every webhook the event went to: receivers use it to drop duplicates.
    event_id: Mapped[uuid.UUID] = mapped_column(GUID)
    event: Mapped[str] = mapped_column(String(40))
    session_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True, index=True)
    # The exact JSON body sent and signed.
    payload: Mapped[str] = mapped_column(Text)
    # pending, delivered, failed (gave up after the last attempt), cancelled (session deleted).
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    # A dispatcher that took the delivery holds it until then; another may take it after.
    locked_until: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True, default=None
    )
    delivered_at: Mapped[dt.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), nullable=True, default=None
    )


class WebhookAttempt(BigIntBase):
    """Append-only: one row per attempt to send a delivery, with its outcome."""

    __tablename__ = "webhook_attempt"

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    duration_ms: Mapped[int] = mapped_column(Integer)
    # delivered (2xx), rejected (another status), timeout, unreachable
    outcome: Mapped[str] = mapped_column(String(20))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)

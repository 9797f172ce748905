from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.base import BigIntBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class IdempotencyRecord(BigIntBase):
    __tablename__ = "idempotency_record"
    __table_args__ = (
        UniqueConstraint(
            "owner", "operation", "key", name="uq_idempotency_record_owner_operation_key"
        ),
        Index("ix_idempotency_record_owner_created_at", "owner", "created_at"),
    )

    owner: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the method, the path and the body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The session the request created or worked on; its records go when it is deleted.
    session_id: Mapped[uuid.UUID | None] = mapped_column(GUID, nullable=True, index=True)
    status_code: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))

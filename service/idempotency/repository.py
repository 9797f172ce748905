"""Every query of idempotency records lives here."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import delete

from service.idempotency.models import IdempotencyRecord


class IdempotencyRepository(SQLAlchemyAsyncRepository[IdempotencyRecord]):
    model_type = IdempotencyRecord

    async def find(self, owner: str, operation: str, key: str) -> IdempotencyRecord | None:
        # populate_existing: a record another request wrote since this session last read it.
        return await self.get_one_or_none(
            owner=owner, operation=operation, key=key, execution_options={"populate_existing": True}
        )

    async def forget_before(self, owner: str, cutoff: dt.datetime) -> None:
        await self.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.owner == owner, IdempotencyRecord.created_at < cutoff
            )
        )

    async def forget_session(self, session_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.session_id == session_id)
        )

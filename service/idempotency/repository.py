"""Every query of idempotency records lives here."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import delete, select

from service.idempotency.models import IdempotencyRecord


class IdempotencyRepository(SQLAlchemyAsyncRepository[IdempotencyRecord]):
    model_type = IdempotencyRecord

    async def find(self, owner: str, operation: str, key: str) -> IdempotencyRecord | None:
        query = select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.operation == operation, IdempotencyRecord.key == key
        ).execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def forget_before(self, owner: str, cutoff: dt.datetime) -> None:
        await self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.owner == owner, IdempotencyRecord.created_at < cutoff))

    async def forget_session(self, session_id: uuid.UUID) -> None:
        await self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.session_id == session_id))

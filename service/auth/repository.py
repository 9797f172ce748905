"""Every query of API keys and sign-ins lives here."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import delete, select, update

from service.auth.models import ApiKey, SignIn


class ApiKeyRepository(SQLAlchemyAsyncRepository[ApiKey]):
    model_type = ApiKey

    async def by_key_id(self, key_id: str) -> ApiKey | None:
        return await self.get_one_or_none(key_id=key_id)

    async def everything(self) -> list[ApiKey]:
        return await self.get_many(order_by=[(ApiKey.created_at, False), (ApiKey.key_id, False)])

    async def count_all(self) -> int:
        return await self.count()

    async def revoke(self, key_id: str, now: dt.datetime) -> bool:
        result = await self.session.execute(
            update(ApiKey)
            .where(ApiKey.key_id == key_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=now, updated_at=now)
        )
        return result.rowcount == 1


class SignInRepository(SQLAlchemyAsyncRepository[SignIn]):
    model_type = SignIn

    async def active(self, token_hash: str, now: dt.datetime) -> tuple[SignIn, ApiKey] | None:
        """The sign-in of this token with its key, if neither has ended."""
        query = (
            select(SignIn, ApiKey)
            .join(ApiKey, ApiKey.id == SignIn.api_key_id)
            .where(
                SignIn.token_hash == token_hash,
                SignIn.expires_at > now,
                ApiKey.revoked_at.is_(None),
            )
        )
        row = (await self.session.execute(query)).first()
        return (row[0], row[1]) if row else None

    async def end(self, token_hash: str) -> None:
        await self.session.execute(delete(SignIn).where(SignIn.token_hash == token_hash))

    async def end_expired(self, now: dt.datetime) -> None:
        await self.session.execute(delete(SignIn).where(SignIn.expires_at <= now))

    async def end_for_key(self, api_key_id: uuid.UUID) -> None:
        await self.session.execute(delete(SignIn).where(SignIn.api_key_id == api_key_id))

"""Every query of webhooks, their deliveries and the attempts lives here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import and_, or_, select, update

from service.auth.models import ApiKey
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery


class WebhookRepository(SQLAlchemyAsyncRepository[Webhook]):
    model_type = Webhook

    async def of_key(self, api_key_id: uuid.UUID) -> list[Webhook]:
        return await self.get_many(
            api_key_id=api_key_id, order_by=[(Webhook.created_at, False), (Webhook.id, False)]
        )

    async def one_of_key(self, api_key_id: uuid.UUID, webhook_id: uuid.UUID) -> Webhook | None:
        return await self.get_one_or_none(api_key_id=api_key_id, id=webhook_id)

    async def listening(self) -> list[tuple[Webhook, ApiKey]]:
        """Every webhook whose key is still valid, with its key."""
        query = (
            select(Webhook, ApiKey)
            .join(ApiKey, ApiKey.id == Webhook.api_key_id)
            .where(ApiKey.revoked_at.is_(None))
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]


class DeliveryRepository(SQLAlchemyAsyncRepository[WebhookDelivery]):
    model_type = WebhookDelivery

    async def of_webhook(self, webhook_id: uuid.UUID, limit: int) -> list[WebhookDelivery]:
        """The newest ``limit`` deliveries of a webhook."""
        return await self.get_many(
            LimitOffset(limit=limit, offset=0),
            webhook_id=webhook_id,
            order_by=[(WebhookDelivery.created_at, True), (WebhookDelivery.id, False)],
        )

    async def forget_session(self, session_id: uuid.UUID) -> None:
        """Stop mentioning a deleted session: nothing more is sent about it, and what was
        sent keeps only its outcome."""
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.session_id == session_id, WebhookDelivery.status == "pending")
            .values(status="cancelled", locked_until=None)
        )
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.session_id == session_id)
            .values(payload="{}")
        )

    async def cancel(self, delivery_ids: list[uuid.UUID]) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.id.in_(delivery_ids))
            .values(status="cancelled", locked_until=None)
            .execution_options(synchronize_session=False)
        )

    async def due(self, now: dt.datetime, limit: int) -> list[tuple[uuid.UUID, bool]]:
        """Deliveries due for an attempt, each with whether its key was revoked since."""
        query = (
            select(WebhookDelivery.id, ApiKey.revoked_at.is_not(None))
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(ApiKey, ApiKey.id == Webhook.api_key_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
        return [(row[0], bool(row[1])) for row in (await self.session.execute(query)).all()]

    async def take(self, delivery_id: uuid.UUID, now: dt.datetime, until: dt.datetime) -> bool:
        """Take a due delivery for one attempt; False when another dispatcher took it first."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == "pending",
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
            )
            .values(locked_until=until)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def with_webhooks(self, ids: list[uuid.UUID]) -> list[tuple[WebhookDelivery, Webhook]]:
        query = (
            select(WebhookDelivery, Webhook)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.id.in_(ids))
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def finish_attempt(self, delivery_id: uuid.UUID, values: dict[str, Any]) -> None:
        # A delivery cancelled while it was being sent stays cancelled.
        await self.session.execute(
            update(WebhookDelivery)
            .where(and_(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending"))
            .values(**values, locked_until=None, updated_at=dt.datetime.now(dt.UTC))
            .execution_options(synchronize_session=False)
        )


class AttemptRepository(SQLAlchemyAsyncRepository[WebhookAttempt]):
    model_type = WebhookAttempt

    async def of_deliveries(
        self, delivery_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, list[WebhookAttempt]]:
        found: dict[uuid.UUID, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
        if not delivery_ids:
            return found
        query = (
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.id)
        )
        for attempt in (await self.session.execute(query)).scalars():
            found[attempt.delivery_id].append(attempt)
        return found

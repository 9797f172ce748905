"""Webhooks of the calling key: register a URL for events, list, remove, read the delivery log."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, Response, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, KwargDefinition, QueryParameter

from service.api.responses import problems
from service.dependencies import CurrentIdentity, Webhooks, provide_identity, provide_webhooks
from service.webhooks import EVENTS
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from service.webhooks.service import MAX_URL_LENGTH, URL_PATTERN


@dataclass
class NewWebhookIn:
    # Documented here, checked by the webhook service (422 with a path per field).
    url: Annotated[
        str,
        KwargDefinition(
            min_length=8,
            max_length=MAX_URL_LENGTH,
            pattern=URL_PATTERN,
            description="An absolute http:// or https:// URL; redirects are not followed.",
        ),
    ]
    events: Annotated[
        list[Literal["session.completed", "documents.generated"]],
        KwargDefinition(
            min_items=1,
            max_items=len(EVENTS),
            description="session.completed, documents.generated, or both.",
        ),
    ]


@dataclass
class WebhookOut:
    id: uuid.UUID
    url: str
    events: list[str]
    created_at: dt.datetime

    @classmethod
    def of(cls, row: Webhook) -> WebhookOut:
        return cls(id=row.id, url=row.url, events=row.event_list, created_at=row.created_at)


@dataclass
class NewWebhookOut(WebhookOut):
    # Shown once: the key of the HMAC-SHA256 signatures of every delivery.
    secret: str = ""


@dataclass
class AttemptOut:
    number: int
    started_at: dt.datetime
    # Only for delivered attempts: how long a failure took tells a closed port from a silent
    # one, and the log must be no port scanner.
    duration_ms: int | None
    outcome: str
    status_code: int | None
    error: str | None

    @classmethod
    def of(cls, row: WebhookAttempt) -> AttemptOut:
        return cls(
            number=row.number,
            started_at=row.started_at,
            duration_ms=row.duration_ms if row.outcome == "delivered" else None,
            outcome=row.outcome,
            status_code=row.status_code,
            error=row.error,
        )


@dataclass
class DeliveryOut:
    id: uuid.UUID
    event_id: uuid.UUID
    event: str
    session_id: uuid.UUID | None
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    attempt_log: list[AttemptOut]

    @classmethod
    def of(cls, row: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryOut:
        return cls(
            id=row.id,
            event_id=row.event_id,
            event=row.event,
            session_id=row.session_id,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
            delivered_at=row.delivered_at,
            created_at=row.created_at,
            attempt_log=[AttemptOut.of(a) for a in attempts],
        )


class WebhooksController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]
    dependencies = {"webhooks": Provide(provide_webhooks), "identity": Provide(provide_identity)}

    @post(
        "/",
        summary="Register a URL for events of this key's sessions",
        description="Deliveries are POSTed as JSON and signed: `X-Filing-Assembler-Signature: t=<unix time>,v1=<hex "
        'HMAC-SHA256 of "<t>.<body>" with the secret>`. The secret is in this response only. A delivery that fails '
        "(no 2xx within WEBHOOK_TIMEOUT_SECONDS) is retried with exponential backoff.",
        responses=problems(413, 422),
    )
    async def register(
        self, data: JSONBody[NewWebhookIn], webhooks: Webhooks, identity: CurrentIdentity
    ) -> Response[NewWebhookOut]:
        new = await webhooks.register(identity, data.url, data.events)
        out = NewWebhookOut(**WebhookOut.of(new.row).__dict__, secret=new.secret)
        return Response(out, status_code=201, headers={"Location": f"/api/webhooks/{new.row.id}"})

    @get("/", summary="This key's webhooks", responses=problems())
    async def list_webhooks(
        self, webhooks: Webhooks, identity: CurrentIdentity
    ) -> list[WebhookOut]:
        return [WebhookOut.of(row) for row in await webhooks.list(identity)]

    @get("/{webhook_id:uuid}", summary="One of this key's webhooks", responses=problems(404))
    async def get_webhook(
        self, webhook_id: FromPath[uuid.UUID], webhooks: Webhooks, identity: CurrentIdentity
    ) -> WebhookOut:
        return WebhookOut.of(await webhooks.get(identity, webhook_id))

    @delete(
        "/{webhook_id:uuid}",
        summary="Remove a webhook; nothing more is sent to it",
        status_code=204,
        responses=problems(404),
    )
    async def remove_webhook(
        self, webhook_id: FromPath[uuid.UUID], webhooks: Webhooks, identity: CurrentIdentity
    ) -> None:
        await webhooks.remove(identity, webhook_id)

    @get(
        "/{webhook_id:uuid}/deliveries",
        summary="The newest deliveries of a webhook, each with its attempts",
        responses=problems(404),
    )
    async def deliveries(
        self,
        webhook_id: FromPath[uuid.UUID],
        webhooks: Webhooks,
        identity: CurrentIdentity,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[DeliveryOut]:
        return [
            DeliveryOut.of(d, attempts)
            for d, attempts in await webhooks.deliveries_of(identity, webhook_id, limit)
        ]

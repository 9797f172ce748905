"""The rules of webhooks: who may register what, which event goes to which URL."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol
from urllib.parse import urlsplit

import anyio
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from service.problems import Problem
from service.webhooks import EVENTS
from service.webhooks.addresses import AddressPolicy, AddressRefused
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from service.webhooks.repository import AttemptRepository, DeliveryRepository, WebhookRepository
from service.webhooks.signing import new_secret

log = structlog.get_logger(__name__)


class Owner(Protocol):
    """Whoever owns webhooks: an API key (an identity of auth/ is one; webhooks need no more)."""

    @property
    def api_key_id(self) -> uuid.UUID | None: ...

    @property
    def key_id(self) -> str | None: ...


MAX_URL_LENGTH = 2000
# Published in the API's schema too: a scheme, a plain host (IDNs as punycode), an optional
# port, and visible ASCII after it.
URL_PATTERN = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"


class WebhookNotFound(LookupError):
    pass


class WebhookRefused(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("the webhook was refused")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class NewWebhook:
    row: Webhook
    secret: str  # shown once


def url_problems(url: str) -> list[Problem]:
    """What is wrong with a webhook URL: only absolute http(s) URLs with a host are taken."""
    if len(url) > MAX_URL_LENGTH:
        return [
            Problem(
                path="url",
                message=f"url: is too long: at most {MAX_URL_LENGTH} characters",
                code="value.maxLength",
            )
        ]
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return [
            Problem(
                path="url",
                message="url: must not contain spaces or control characters",
                code="url.invalid",
            )
        ]
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.split(":", 1)[0].lower() not in (
        "http",
        "https",
    ):
        return [
            Problem(
                path="url", message="url: must start with https:// or http://", code="url.scheme"
            )
        ]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return [Problem(path="url", message="url: is not a URL", code="url.invalid")]
    if parts.scheme not in ("http", "https"):
        return [
            Problem(
                path="url", message="url: must start with https:// or http://", code="url.scheme"
            )
        ]
    if not parts.hostname:
        return [
            Problem(
                path="url",
                message="url: must name a host, such as https://portal.example.com/hooks",
                code="url.host",
            )
        ]
    if parts.username or parts.password:
        return [
            Problem(
                path="url",
                message="url: must not hold a user name or password; deliveries are signed instead",
                code="url.credentials",
            )
        ]
    if not re.match(URL_PATTERN, url):
        return [
            Problem(
                path="url",
                message="url: must be a plain URL such as https://portal.example.com/hooks (a host name in ASCII, no spaces)",
                code="url.invalid",
            )
        ]
    return []


async def address_problems(url: str, policy: AddressPolicy) -> list[Problem]:
    """A problem at ``url`` when its host is, or resolves to, an address deliveries may not
    reach. A name that does not resolve now is taken: each delivery checks it again."""
    parts = urlsplit(url)
    try:
        with anyio.fail_after(5):
            await policy.resolve(
                parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
            )
    except AddressRefused:
        return [
            Problem(
                path="url",
                message="url: deliveries go to public addresses only; this host is, or resolves to, a loopback, private, link-local, "
                "multicast, reserved or cloud-metadata address (a firm's own portal can be allowed with WEBHOOK_ALLOWED_HOSTS)",
                code="url.internal",
            )
        ]
    except (OSError, TimeoutError, UnicodeError):
        pass
    return []


def event_payload(event: str, event_id: uuid.UUID, now: dt.datetime, data: dict[str, Any]) -> str:
    """The exact JSON body an event's deliveries send and sign."""
    return json.dumps(
        {"id": str(event_id), "type": event, "created_at": now.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def hears(
    events: list[str], key_owner: str, key_is_admin: bool, event: str, session_owner: str | None
) -> bool:
    """Whether a webhook (listening to ``events``, registered by a key) hears ``event`` about a
    session: it listens to it, and its key owns the session or is an admin key."""
    return event in events and (key_owner == session_owner or key_is_admin)


def completion_data(session_id: uuid.UUID, pack: str, revision: int) -> dict[str, Any]:
    """What a ``session.completed`` event says (never the answers)."""
    return {
        "session_id": str(session_id),
        "pack": pack,
        "revision": revision,
        "status": "complete",
        "url": f"/api/sessions/{session_id}",
    }


class WebhookService:
    def __init__(
        self,
        db: AsyncSession,
        wake: Callable[[], None] | None = None,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.db = db
        self.policy = policy or AddressPolicy()
        self.wake = wake or (lambda: None)

    # Made when first used (see SessionService): most requests emit no event.
    @cached_property
    def webhooks(self) -> WebhookRepository:
        return WebhookRepository(session=self.db, auto_commit=False)

    @cached_property
    def deliveries(self) -> DeliveryRepository:
        return DeliveryRepository(session=self.db, auto_commit=False)

    @cached_property
    def attempts(self) -> AttemptRepository:
        return AttemptRepository(session=self.db, auto_commit=False)

    # -- a key's own webhooks ----------------------------------------------------------------

    async def register(self, identity: Owner, url: str, events: list[str]) -> NewWebhook:
        """Raises WebhookRefused with a problem per bad field."""
        problems = url_problems(url)
        if not problems:
            problems = await address_problems(url, self.policy)
        if len(events) > len(EVENTS):
            raise WebhookRefused(
                [
                    Problem(
                        path="events",
                        message=f"events: name each of {', '.join(EVENTS)} at most once",
                        code="value.maxItems",
                    )
                ]
            )
        if not events:
            problems.append(
                Problem(
                    path="events",
                    message=f"events: name at least one of {', '.join(EVENTS)}",
                    code="value.minItems",
                )
            )
        for index, name in enumerate(events):
            if name not in EVENTS:
                problems.append(
                    Problem(
                        path=f"events[{index}]",
                        message=f"events[{index}]: must be one of {', '.join(EVENTS)}",
                        code="value.enum",
                    )
                )
        if problems:
            raise WebhookRefused(problems)
        assert identity.api_key_id is not None
        secret = new_secret()
        row = Webhook(
            id=uuid.uuid4(),
            api_key_id=identity.api_key_id,
            url=url,
            events=",".join(e for e in EVENTS if e in events),
            secret=secret,
        )
        self.db.add(row)
        await self.db.commit()
        log.info(
            "webhook.registered", webhook_id=str(row.id), key_id=identity.key_id, events=row.events
        )
        return NewWebhook(row=row, secret=secret)

    async def list(self, identity: Owner) -> list[Webhook]:
        return await self.webhooks.of_key(identity.api_key_id) if identity.api_key_id else []

    async def get(self, identity: Owner, webhook_id: uuid.UUID) -> Webhook:
        """Raises WebhookNotFound for another key's webhook as for none at all."""
        row = (
            await self.webhooks.one_of_key(identity.api_key_id, webhook_id)
            if identity.api_key_id
            else None
        )
        if row is None:
            raise WebhookNotFound(str(webhook_id))
        return row

    async def remove(self, identity: Owner, webhook_id: uuid.UUID) -> None:
        row = await self.get(identity, webhook_id)
        await self.webhooks.delete(row.id)
        await self.db.commit()
        log.info("webhook.removed", webhook_id=str(row.id), key_id=identity.key_id)

    async def deliveries_of(
        self, identity: Owner, webhook_id: uuid.UUID, limit: int
    ) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
        row = await self.get(identity, webhook_id)
        deliveries = await self.deliveries.of_webhook(row.id, limit)
        attempts = await self.attempts.of_deliveries([d.id for d in deliveries])
        return [(d, attempts[d.id]) for d in deliveries]

    # -- events, written with the change they report --------------------------------------

    async def emit(
        self, event: str, session_owner: str | None, session_id: uuid.UUID, data: dict[str, Any]
    ) -> int:
        """Adds a delivery for every webhook that listens to ``event`` and may see the session
        (its key owns it, or is an admin key). The caller commits, then calls ``wake``."""
        now = dt.datetime.now(dt.UTC)
        event_id = uuid.uuid4()
        payload = event_payload(event, event_id, now, data)
        count = 0
        for webhook, key in await self.webhooks.listening():
            if not hears(
                webhook.event_list, key.owner, "admin" in key.scope_set, event, session_owner
            ):
                continue
            self.db.add(
                WebhookDelivery(
                    id=uuid.uuid4(),
                    webhook_id=webhook.id,
                    event_id=event_id,
                    event=event,
                    session_id=session_id,
                    payload=payload,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                )
            )
            count += 1
        if count:
            log.info(
                "webhook.event.queued", kind=event, session_id=str(session_id), deliveries=count
            )
        return count

    async def forget_session(self, session_id: uuid.UUID) -> None:
        await self.deliveries.forget_session(session_id)

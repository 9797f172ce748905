"""Sends webhook deliveries in the background: takes due deliveries from the outbox, signs and
posts them, logs each attempt, and retries failures with exponential backoff until the last
attempt. A slow or dead receiver holds one of a few sending slots, never a request."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import Settings
from service.webhooks.addresses import AddressPolicy
from service.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from service.webhooks.repository import DeliveryRepository
from service.webhooks.signing import SIGNATURE_HEADER, signature_header

if TYPE_CHECKING:
    import httpx

log = structlog.get_logger(__name__)

_POLL_SECONDS = 1.0
_SENDING_SLOTS = 16
_LONGEST_WAIT = dt.timedelta(hours=6)
# How long shutting down waits for the poll and the attempts under way to finish on their own.
# Cancelling one in the middle of a query would leave its database connection checked out.
_STOP_GRACE_SECONDS = 5.0


_UNREACHABLE = "no HTTP answer from the receiver's URL"


def backoff(attempts: int, base_ms: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2×base, 4×base … (capped),
    with up to 10 % jitter so that many failed deliveries do not retry in step."""
    wait = dt.timedelta(milliseconds=base_ms * 2 ** min(attempts - 1, 30))
    wait = min(wait, _LONGEST_WAIT)
    return wait * (1 + random.random() / 10)


def guarded_transport(policy: AddressPolicy) -> httpx.AsyncBaseTransport:
    """The transport deliveries go through. httpx and httpcore (a tenth of the server's
    imports) are imported here, for the first delivery, not as the server starts."""
    from service.webhooks.transport import guarded_transport as guarded

    return guarded(policy)


class WebhookDispatcher:
    def __init__(
        self,
        settings: Settings,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.policy = policy or AddressPolicy.parse(settings.webhook_allowed_hosts)
        self.transport = transport
        self._wake = asyncio.Event()
        self._sending: set[asyncio.Task[None]] = set()
        # When the soonest retry this process scheduled falls due (others' are found by polling).
        self._soonest: dt.datetime | None = None
        self._stopping = False
        # Polls begun and ended, and an event set at the end of each: idle() waits on them.
        self._polls_begun = self._polls_ended = 0
        self._poll_ended = asyncio.Event()
        self._last_poll_took = 0

    def wake(self) -> None:
        """Look for due deliveries now instead of at the next poll."""
        self._wake.set()

    async def idle(self) -> None:
        """Return once a poll begun after this call found nothing due and no attempt is under
        way: whatever was due when it was called has been sent and recorded, so a caller knows
        that nothing more is on its way without waiting on a clock (tests prove absences so)."""
        while True:
            wanted = self._polls_begun + 1
            self.wake()
            while self._polls_ended < wanted:
                await self._poll_ended.wait()
            if self._last_poll_took == 0 and not self._sending:
                return
            if self._sending:
                await asyncio.wait(set(self._sending))

    @asynccontextmanager
    async def running(self, session_maker: Callable[[], AsyncSession]):
        self._wake = asyncio.Event()  # bound to the loop that runs the app
        self._poll_ended = asyncio.Event()
        self._stopping = False
        loop = asyncio.create_task(self._run(session_maker), name="webhook-dispatcher")
        try:
            yield self
        finally:
            self._stopping = True
            self._wake.set()
            tasks = {loop, *self._sending}
            _, late = await asyncio.wait(tasks, timeout=_STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _client(self) -> httpx.AsyncClient:
        import httpx

        timeout = httpx.Timeout(self.settings.webhook_timeout_seconds)
        # Connections are made only to addresses the policy allows, checked as they are made; the
        # environment's proxy settings are not followed (they would connect elsewhere).
        transport = self.transport or guarded_transport(self.policy)
        return httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, transport=transport, trust_env=False
        )

    async def _run(self, session_maker: Callable[[], AsyncSession]) -> None:
        # The client (its TLS context: certificates read, ~50 ms on the event loop) is made for
        # the first delivery, not as the server starts.
        client: httpx.AsyncClient | None = None
        try:
            while not self._stopping:
                self._wake.clear()
                self._polls_begun += 1
                free = _SENDING_SLOTS - len(self._sending)
                taken: list[tuple[WebhookDelivery, Webhook]] = []
                if free > 0:
                    try:
                        taken = await self._take_due(session_maker, free)
                    except Exception:  # noqa: BLE001 - the database may be away; try again later
                        log.exception("webhook.dispatcher.failed")
                if taken and client is None:
                    client = self._client()
                for delivery, webhook in taken:
                    task = asyncio.create_task(
                        self._attempt(session_maker, client, delivery, webhook)
                    )
                    self._sending.add(task)
                    task.add_done_callback(self._finished)
                self._poll_done(len(taken))
                if taken and len(taken) == free:
                    await asyncio.sleep(0)
                    continue
                try:
                    await asyncio.wait_for(self._wake.wait(), self._pause())
                except TimeoutError:
                    pass
        finally:
            if client is not None:
                await client.aclose()

    def _poll_done(self, taken: int) -> None:
        self._polls_ended, self._last_poll_took = self._polls_ended + 1, taken
        ended, self._poll_ended = self._poll_ended, asyncio.Event()
        ended.set()

    def _pause(self) -> float:
        if self._soonest is None:
            return _POLL_SECONDS
        until = (self._soonest - dt.datetime.now(dt.UTC)).total_seconds()
        if until <= 0:
            self._soonest = None
            return 0
        return min(until, _POLL_SECONDS)

    def _retry_at(self, moment: dt.datetime) -> None:
        self._soonest = moment if self._soonest is None else min(self._soonest, moment)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._wake.set()  # a slot is free

    async def _take_due(
        self, session_maker: Callable[[], AsyncSession], limit: int
    ) -> list[tuple[WebhookDelivery, Webhook]]:
        now = dt.datetime.now(dt.UTC)
        lease = now + dt.timedelta(seconds=self.settings.webhook_timeout_seconds + 30)
        async with session_maker() as db:
            deliveries = DeliveryRepository(session=db, auto_commit=False)
            due = await deliveries.due(now, limit)
            if not due:  # the usual poll: one read, no write lock taken
                return []
            if revoked := [d for d, key_revoked in due if key_revoked]:
                await deliveries.cancel(revoked)
            taken = [
                d
                for d, key_revoked in due
                if not key_revoked and await deliveries.take(d, now, lease)
            ]
            await db.commit()
            return await deliveries.with_webhooks(taken) if taken else []

    async def _attempt(
        self,
        session_maker: Callable[[], AsyncSession],
        client: httpx.AsyncClient,
        delivery: WebhookDelivery,
        webhook: Webhook,
    ) -> None:
        import httpx  # imported by the client this attempt is given

        number = delivery.attempts + 1
        body = delivery.payload.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "FilingAssembler-Webhooks/1",
            "X-Filing-Assembler-Event": delivery.event,
            "X-Filing-Assembler-Delivery": str(delivery.id),
            "X-Filing-Assembler-Event-Id": str(delivery.event_id),
            SIGNATURE_HEADER: signature_header(webhook.secret, body),
        }
        started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        try:
            response = await client.post(webhook.url, content=body, headers=headers)
            status_code = response.status_code
            outcome = "delivered" if 200 <= status_code < 300 else "rejected"
        except (httpx.HTTPError, OSError):
            # One word and one message for every failure to get an HTTP answer (refused, closed,
            # not HTTP, silent, forbidden address): the log must not tell ports apart.
            outcome, error = "unreachable", _UNREACHABLE
        duration_ms = round((time.perf_counter() - clock) * 1000)

        values: dict[str, Any] = {"attempts": number}
        if outcome == "delivered":
            values.update(status="delivered", delivered_at=dt.datetime.now(dt.UTC))
        elif number >= self.settings.webhook_max_attempts:
            values.update(status="failed")
        else:
            # Counted from the attempt's start, not its end: the next attempt's time must not
            # tell a refused connection (1 ms) from a timeout (WEBHOOK_TIMEOUT_SECONDS).
            values.update(
                next_attempt_at=started + backoff(number, self.settings.webhook_backoff_ms)
            )
            self._retry_at(values["next_attempt_at"])
        try:
            async with session_maker() as db:
                db.add(
                    WebhookAttempt(
                        delivery_id=delivery.id,
                        number=number,
                        started_at=started,
                        duration_ms=duration_ms,
                        outcome=outcome,
                        status_code=status_code,
                        error=error,
                    )
                )
                await DeliveryRepository(session=db, auto_commit=False).finish_attempt(
                    delivery.id, values
                )
                await db.commit()
        except Exception:  # noqa: BLE001 - the lease runs out and the delivery is tried again
            log.exception("webhook.attempt.unrecorded", delivery_id=str(delivery.id))
            return
        log.info(
            "webhook.attempt",
            delivery_id=str(delivery.id),
            webhook_id=str(webhook.id),
            kind=delivery.event,
            attempt=number,
            outcome=outcome,
            status_code=status_code,
            ms=duration_ms,
            final=values.get("status"),
        )

"""The rules of idempotency keys, for any operation that creates something."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from service.idempotency.models import IdempotencyRecord
from service.idempotency.repository import IdempotencyRepository

log = structlog.get_logger(__name__)


class KeyReused(Exception):
    """The same Idempotency-Key came with a different request."""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    headers: dict[str, str]
    body: bytes


class Replayed(Exception):
    """This request was made before: answer with the first response instead."""

    def __init__(self, response: StoredResponse) -> None:
        super().__init__("replayed")
        self.response = response


@dataclass(frozen=True, slots=True)
class Once:
    """An operation to be done at most once per (owner, operation, key). ``respond`` turns its
    result into the response to store and replay."""

    owner: str
    operation: str
    key: str
    fingerprint: str
    respond: Callable[[Any], StoredResponse]


def fingerprint(method: str, path: str, body: bytes) -> str:
    """Of what a request asks: its method, path and body (JSON compared by value, not spacing)."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = body
    return hashlib.sha256(
        method.upper().encode() + b" " + path.encode() + b"\n" + canonical
    ).hexdigest()


class IdempotencyService:
    def __init__(self, db: AsyncSession, hours: int = 24) -> None:
        self.db = db
        self.hours = hours

    # Made when first used (see SessionService): most requests carry no Idempotency-Key.
    @cached_property
    def records(self) -> IdempotencyRepository:
        return IdempotencyRepository(session=self.db, auto_commit=False)

    async def check(self, once: Once | None) -> None:
        """Raises Replayed with the first response when ``once`` was done before, KeyReused
        when its key was used for another request."""
        if once is None:
            return
        record = await self.records.find(once.owner, once.operation, once.key)
        if record is None or record.created_at < self._cutoff():
            return
        if record.fingerprint != once.fingerprint:
            raise KeyReused(once.key)
        log.info(
            "idempotency.replayed", operation=once.operation, session_id=str(record.session_id)
        )
        raise Replayed(StoredResponse(record.status_code, dict(record.headers), record.body))

    async def remember(self, once: Once | None, session_id: uuid.UUID | None, result: Any) -> None:
        """Adds the record to the open transaction, which the caller commits with the result."""
        if once is None:
            return
        await self.db.flush()  # the response shows what the database filled in (ids, times)
        response = once.respond(result)
        await self.records.forget_before(once.owner, self._cutoff())
        self.db.add(
            IdempotencyRecord(
                owner=once.owner,
                operation=once.operation,
                key=once.key,
                fingerprint=once.fingerprint,
                session_id=session_id,
                status_code=response.status_code,
                headers=response.headers,
                body=response.body,
                created_at=dt.datetime.now(dt.UTC),
            )
        )

    async def commit(self, once: Once | None) -> None:
        """Commits; when a concurrent request with the same key won, rolls back and raises
        Replayed (or KeyReused) with its response instead."""
        try:
            await self.db.commit()
        except IntegrityError:
            await self.db.rollback()
            if once is None:
                raise
            await self.check(once)
            raise

    async def forget_session(self, session_id: uuid.UUID) -> None:
        await self.records.forget_session(session_id)

    def _cutoff(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) - dt.timedelta(hours=self.hours)

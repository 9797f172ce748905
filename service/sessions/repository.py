"""Every query of sessions, their answer log and their documents lives here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Row, bindparam, delete, func, literal, select, tuple_, update

from service.sessions.listing import Cursor, ListFilter
from service.storage.models import AnswerChange, GeneratedDocument, InterviewSession

_SUMMARY_COLUMNS = (
    InterviewSession.id,
    InterviewSession.pack,
    InterviewSession.pack_version,
    InterviewSession.title,
    InterviewSession.status,
    InterviewSession.revision,
    InterviewSession.created_at,
    InterviewSession.updated_at,
    InterviewSession.derived_for,
    InterviewSession.progress_answered,
    InterviewSession.progress_required,
    InterviewSession.open_errors,
    InterviewSession.open_warnings,
)


# Every read and write of one session starts here: built once (building it took ~40 µs).
_FRESH = (
    select(InterviewSession)
    .where(InterviewSession.id == bindparam("session_id"))
    .execution_options(populate_existing=True)
)


def _conditions(where: ListFilter) -> list[Any]:
    found = []
    if where.owner is not None:
        found.append(InterviewSession.owner == where.owner)
    if where.status is not None:
        found.append(InterviewSession.status == where.status)
    if where.pack is not None:
        found.append(InterviewSession.pack == where.pack)
    if where.title:
        found.append(
            func.lower(InterviewSession.title).contains(where.title.lower(), autoescape=True)
        )
    return found


class SessionRepository(SQLAlchemyAsyncRepository[InterviewSession]):
    model_type = InterviewSession

    async def page(
        self, where: ListFilter, *, limit: int, offset: int = 0, after: Cursor | None = None
    ) -> list[Row[Any]]:
        """Newest change first, the summary columns only. Up to ``limit + 1`` rows, so that
        the caller knows whether another page follows. ``after``: the keyset cursor of the
        previous page (rows strictly older than it, so the index is sought, not scanned)."""
        query = select(*_SUMMARY_COLUMNS).where(*_conditions(where))
        if after is not None:
            # Typed binds: the cursor's values must compare as the columns' own types.
            bound = tuple_(
                literal(after.updated_at, InterviewSession.updated_at.type),
                literal(after.id, InterviewSession.id.type),
            )
            query = query.where(tuple_(InterviewSession.updated_at, InterviewSession.id) < bound)
        query = (
            query.order_by(InterviewSession.updated_at.desc(), InterviewSession.id.desc())
            .limit(limit + 1)
            .offset(offset)
        )
        return list(await self.session.execute(query))

    async def count(self, where: ListFilter) -> int:
        query = select(func.count()).select_from(InterviewSession).where(*_conditions(where))
        return int((await self.session.execute(query)).scalar_one())

    async def of_ids(self, ids: list[uuid.UUID]) -> list[InterviewSession]:
        return list(
            (
                await self.session.execute(
                    select(InterviewSession).where(InterviewSession.id.in_(ids))
                )
            ).scalars()
        )

    async def store_derived(self, row: InterviewSession, values: dict[str, Any]) -> None:
        """Fill the derived columns of a session written before they existed (or under
        another pack version), without making a new revision or moving it in the list."""
        await self.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == row.id, InterviewSession.revision == row.revision)
            .values(**values, updated_at=row.updated_at)
            .execution_options(synchronize_session=False)
        )

    async def fresh(self, session_id: uuid.UUID) -> InterviewSession | None:
        return (await self.session.execute(_FRESH, {"session_id": session_id})).scalar_one_or_none()

    async def write_if_revision(
        self, session_id: uuid.UUID, revision: int, values: dict[str, Any]
    ) -> bool:
        """Write only if nobody wrote since ``revision`` was read: optimistic concurrency.
        ``values`` may carry the ``updated_at`` written (else now)."""
        result = await self.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id, InterviewSession.revision == revision)
            .values({"updated_at": dt.datetime.now(dt.UTC), **values, "revision": revision + 1})
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def remove(self, session_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(GeneratedDocument).where(GeneratedDocument.session_id == session_id)
        )
        await self.session.execute(
            delete(InterviewSession).where(InterviewSession.id == session_id)
        )


class AnswerChangeRepository(SQLAlchemyAsyncRepository[AnswerChange]):
    model_type = AnswerChange


class DocumentRepository(SQLAlchemyAsyncRepository[GeneratedDocument]):
    model_type = GeneratedDocument

    async def latest_batch(self, session_id: uuid.UUID) -> list[GeneratedDocument]:
        """The documents of the newest generation run, without their bytes."""
        newest = (
            select(func.max(GeneratedDocument.batch))
            .where(GeneratedDocument.session_id == session_id)
            .scalar_subquery()
        )
        query = (
            select(GeneratedDocument)
            .where(GeneratedDocument.session_id == session_id, GeneratedDocument.batch == newest)
            .order_by(
                GeneratedDocument.position,
                GeneratedDocument.created_at,
                GeneratedDocument.file_name,
            )
        )
        return list((await self.session.execute(query)).scalars())

    async def remove_batches_before(self, session_id: uuid.UUID, batch: int) -> None:
        """Removes the session's documents of batches numbered below ``batch``."""
        if batch > 1:
            await self.session.execute(
                delete(GeneratedDocument).where(
                    GeneratedDocument.session_id == session_id, GeneratedDocument.batch < batch
                )
            )

    async def next_batch(self, session_id: uuid.UUID) -> int:
        query = select(func.coalesce(func.max(GeneratedDocument.batch), 0)).where(
            GeneratedDocument.session_id == session_id
        )
        return int((await self.session.execute(query)).scalar_one()) + 1

    async def one(
        self, session_id: uuid.UUID, document_id: uuid.UUID, *, with_content: bool
    ) -> GeneratedDocument | None:
        query = select(GeneratedDocument).where(
            GeneratedDocument.session_id == session_id, GeneratedDocument.id == document_id
        )
        if with_content:
            from sqlalchemy.orm import undefer

            query = query.options(undefer(GeneratedDocument.content))
        return (await self.session.execute(query)).scalar_one_or_none()

    async def pdfs(self, documents: list[GeneratedDocument]) -> dict[uuid.UUID, bytes | None]:
        if not documents:
            return {}
        query = select(GeneratedDocument.id, GeneratedDocument.pdf).where(
            GeneratedDocument.id.in_([d.id for d in documents])
        )
        return {row.id: row.pdf for row in (await self.session.execute(query))}

    async def contents(self, documents: list[GeneratedDocument]) -> dict[uuid.UUID, bytes]:
        if not documents:
            return {}
        query = select(GeneratedDocument.id, GeneratedDocument.content).where(
            GeneratedDocument.id.in_([d.id for d in documents])
        )
        return {row.id: row.content for row in (await self.session.execute(query))}

"""Every query of sessions, their answer log and their documents lives here."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import delete, func, select, update

from service.storage.models import AnswerChange, GeneratedDocument, InterviewSession


class SessionRepository(SQLAlchemyAsyncRepository[InterviewSession]):
    model_type = InterviewSession

    async def page(self, *, owner: str | None, limit: int, offset: int) -> tuple[list[InterviewSession], int]:
        """Newest change first. ``owner=None`` means every owner (an admin's view)."""
        query = select(InterviewSession)
        counter = select(func.count()).select_from(InterviewSession)
        if owner is not None:
            query = query.where(InterviewSession.owner == owner)
            counter = counter.where(InterviewSession.owner == owner)
        query = query.order_by(InterviewSession.updated_at.desc(), InterviewSession.id).limit(limit).offset(offset)
        rows = list((await self.session.execute(query)).scalars())
        total = (await self.session.execute(counter)).scalar_one()
        return rows, total

    async def fresh(self, session_id: uuid.UUID) -> InterviewSession | None:
        query = select(InterviewSession).where(InterviewSession.id == session_id).execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def write_if_revision(self, session_id: uuid.UUID, revision: int, values: dict[str, Any]) -> bool:
        """Write only if nobody wrote since ``revision`` was read: optimistic concurrency."""
        result = await self.session.execute(
            update(InterviewSession)
            .where(InterviewSession.id == session_id, InterviewSession.revision == revision)
            .values(**values, revision=revision + 1, updated_at=dt.datetime.now(dt.UTC))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def remove(self, session_id: uuid.UUID) -> None:
        await self.session.execute(delete(GeneratedDocument).where(GeneratedDocument.session_id == session_id))
        await self.session.execute(delete(InterviewSession).where(InterviewSession.id == session_id))


class AnswerChangeRepository(SQLAlchemyAsyncRepository[AnswerChange]):
    model_type = AnswerChange

    async def history(self, session_id: uuid.UUID) -> list[AnswerChange]:
        query = select(AnswerChange).where(AnswerChange.session_id == session_id).order_by(AnswerChange.id)
        return list((await self.session.execute(query)).scalars())


class DocumentRepository(SQLAlchemyAsyncRepository[GeneratedDocument]):
    model_type = GeneratedDocument

    async def latest_batch(self, session_id: uuid.UUID) -> list[GeneratedDocument]:
        """The documents of the newest generation run, without their bytes."""
        newest = select(func.max(GeneratedDocument.batch)).where(GeneratedDocument.session_id == session_id).scalar_subquery()
        query = (
            select(GeneratedDocument)
            .where(GeneratedDocument.session_id == session_id, GeneratedDocument.batch == newest)
            .order_by(GeneratedDocument.position, GeneratedDocument.created_at, GeneratedDocument.file_name)
        )
        return list((await self.session.execute(query)).scalars())

    async def next_batch(self, session_id: uuid.UUID) -> int:
        query = select(func.coalesce(func.max(GeneratedDocument.batch), 0)).where(GeneratedDocument.session_id == session_id)
        return int((await self.session.execute(query)).scalar_one()) + 1

    async def one(self, session_id: uuid.UUID, document_id: uuid.UUID, *, with_content: bool) -> GeneratedDocument | None:
        query = select(GeneratedDocument).where(GeneratedDocument.session_id == session_id, GeneratedDocument.id == document_id)
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

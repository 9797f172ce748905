"""The tables. Schema changes go through Alembic migrations in ``migrations/``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from advanced_alchemy.base import BigIntBase, UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

# A session's answers, chat state and problems: ``json`` on PostgreSQL (migration 0006), kept as
# the text written. No query looks inside them, and as ``jsonb`` every revision's answers were
# parsed into binary form and printed back on every read. Text in SQLite, as JsonB is.
StoredJson = JSON


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class InterviewSession(UUIDAuditBase):
    __tablename__ = "interview_session"
    # The listing's order, newest change first, per owner and (for admins) over everyone.
    __table_args__ = (
        Index(
            "ix_interview_session_owner_updated", "owner", text("updated_at DESC"), text("id DESC")
        ),
        Index("ix_interview_session_updated", text("updated_at DESC"), text("id DESC")),
    )

    pack: Mapped[str] = mapped_column(String(100), index=True)
    pack_version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500), default="")
    # "in_progress" until nothing blocks generation, then "complete".
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(StoredJson, default=dict)
    # The chat-style conversation's memory (skipped questions, closed lists, history).
    chat_state: Mapped[dict[str, Any]] = mapped_column(StoredJson, default=dict)
    # Bumped by every write; the basis of ETags and optimistic concurrency.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    owner: Mapped[str | None] = mapped_column(String(200), index=True, default=None)
    # What the engine derives from the answers, computed once when a revision is written so
    # that reads and listings never recompute it. ``derived_for`` names the pack version and
    # the format it was computed with: anything else (or null, a session older than these
    # columns) is recomputed on its first read.
    derived_for: Mapped[str | None] = mapped_column(String(120), default=None)
    progress_answered: Mapped[int | None] = mapped_column(Integer, default=None)
    progress_required: Mapped[int | None] = mapped_column(Integer, default=None)
    open_errors: Mapped[int | None] = mapped_column(Integer, default=None)
    open_warnings: Mapped[int | None] = mapped_column(Integer, default=None)
    # [{"path", "message", "severity", "code", "missing"}], in the engine's order.
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(StoredJson, default=None)

    documents: Mapped[list[GeneratedDocument]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True, lazy="noload"
    )


class AnswerChange(BigIntBase):
    """Append-only: one row per answer changed, kept even after the session is deleted."""

    __tablename__ = "answer_change"
    __table_args__ = (Index("ix_answer_change_session_revision", "session_id", "revision"),)

    # Not a foreign key on purpose: the log outlives the session it describes.
    session_id: Mapped[uuid.UUID] = mapped_column(GUID)
    revision: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200), default="anonymous")
    source: Mapped[str] = mapped_column(String(20))  # api, chat, web, import, system
    path: Mapped[str] = mapped_column(String(500))
    old_value: Mapped[Any] = mapped_column(JsonB, nullable=True)
    new_value: Mapped[Any] = mapped_column(JsonB, nullable=True)
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTimeUTC(timezone=True), default=_now, server_default=func.now()
    )


class GeneratedDocument(UUIDAuditBase):
    __tablename__ = "generated_document"
    # One generation run makes one batch: a second run that took the same number fails here.
    __table_args__ = (
        Index("uq_generated_document_batch_file", "session_id", "batch", "file_name", unique=True),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        GUID, ForeignKey("interview_session.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    # Which generation run produced it: documents of one run are listed together.
    batch: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # The session's revision the batch was made from: older than the session's is out of date.
    revision: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The document as PDF (None: no converter was reachable, or it failed) and its page count.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # What the person should know about the batch (the page count unchecked or differing).
    notes: Mapped[list[str]] = mapped_column(JsonB, default=list)
    # Its place in the packet (the pack's documents in their order).
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)

    session: Mapped[InterviewSession] = relationship(back_populates="documents", lazy="noload")

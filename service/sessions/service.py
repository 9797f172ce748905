"""The rules of working on a session, shared by the JSON API, the chat API and the web form.

Every write goes through ``_write``: it re-reads the session, applies a change function to the
newest answers, checks the values, and writes only if no one else wrote in between (else it
tries again), so concurrent writers never lose each other's answers.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import anyio
import structlog
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from service.auth.actor import Actor
from service.idempotency.service import IdempotencyService, Once
from service.interview import conversation, paths
from service.interview.derived import Previous, derive, derive_after, stamp, stored_problems
from service.interview.engine import Progress, changes, merge_shared
from service.interview.validation import value_problems
from service.isolation import Budget, BudgetExceeded, run_bounded_async
from service.packs import Pack, PackRegistry
from service.packs.plugins import ImportResult, import_preload
from service.pdf.converter import PdfConverter
from service.pdf.paginated import render_paginated
from service.problems import Problem, errors
from service.rendering.pool import PacketRenderer
from service.sessions.listing import Cursor, ListFilter, SessionList, SessionSummary
from service.sessions.repository import (
    AnswerChangeRepository,
    DocumentRepository,
    SessionRepository,
)
from service.storage.models import AnswerChange, GeneratedDocument, InterviewSession
from service.webhooks import DOCUMENTS_GENERATED, SESSION_COMPLETED
from service.webhooks.service import completion_data

if TYPE_CHECKING:
    from service.webhooks.service import WebhookService

log = structlog.get_logger(__name__)

_WRITE_ATTEMPTS = 50
# As the settings' defaults (IMPORT_SECONDS, IMPORT_MEMORY_MB), for a service made without them.
DEFAULT_IMPORT_BUDGET = Budget(seconds=20, memory_bytes=768 * 2**20)


class SessionError(Exception):
    pass


class SessionNotFound(SessionError):
    pass


class UnknownPack(SessionError):
    def __init__(self, name: str) -> None:
        super().__init__(f"there is no template pack named {name!r}")
        self.name = name


class StaleRevision(SessionError):
    def __init__(self, current: int) -> None:
        super().__init__(f"the session has changed since you read it (now at revision {current})")
        self.current = current


class AnswersRefused(SessionError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("some answers were refused")
        self.problems = problems


class NotComplete(SessionError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("the interview is not complete")
        self.problems = problems


class ImportNotSupported(SessionError):
    def __init__(self, name: str | None, importing: list[str]) -> None:
        which = ", ".join(importing) or "none"
        if name is None:
            message = f"name the pack to import into; packs that import: {which}"
        else:
            message = f"the pack {name!r} imports no documents; packs that import: {which}"
        super().__init__(message)
        self.name = name


class ImportTooCostly(SessionError):
    """Reading the letter needed more time or memory than an import is given."""


class WriteConflict(SessionError):
    """Too many concurrent writers; the client may simply try again."""


@dataclass(slots=True)
class SessionView:
    """A session with what the engine derived from its revision (stored with it)."""

    row: InterviewSession
    pack: Pack
    problems: list[Problem]

    @property
    def progress(self) -> Progress:
        return Progress(
            answered=self.row.progress_answered or 0, required=self.row.progress_required or 0
        )


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import found, for every client alike."""

    # Paths of the answers the document gave.
    recognised: list[str]
    # What the document did not say, in words, each starting with the path it would answer.
    not_found: list[str]
    # The document's own mistakes and what the pack's checks find in what was imported, each once.
    inconsistencies: list[Problem]

    @classmethod
    def of(cls, view: SessionView, result: ImportResult, dropped: list[Problem]) -> ImportReport:
        seen: set[tuple[str, str]] = set()
        inconsistencies = []
        for problem in [*result.notes, *dropped, *(p for p in view.problems if not p.missing)]:
            if (problem.path, problem.code) not in seen:
                seen.add((problem.path, problem.code))
                inconsistencies.append(problem)
        return cls(
            recognised=list(result.recognised),
            not_found=list(result.not_found),
            inconsistencies=inconsistencies,
        )


@dataclass(slots=True)
class ReplyOutcome:
    view: SessionView
    turn: conversation.Turn
    saved: bool


class SessionService:
    def __init__(
        self,
        db: AsyncSession,
        packs: PackRegistry,
        webhooks: WebhookService | None = None,
        idempotency: IdempotencyService | None = None,
        import_budget: Budget = DEFAULT_IMPORT_BUDGET,
        batches_kept: int = 5,
        converter: PdfConverter | None = None,
        renderer: PacketRenderer | None = None,
    ) -> None:
        self.db = db
        self.packs = packs
        # Makes the PDFs and counts the packet's pages; None: .docx only.
        self.converter = converter
        # Renders the documents off the event loop (the app's pool of processes).
        self.renderer = renderer or PacketRenderer()
        # Events for webhooks are written in the transaction of the change they report.
        self.webhooks = webhooks
        self.idempotency = idempotency or IdempotencyService(db)
        self.import_budget = import_budget
        self.batches_kept = max(1, batches_kept)

    # Repositories are made when first used: making an advanced-alchemy repository inspects
    # its session and model, and a request uses one or two of the nine its services could make.
    @cached_property
    def sessions(self) -> SessionRepository:
        return SessionRepository(session=self.db, auto_commit=False)

    @cached_property
    def log_entries(self) -> AnswerChangeRepository:
        return AnswerChangeRepository(session=self.db, auto_commit=False)

    @cached_property
    def documents(self) -> DocumentRepository:
        return DocumentRepository(session=self.db, auto_commit=False)

    # -- reading ---------------------------------------------------------------------------

    def pack_of(self, row: InterviewSession) -> Pack:
        pack = self.packs.get(row.pack)
        if pack is None:
            raise UnknownPack(row.pack)
        return pack

    def view(self, row: InterviewSession) -> SessionView:
        """The stored derived state of ``row``, which must be current (see ``_current``)."""
        return SessionView(row=row, pack=self.pack_of(row), problems=stored_problems(row.problems))

    async def get(self, session_id: uuid.UUID, actor: Actor) -> SessionView:
        row = await self._visible(session_id, actor)
        await self._current(row)
        return self.view(row)

    async def page(
        self,
        actor: Actor,
        limit: int,
        offset: int = 0,
        after: Cursor | None = None,
        status: str | None = None,
        pack: str | None = None,
        title: str | None = None,
        count: bool = False,
    ) -> SessionList:
        """Newest change first, from stored columns only. ``after`` is the previous page's
        ``next``; the total is counted only when ``count`` asks for it."""
        where = ListFilter(
            owner=None if actor.is_admin else actor.owner, status=status, pack=pack, title=title
        )
        rows = await self.sessions.page(where, limit=limit, offset=offset, after=after)
        rows, more = rows[:limit], len(rows) > limit
        stale = [
            r.id
            for r in rows
            if (p := self.packs.get(r.pack)) is not None and r.derived_for != stamp(p)
        ]
        if stale:
            # Sessions written before the derived columns existed: filled once, then stored.
            for row in await self.sessions.of_ids(stale):
                await self._current(row)
            rows = (await self.sessions.page(where, limit=limit, offset=offset, after=after))[
                :limit
            ]
        items = [_summary(r) for r in rows]
        total = await self.sessions.count(where) if count else None
        return SessionList(
            items=items, next=items[-1].cursor if more and items else None, total=total
        )

    async def _current(self, row: InterviewSession) -> None:
        """Makes ``row``'s derived columns those of its answers under the pack as loaded now:
        they are recomputed (and stored) only for a session written before they existed or
        under another version of its pack."""
        pack = self.packs.get(row.pack)
        if pack is None or row.derived_for == stamp(pack):
            return
        values = derive(pack, row.answers).columns(pack)
        await self.sessions.store_derived(row, values)
        await self.db.commit()
        for name, value in values.items():
            set_committed_value(row, name, value)
        log.info("session.derived.filled", session_id=str(row.id), revision=row.revision)

    async def _visible(self, session_id: uuid.UUID, actor: Actor) -> InterviewSession:
        row = await self.sessions.fresh(session_id)
        # Someone else's session is "not found", never "forbidden": ids cannot be probed.
        if row is None or not (actor.is_admin or row.owner == actor.owner):
            raise SessionNotFound(str(session_id))
        return row

    # -- writing ---------------------------------------------------------------------------

    async def create(
        self,
        pack_name: str,
        answers: dict[str, Any] | None,
        actor: Actor,
        source: str = "api",
        once: Once | None = None,
    ) -> SessionView:
        """``once``: an Idempotency-Key; a repeat raises Replayed with the first response."""
        await self.idempotency.check(once)
        pack = self.packs.get(pack_name)
        if pack is None:
            raise UnknownPack(pack_name)
        answers = answers or {}
        # In a worker thread, as in _write: the checks of large answers take tens of milliseconds.
        refused = await anyio.to_thread.run_sync(value_problems, pack, answers)
        if refused:
            raise AnswersRefused(refused)
        row = InterviewSession(
            id=uuid.uuid4(),
            pack=pack.name,
            pack_version=pack.version,
            answers=answers,
            chat_state=conversation.close_groups(pack, conversation.new_state(), answers, answers),
            revision=1,
            owner=actor.owner,
        )
        # The engine runs in a worker thread: on the largest answers the limits allow it takes
        # tens of milliseconds, which the event loop must not wait for.
        derived = await anyio.to_thread.run_sync(_derived_columns, pack, answers)
        for name, value in derived.items():
            setattr(row, name, value)
        self.db.add(row)
        await self._log_changes(row.id, 1, actor, source, {}, answers)
        if row.status == "complete":
            await self._emit_completed(row)
        view = self.view(row)
        await self.idempotency.remember(once, row.id, view)
        await self.idempotency.commit(once)
        self._wake_webhooks()
        log.info(
            "session.created",
            session_id=str(row.id),
            pack=pack.name,
            source=source,
            prefilled=bool(answers),
        )
        return view

    async def patch_answers(
        self,
        session_id: uuid.UUID,
        patch: dict[str, Any],
        actor: Actor,
        expected_revision: int | None = None,
        source: str = "api",
    ) -> SessionView:
        """Merge ``patch`` into the answers (JSON merge patch). Refuses the whole patch if any
        value fails its field's own check; saves what is merely missing or inconsistent."""
        row = await self._write(session_id, actor, expected_revision, source, patching(patch))
        return self.view(row)

    async def reply(
        self, session_id: uuid.UUID, text: str, actor: Actor, expected_revision: int | None = None
    ) -> ReplyOutcome:
        row = await self._visible(session_id, actor)
        if expected_revision is not None and row.revision != expected_revision:
            raise StaleRevision(row.revision)
        turn = conversation.reply(self.pack_of(row), row.answers, row.chat_state, text)
        if turn.answers is None and turn.state == conversation.with_defaults(row.chat_state):
            # "help", "review" and the like change nothing: the revision (the ETag) stays.
            if turn.problems:
                log.info(
                    "session.reply.refused", session_id=str(session_id), problems=len(turn.problems)
                )
            return ReplyOutcome(view=self.view(row), turn=turn, saved=False)
        outcome: dict[str, Any] = {}

        def apply(pack: Pack, row: InterviewSession) -> tuple[dict[str, Any], dict[str, Any]]:
            turn = conversation.reply(pack, row.answers, row.chat_state, text)
            outcome["turn"] = turn
            return (turn.answers if turn.answers is not None else row.answers), turn.state

        row = await self._write(session_id, actor, expected_revision, "chat", apply)
        turn: conversation.Turn = outcome["turn"]
        if turn.problems and turn.answers is None:
            log.info(
                "session.reply.refused", session_id=str(session_id), problems=len(turn.problems)
            )
        return ReplyOutcome(view=self.view(row), turn=turn, saved=turn.answers is not None)

    async def next_question(
        self, session_id: uuid.UUID, actor: Actor
    ) -> tuple[SessionView, conversation.AskedQuestion | None]:
        view = await self.get(session_id, actor)
        return view, conversation.next_question(view.pack, view.row.answers, view.row.chat_state)

    async def delete(self, session_id: uuid.UUID, actor: Actor) -> None:
        row = await self._visible(session_id, actor)
        self.db.add(
            AnswerChange(
                session_id=row.id,
                revision=row.revision + 1,
                actor=actor.name,
                source="system",
                path="",
                old_value=None,
                new_value={"deleted": True},
            )
        )
        await self.sessions.remove(row.id)
        await self.idempotency.forget_session(row.id)
        if self.webhooks is not None:
            await self.webhooks.forget_session(row.id)
        await self.db.commit()
        log.info("session.deleted", session_id=str(row.id))

    async def _write(
        self,
        session_id: uuid.UUID,
        actor: Actor,
        expected_revision: int | None,
        source: str,
        apply: Callable[[Pack, InterviewSession], tuple[dict[str, Any], dict[str, Any]]],
    ) -> InterviewSession:
        for _ in range(_WRITE_ATTEMPTS):
            row = await self._visible(session_id, actor)
            if expected_revision is not None and row.revision != expected_revision:
                raise StaleRevision(row.revision)
            pack = self.pack_of(row)
            before, revision = row.answers, row.revision
            # The engine runs in a worker thread, once per attempt: on the largest answers the
            # limits allow it takes tens of milliseconds, which the event loop must not wait for.
            changed = await anyio.to_thread.run_sync(_applied, apply, pack, row, source)
            if changed is None:
                # Nothing changes (an empty patch): no new revision. Every chat turn is written,
                # since clients follow the conversation by its revisions.
                return row
            values: dict[str, Any] = {**changed, "updated_at": dt.datetime.now(dt.UTC)}
            if await self.sessions.write_if_revision(row.id, revision, values):
                await self._log_changes(
                    row.id, revision + 1, actor, source, before, values["answers"]
                )
                completed = row.status != "complete" and values["status"] == "complete"
                if completed:
                    await self._emit_completed(row, revision + 1)
                await self.db.commit()
                if completed:
                    self._wake_webhooks()
                log.info(
                    "session.answers.saved",
                    session_id=str(row.id),
                    revision=revision + 1,
                    source=source,
                )
                # The row as written, without reading it back (no one else could write between).
                for name, value in {**values, "revision": revision + 1}.items():
                    set_committed_value(row, name, value)
                return row
            await self.db.rollback()
            await anyio.sleep(0.005)
        raise WriteConflict("too many concurrent writes; try again")

    async def _emit_completed(self, row: InterviewSession, revision: int | None = None) -> None:
        if self.webhooks is None:
            return
        data = completion_data(row.id, row.pack, revision or row.revision)
        await self.webhooks.emit(SESSION_COMPLETED, row.owner, row.id, data)

    def _wake_webhooks(self) -> None:
        if self.webhooks is not None:
            self.webhooks.wake()

    async def _log_changes(
        self,
        session_id: uuid.UUID,
        revision: int,
        actor: Actor,
        source: str,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        rows = [
            {
                "session_id": session_id,
                "revision": revision,
                "actor": actor.name,
                "source": source,
                "path": path[:500],
                "old_value": old,
                "new_value": new,
            }
            for path, old, new in changes(before, after)
        ]
        if rows:
            # One bulk INSERT: the log is append-only and never read back in this request, so
            # the unit of work's bookkeeping of each row as an object would be spent for nothing.
            await self.db.execute(insert(AnswerChange), rows)

    def importing_packs(self) -> list[Pack]:
        """The packs whose plugin reads earlier documents."""
        return [pack for pack in self.packs if pack.importer is not None]

    async def import_document(
        self, data: bytes, filename: str, actor: Actor, pack_name: str | None = None
    ) -> tuple[SessionView, ImportReport]:
        """Start a session prefilled from an earlier document, read by the pack's importer
        (``pack_name`` may be left out when one pack only imports). Never fails on a document
        it cannot read fully: what it found is saved, and what it did not find is reported.

        A recognised value that its field refuses (too long, say) is left out and reported,
        rather than refusing the whole import.
        """
        importing = self.importing_packs()
        if pack_name is None:
            if len(importing) != 1:
                raise ImportNotSupported(None, [p.name for p in importing])
            pack_name = importing[0].name
        pack = self.packs.get(pack_name)
        if pack is None:
            raise UnknownPack(pack_name)
        if pack.importer is None:
            raise ImportNotSupported(pack_name, [p.name for p in importing])
        try:
            # A document is untrusted input: it is read in a process of its own, one at a time.
            result: ImportResult = await run_bounded_async(
                pack.importer.read,
                data,
                filename,
                budget=self.import_budget,
                preload=import_preload([pack.importer]),
                limiter=_import_slot(),
            )
        except BudgetExceeded as exceeded:
            log.warning("session.import.over_budget", reason=str(exceeded), size=len(data))
            raise ImportTooCostly(
                f"the document could not be read: {exceeded}, far more than such a document needs"
            ) from None
        answers, dropped = _without_refused_values(pack, result.answers)
        view = await self.create(pack_name, answers, actor, source="import")
        log.info(
            "session.imported",
            session_id=str(view.row.id),
            recognised=len(result.recognised),
            not_found=len(result.not_found),
            dropped=len(dropped),
        )
        return view, ImportReport.of(view, result, dropped)

    # -- documents -------------------------------------------------------------------------

    async def generate(
        self, session_id: uuid.UUID, actor: Actor, once: Once | None = None
    ) -> list[GeneratedDocument]:
        """``once``: an Idempotency-Key; a repeat raises Replayed with the first response."""
        view = await self.get(session_id, actor)
        await self.idempotency.check(once)
        blocking = errors(view.problems)
        if blocking:
            raise NotComplete(view.problems)
        started = time.perf_counter()
        packet = await render_paginated(
            view.pack, view.row.answers, self.converter, renderer=self.renderer
        )
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        session_id = view.row.id
        batch = await self.documents.next_batch(session_id)
        rows = [
            GeneratedDocument(
                id=uuid.uuid4(),
                session_id=view.row.id,
                kind=item.document.kind,
                title=item.document.title,
                file_name=item.document.file_name,
                sha256=item.document.sha256,
                template_version=item.document.template_version,
                size=len(item.document.content),
                batch=batch,
                content=item.document.content,
                revision=view.row.revision,
                pdf=item.pdf,
                pages=item.pages,
                notes=packet.notes,
                position=position,
            )
            for position, item in enumerate(packet.documents)
        ]
        try:
            self.db.add_all(rows)
            # Older batches beyond the last ones kept go in the same transaction.
            await self.documents.remove_batches_before(view.row.id, batch - self.batches_kept + 1)
            if self.webhooks is not None:
                data = {
                    "session_id": str(view.row.id),
                    "batch": batch,
                    "documents": [
                        {
                            "id": str(r.id),
                            "kind": r.kind,
                            "file_name": r.file_name,
                            "sha256": r.sha256,
                            "size": r.size,
                            "download": f"/api/sessions/{r.session_id}/documents/{r.id}",
                        }
                        for r in rows
                    ],
                }
                await self.webhooks.emit(DOCUMENTS_GENERATED, view.row.owner, view.row.id, data)
            await self.idempotency.remember(once, view.row.id, rows)
            await self.idempotency.commit(once)
        except (IntegrityError, OperationalError) as error:
            # Another generation of this session took the same batch number first (the unique
            # index), or, on SQLite, wrote while this one read: that caller's batch is the answer.
            await self.db.rollback()  # expires view.row: only session_id is used from here on
            if isinstance(error, OperationalError) and "locked" not in str(error.orig).lower():
                raise
            await self.idempotency.check(once)
            winner = await self.documents.latest_batch(session_id)
            if winner and winner[0].batch >= batch:
                log.info(
                    "documents.generation.joined", session_id=str(session_id), batch=winner[0].batch
                )
                return winner
            raise WriteConflict(
                "documents are being generated for this session right now; try again"
            ) from None
        self._wake_webhooks()
        log.info(
            "documents.generated",
            session_id=str(view.row.id),
            count=len(rows),
            batch=batch,
            render_ms=elapsed_ms,
            pages=packet.pages,
            pdf=packet.pages is not None,
        )
        return rows

    async def list_documents(self, session_id: uuid.UUID, actor: Actor) -> list[GeneratedDocument]:
        row = await self._visible(session_id, actor)
        return await self.documents.latest_batch(row.id)

    async def document(
        self, session_id: uuid.UUID, document_id: uuid.UUID, actor: Actor
    ) -> GeneratedDocument:
        row = await self._visible(session_id, actor)
        document = await self.documents.one(row.id, document_id, with_content=True)
        if document is None:
            raise SessionNotFound(str(document_id))
        return document

    async def document_contents(self, documents: list[GeneratedDocument]) -> dict[uuid.UUID, bytes]:
        return await self.documents.contents(documents)

    async def document_pdfs(
        self, documents: list[GeneratedDocument]
    ) -> dict[uuid.UUID, bytes | None]:
        return await self.documents.pdfs(documents)


_import_slots: list[anyio.CapacityLimiter] = []


def _import_slot() -> anyio.CapacityLimiter:
    # Made on first use, inside the event loop; one import at a time per server process keeps a
    # burst of uploads from taking both cores from the requests around them.
    if not _import_slots:
        _import_slots.append(anyio.CapacityLimiter(1))
    return _import_slots[0]


def patching(
    patch: dict[str, Any], encoded: list[bytes] | None = None, answers_checked: bool = False
) -> Callable[[Pack, Any], tuple[dict[str, Any], dict[str, Any]]]:
    """The change a PATCH makes to a session as read (its answers and chat state): the merged
    answers and the chat state with the lists it sent closed. Raises AnswersRefused.
    ``encoded`` receives the merged answers' JSON when the field check made it.
    ``answers_checked``: the row's answers are known to pass the pack's field check (this
    process checked them), so only the top-level answers the patch replaced are checked again
    against the schema."""

    def apply(pack: Pack, row: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        # The row was just read for this write: its answers may share what the patch leaves
        # alone (neither is changed in place afterwards).
        merged = merge_shared(row.answers, patch)
        refused = value_problems(pack, merged, encoded, row.answers if answers_checked else None)
        if refused:
            raise AnswersRefused(refused)
        return merged, conversation.close_groups(pack, row.chat_state, patch, merged)

    return apply


def _derived_columns(
    pack: Pack, answers: dict[str, Any], previous: Previous | None = None
) -> dict[str, Any]:
    return derive_after(pack, answers, previous).columns(pack)


def previous_of(pack: Pack, row: Any) -> Previous | None:
    """The revision ``row`` holds, for a derivation that keeps what a change does not touch;
    None when its stored derived columns are not current for ``pack``."""
    if row.derived_for != stamp(pack):
        return None
    return Previous(
        answers=row.answers,
        problems=row.problems,
        progress_answered=row.progress_answered,
        progress_required=row.progress_required,
    )


def _applied(
    apply: Callable[[Pack, Any], tuple[dict[str, Any], dict[str, Any]]],
    pack: Pack,
    row: Any,
    source: str,
) -> dict[str, Any] | None:
    """The columns a change writes (answers, chat state, what is derived from them), or None
    when it changes nothing and is not a chat turn. ``row``: the session as read (its
    answers, chat state and stored derived columns)."""
    answers, state = apply(pack, row)
    if source != "chat" and answers == row.answers and state == row.chat_state:
        return None
    return {
        "answers": answers,
        "chat_state": state,
        **_derived_columns(pack, answers, previous_of(pack, row)),
    }


def _summary(row: Any) -> SessionSummary:
    return SessionSummary(
        id=row.id,
        pack=row.pack,
        pack_version=row.pack_version,
        title=row.title,
        status=row.status,
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        progress=Progress(answered=row.progress_answered or 0, required=row.progress_required or 0),
        open_errors=row.open_errors or 0,
        open_warnings=row.open_warnings or 0,
    )


def _without_refused_values(
    pack: Pack, answers: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """The answers less every value its field refuses, and what was left out."""
    kept = copy.deepcopy(answers)
    dropped: list[Problem] = []
    for _ in range(100):
        refused = value_problems(pack, kept)
        if not refused:
            break
        for problem in refused:
            if problem.path and paths.has(kept, problem.path):
                paths.remove(kept, problem.path)
            dropped.append(
                Problem(
                    path=problem.path,
                    message=f"{problem.message} (left out of the new session)",
                    severity="warning",
                    code="import.value_refused",
                )
            )
        if any(not p.path for p in refused):
            return {}, dropped
    return kept, dropped

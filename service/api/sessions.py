from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.enums import MediaType, RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import Body, FromPath, JSONBody, QueryParameter

from service.api.bodies import ObjectBodyReading
from service.api.idempotency import IdempotencyKey, once, replay
from service.api.responses import problems
from service.api.schemas import (
    CreateSession,
    DocumentUpload,
    ImportOut,
    ImportReport,
    ProblemOut,
    SessionOut,
    SessionPage,
    SessionSummaryOut,
)
from service.api.stored_session import session_json
from service.dependencies import (
    CurrentActor,
    ReadsAnswers,
    Service,
    etag,
    is_current,
    provide_actor,
    provide_expected_revision,
    provide_reads_answers,
    service_of,
)
from service.idempotency.service import Replayed
from service.sessions import stored_patch
from service.sessions.listing import BadCursor, Cursor
from service.storage.point_reads import PREFETCHED_SESSION, SessionRow
from service.storage.session_writes import SESSION_WRITES_STATE_KEY, SessionWrites

if TYPE_CHECKING:
    from service.sessions.service import SessionView


def read_cursor(text: str | None) -> Cursor | None:
    """Raises a 400 naming ``cursor`` when it is not one this service handed out."""
    if text is None:
        return None
    try:
        return Cursor.decode(text)
    except BadCursor as exc:
        raise ValidationException(
            detail=str(exc), extra=[{"key": "cursor", "source": "query", "message": str(exc)}]
        ) from exc


PATCH_BODY = "answers_patch"


async def answers_patch(
    data: Annotated[
        dict[str, Any],
        Body(
            description="Answers to merge; null removes an answer",
            media_type=RequestEncodingType.JSON,
        ),
    ],
) -> dict[str, Any]:
    """The body of a PATCH of answers, as a dependency no handler names: it declares the body
    for the schema, and its signature refuses one that is not an object (ObjectBodyReading)."""
    return data


class SessionsController(Controller):
    path = "/api/sessions"
    tags = ["sessions"]
    dependencies = {
        "expected_revision": Provide(provide_expected_revision),
        "reads_answers": Provide(provide_reads_answers),
    }
    exception_handlers = {Replayed: replay}

    @post(
        "/",
        summary="Start an interview, optionally prefilled with answers",
        responses=problems(413, 422),
    )
    async def create_session(
        self,
        request: Request,
        data: JSONBody[CreateSession],
        service: Service,
        actor: CurrentActor,
        reads_answers: ReadsAnswers,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[SessionOut]:
        respond = created if reads_answers else created_without_answers
        view = await service.create(
            data.pack,
            data.answers,
            actor,
            once=await once(request, actor, idempotency_key, "sessions.create", respond),
        )
        return respond(view)

    @post(
        "/import",
        summary="Start an interview from an earlier document",
        description="For a pack whose plugin has an importer (`?pack=`; may be left out when one pack "
        "imports). Multipart form with the document in the field `file`. Answers with the new "
        "session prefilled with everything recognised, and a report of what was recognised, what was not found, and "
        "what looks inconsistent. A document that cannot be read fully still starts a session.",
        responses=problems(413, 422, 429),
    )
    async def import_document(
        self,
        data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        service: Service,
        actor: CurrentActor,
        reads_answers: ReadsAnswers,
        pack: Annotated[str | None, QueryParameter(description="the pack to import into")] = None,
    ) -> Response[ImportOut]:
        try:
            content = await data.file.read()
        finally:
            await data.file.close()
        filename = data.file.filename or "upload"
        view, report = await service.import_document(content, filename, actor, pack or data.pack)
        return Response(
            ImportOut(
                session=SessionOut.of(view, with_answers=reads_answers),
                report=ImportReport(
                    recognised=report.recognised,
                    not_found=report.not_found,
                    inconsistencies=[ProblemOut(**p.as_dict()) for p in report.inconsistencies],
                ),
            ),
            status_code=201,
            headers={"ETag": etag(view.row.revision), "Location": f"/api/sessions/{view.row.id}"},
        )

    @get(
        "/",
        summary="List interviews, newest change first",
        description="Page by `cursor` (the `next` of the previous page; stays fast however deep) or by "
        "`offset`. Filters: `status`, `pack`, and `q` (found in the title, ignoring case). The total is "
        "counted only with `count=true`.",
        responses=problems(),
    )
    async def list_sessions(
        self,
        service: Service,
        actor: CurrentActor,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        # Bounded so the database can take it (a 38-digit offset made PostgreSQL and SQLite fail).
        offset: Annotated[int, QueryParameter(ge=0, le=2_147_483_647)] = 0,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        status: Annotated[Literal["in_progress", "complete"] | None, QueryParameter()] = None,
        pack: Annotated[str | None, QueryParameter(max_length=100)] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=200, description="Text found in the title")
        ] = None,
        count: Annotated[bool, QueryParameter(description="Count the matching sessions")] = False,
    ) -> SessionPage:
        found = await service.page(
            actor,
            limit,
            offset,
            after=read_cursor(cursor),
            status=status,
            pack=pack,
            title=q,
            count=count,
        )
        return SessionPage(
            items=[SessionSummaryOut.of(item) for item in found.items],
            next=found.next.encode() if found.next else None,
            limit=limit,
            offset=offset,
            total=found.total,
        )

    @get(
        "/{session_id:uuid}",
        summary="Read an interview with its progress and open problems",
        responses=problems(404),
        opt={"reads_session": True},
    )
    async def get_session(
        self, request: Request, session_id: FromPath[uuid.UUID]
    ) -> Response[SessionOut]:
        # The authentication read this session in its own statement (opt reads_session): a
        # current, visible one goes out as stored. Anything else (none, another owner's, one
        # whose derived state is stale) takes the service, which answers as always.
        actor = await provide_actor(request)
        row: SessionRow | None = request.scope.get(PREFETCHED_SESSION)  # type: ignore[assignment]
        if row is not None and row.id == session_id and is_current(request.app.state, row, actor):
            return Response(
                session_json(row),
                media_type=MediaType.JSON,
                headers={"ETag": etag(row.revision)},
            )
        view = await service_of(request).get(session_id, actor)
        return Response(SessionOut.of(view), headers={"ETag": etag(view.row.revision)})

    @patch(
        "/{session_id:uuid}/answers",
        summary="Merge answers (JSON merge patch)",
        description="A value that fails its own field's check is refused with 422 and nothing of the request is saved. "
        "What is missing or inconsistent across fields is saved and reported in `problems`.",
        responses=problems(404, 409, 412, 413, 422),
        opt={"reads_session": True},
        # Declares the body (the schema, and the refusal of one that is not an object); the
        # handler reads it itself, off the event loop, together with the work of the write.
        dependencies={PATCH_BODY: Provide(answers_patch)},
    )
    async def patch_answers(
        self, request: Request, session_id: FromPath[uuid.UUID]
    ) -> Response[SessionOut]:
        # The authentication read this session with the key (opt reads_session): a visible one
        # whose derived state is current is patched from that read and written without the
        # ORM. Anything else takes the service, which answers as always.
        body = await request.body()
        read = ObjectBodyReading(request, body, PATCH_BODY)
        actor = await provide_actor(request)
        reads_answers = await provide_reads_answers(request)
        state = request.app.state
        row: SessionRow | None = request.scope.get(PREFETCHED_SESSION)  # type: ignore[assignment]
        writes: SessionWrites | None = state.get(SESSION_WRITES_STATE_KEY)
        if (
            writes is not None
            and row is not None
            and row.id == session_id
            and row.chat_state_json is not None
            and is_current(state, row, actor)
        ):
            dispatcher = state.get("webhook_dispatcher")
            done = await stored_patch.patch(
                writes,
                state.packs.get(row.pack),
                row,
                read,
                actor,
                wake_webhooks=dispatcher.wake if dispatcher else None,
                body_bytes=len(body),
            )
            if done is not None and done.row is not None:
                written = done.row if reads_answers else replace(done.row, answers_json="{}")
                return Response(
                    session_json(written),
                    media_type=MediaType.JSON,
                    headers={"ETag": etag(written.revision)},
                )
        data, expected_revision = await anyio.to_thread.run_sync(read)
        view = await service_of(request).patch_answers(session_id, data, actor, expected_revision)
        return Response(
            SessionOut.of(view, with_answers=reads_answers),
            headers={"ETag": etag(view.row.revision)},
        )

    @delete(
        "/{session_id:uuid}",
        summary="Delete an interview and its documents",
        status_code=204,
        responses=problems(404),
    )
    async def delete_session(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> None:
        await service.delete(session_id, actor)


def created(view: SessionView, with_answers: bool = True) -> Response[SessionOut]:
    return Response(
        SessionOut.of(view, with_answers=with_answers),
        status_code=201,
        headers={"ETag": etag(view.row.revision), "Location": f"/api/sessions/{view.row.id}"},
    )


def created_without_answers(view: SessionView) -> Response[SessionOut]:
    return created(view, with_answers=False)

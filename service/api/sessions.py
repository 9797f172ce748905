from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.params import Body, Parameter

from service.api.dependencies import etag, provide_expected_revision
from service.api.schemas import CreateSession, SessionOut, SessionPage
from service.sessions.service import Actor, SessionService


class SessionsController(Controller):
    path = "/api/sessions"
    tags = ["sessions"]
    dependencies = {"expected_revision": Provide(provide_expected_revision)}

    @post("/", summary="Start an interview, optionally prefilled with answers")
    async def create_session(self, data: CreateSession, service: SessionService, actor: Actor) -> Response[SessionOut]:
        view = await service.create(data.pack, data.answers, actor)
        return Response(SessionOut.of(view), status_code=201, headers={"ETag": etag(view.row.revision), "Location": f"/api/sessions/{view.row.id}"})

    @get("/", summary="List interviews, newest change first")
    async def list_sessions(
        self,
        service: SessionService,
        actor: Actor,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> SessionPage:
        views, total = await service.page(actor, limit, offset)
        return SessionPage(items=[SessionOut.of(v, with_answers=False) for v in views], total=total, limit=limit, offset=offset)

    @get("/{session_id:uuid}", summary="Read an interview with its progress and open problems")
    async def get_session(self, session_id: uuid.UUID, service: SessionService, actor: Actor) -> Response[SessionOut]:
        view = await service.get(session_id, actor)
        return Response(SessionOut.of(view), headers={"ETag": etag(view.row.revision)})

    @patch(
        "/{session_id:uuid}/answers",
        summary="Merge answers (JSON merge patch)",
        description="A value that fails its own field's check is refused with 422 and nothing of the request is saved. "
        "What is missing or inconsistent across fields is saved and reported in `problems`.",
    )
    async def patch_answers(
        self,
        session_id: uuid.UUID,
        data: Annotated[dict[str, Any], Body(description="Answers to merge; null removes an answer")],
        service: SessionService,
        actor: Actor,
        expected_revision: int | None,
    ) -> Response[SessionOut]:
        view = await service.patch_answers(session_id, data, actor, expected_revision)
        return Response(SessionOut.of(view), headers={"ETag": etag(view.row.revision)})

    @delete("/{session_id:uuid}", summary="Delete an interview and its documents", status_code=204)
    async def delete_session(self, session_id: uuid.UUID, service: SessionService, actor: Actor) -> None:
        await service.delete(session_id, actor)

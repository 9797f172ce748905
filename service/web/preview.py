"""The review page's preview: pictures of the pages of the documents as they stand (see
``service.pdf.preview``), drawn off the event loop by the app's PDF converter and kept per
session and revision. The review page asks for them after it has loaded (htmx), or links to
them (without JavaScript)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from service.dependencies import CurrentActor, Service
from service.pdf.converter import ConversionFailed
from service.pdf.preview import NEEDS_CONVERTER, Preview, PreviewCache, build_preview
from service.rendering.errors import RenderError
from service.sessions.service import SessionView
from service.web.controllers import InterviewPages, _session_context


def previews(state: State) -> PreviewCache:
    cache = state.get("preview_cache")
    if cache is None:
        cache = state["preview_cache"] = PreviewCache()
    return cache


async def _preview(state: State, service: Service, view: SessionView, revision: int) -> Preview:
    converter = service.converter
    if converter is None:
        raise ConversionFailed(NEEDS_CONVERTER)
    return await previews(state).get(
        view.row.id,
        revision,
        lambda: build_preview(
            view.pack, view.row.answers, revision, converter, renderer=service.renderer
        ),
    )


class PreviewPages(Controller):
    path = "/sessions/{session_id:uuid}/preview"
    include_in_schema = False
    exception_handlers = InterviewPages.exception_handlers

    @get("/", name="web.preview")
    async def preview(
        self,
        session_id: FromPath[uuid.UUID],
        request: Request,
        service: Service,
        actor: CurrentActor,
    ) -> Template:
        """The pictures of the current revision: a fragment for htmx, a page of its own otherwise."""
        view = await service.get(session_id, actor)
        context: dict[str, Any] = {
            **_session_context(view, page_name="review"),
            "title": f"Preview – {view.row.title}",
        }
        if service.converter is None:
            context["preview_problem"] = NEEDS_CONVERTER
        else:
            try:
                context["preview"] = await _preview(
                    request.app.state, service, view, view.row.revision
                )
            except (ConversionFailed, RenderError) as exc:
                context["preview_problem"] = f"The preview could not be made: {exc}."
        fragment = request.headers.get("HX-Request") == "true"
        return Template("_preview.html" if fragment else "preview.html", context=context)

    @get("/{revision:int}/{page:int}", name="web.preview_page")
    async def page(
        self,
        session_id: FromPath[uuid.UUID],
        revision: FromPath[int],
        page: FromPath[int],
        request: Request,
        service: Service,
        actor: CurrentActor,
    ) -> Response[bytes]:
        """One page as PNG. A revision is never changed, so its picture may be kept for good;
        an earlier revision's is served only while it is still kept."""
        view = await service.get(session_id, actor)
        cached = previews(request.app.state).cached(view.row.id, revision)
        if cached is None and (revision != view.row.revision or service.converter is None):
            raise NotFoundException("This preview is out of date: open the review page again.")
        try:
            preview = cached or await _preview(request.app.state, service, view, revision)
        except (ConversionFailed, RenderError) as exc:
            raise NotFoundException(f"The preview could not be made: {exc}.") from exc
        picture = preview.page(page)
        if picture is None:
            raise NotFoundException(f"The preview has no page {page}.")
        return Response(
            picture,
            media_type="image/png",
            headers={"Cache-Control": "private, max-age=86400, immutable"},
        )

"""The web pages: thin handlers over SessionService; what they show is computed in ``views``
and what a form says is read in ``forms``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.exceptions import (
    ClientException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.params import FromPath, QueryParameter
from litestar.response import File, Redirect, Template
from litestar_htmx import HTMXTemplate

from service.dependencies import CurrentActor, Service
from service.downloads import document_download, is_out_of_date, packet_pdf_download, zip_download
from service.interview.engine import merge
from service.interview.validation import value_problems
from service.packs.model import Step
from service.pdf.preview import NEEDS_CONVERTER
from service.problems import Problem
from service.sessions.listing import BadCursor, Cursor
from service.sessions.service import (
    AnswersRefused,
    ImportTooCostly,
    NotComplete,
    SessionNotFound,
    SessionView,
    StaleRevision,
    UnknownPack,
)
from service.web import in_place, views
from service.web.forms import (
    Action,
    ActionError,
    apply_action,
    html_id,
    read_step,
    step_patch,
    without,
)

PAGE_SIZE = 50
STATIC = Path(__file__).resolve().parent / "static"
# What Litestar's CSRF middleware says when a form's token is missing or does not match.
CSRF_REFUSED = "CSRF token verification failed"
ReturnTo = Annotated[str | None, QueryParameter(name="return")]
# The group item a page opens (one just added or moved), such as ``volumes[2]``.
OpenItem = Annotated[str | None, QueryParameter(name="open", max_length=300)]
Flag = Annotated[int, QueryParameter(ge=0, le=1)]
# The region an item button pressed with htmx draws again (service/web/in_place.py).
InPlace = Annotated[str | None, QueryParameter(name="in_place", max_length=300)]


def _error_page(status_code: int, title: str, detail: str) -> Template:
    return Template(
        "error.html", context={"title": title, "detail": detail}, status_code=status_code
    )


def _not_found(request: Request, exc: Exception) -> Template:
    return _error_page(404, "Not found", "There is no such interview, step or document.")


def _unknown_pack(request: Request, exc: Exception) -> Template:
    return _error_page(422, "Unknown template pack", str(exc))


def _forbidden(request: Request, exc: Exception) -> Template:
    detail = str(getattr(exc, "detail", ""))
    if detail == CSRF_REFUSED:
        return _error_page(
            403,
            "The form has expired",
            "This form could not be checked as one this site gave you (its security token is missing or old). "
            "Nothing was saved. Go back, reload the page, and send it again.",
        )
    return _error_page(403, "Not allowed", detail or "Your access does not allow this.")


class FormNotUnderstood(ClientException):
    """A form this site never offers: a forged or outdated button."""


def _bad_request(request: Request, exc: Exception) -> Template:
    return _error_page(
        400,
        "This form cannot be read",
        str(getattr(exc, "detail", "")) or "Reload the page and try again.",
    )


class InterviewPages(Controller):
    """The interview in a browser: list, steps, review, documents. Forms carry a CSRF token."""

    path = "/"
    include_in_schema = False
    exception_handlers = {
        SessionNotFound: _not_found,
        NotFoundException: _not_found,
        UnknownPack: _unknown_pack,
        PermissionDeniedException: _forbidden,
        FormNotUnderstood: _bad_request,
        ValidationException: _bad_request,
    }

    @get("/favicon.ico", name="web.favicon", cache=86400)
    async def favicon(self) -> File:
        """Browsers ask for /favicon.ico whatever the page says: the same picture as the icon link."""
        return File(
            STATIC / "favicon.svg", media_type="image/svg+xml", content_disposition_type="inline"
        )

    @get("/", name="web.index")
    async def index(
        self,
        service: Service,
        actor: CurrentActor,
        state: State,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        deleted: Flag = 0,
    ) -> Template:
        # The same keyset pages as the API: "Older" follows the page's last row.
        try:
            after = Cursor.decode(cursor) if cursor is not None else None
        except BadCursor:
            return _error_page(
                400,
                "This page of the list cannot be found",
                "The link is not one this site made. Start again from the newest interviews.",
            )
        found = await service.page(actor, PAGE_SIZE, after=after)
        return Template(
            "index.html",
            context={
                "title": "Interviews",
                "notice": "The interview and its documents were deleted." if deleted else "",
                "sessions": found.items,
                "pack_titles": {p.name: p.title for p in state.packs},
                "first_page": cursor is None,
                "next": found.next.encode() if found.next else None,
                "packs": sorted(state.packs, key=lambda p: p.title),
                "importing": service.importing_packs(),
            },
        )

    @post("/sessions", name="web.start")
    async def start(self, request: Request, service: Service, actor: CurrentActor) -> Redirect:
        form = await request.form()
        view = await service.create(str(form.get("pack") or ""), None, actor, source="web")
        return Redirect(f"/sessions/{view.row.id}/steps/{view.pack.steps[0].id}", status_code=303)

    @post("/sessions/import", name="web.import")
    async def import_document(
        self, request: Request, service: Service, actor: CurrentActor
    ) -> Template:
        form = await request.form()
        upload = form.get("file")
        content = b""
        if isinstance(upload, UploadFile):
            try:
                content = await upload.read()
            finally:
                await upload.close()
        if not content:
            return _error_page(
                400, "Choose a file to import", "Pick the earlier document and send the form again."
            )
        pack = str(form.get("pack") or "") or None
        try:
            view, report = await service.import_document(
                content, upload.filename or "upload", actor, pack
            )
        except ImportTooCostly as exc:
            return _error_page(
                422,
                "The document could not be read",
                f"{str(exc)[:1].upper()}{str(exc)[1:]}. Nothing was saved.",
            )
        locator = views.Locator(view.pack, view.row.answers)
        return Template(
            "imported.html",
            context={
                **_session_context(view, page_name="import"),
                "title": f"Imported – {view.row.title}",
                "file_name": upload.filename,
                "report": report,
                "problems": _linked(view, locator, report.inconsistencies),
            },
            status_code=201,
        )

    @get("/sessions/{session_id:uuid}", name="web.resume")
    async def resume(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Redirect:
        view = await service.get(session_id, actor)
        step = views.first_open_step(view.pack, view.row.answers, view.problems)
        if step is None:
            return Redirect(f"/sessions/{session_id}/review", status_code=303)
        return Redirect(f"/sessions/{session_id}/steps/{step.id}", status_code=303)

    @get("/sessions/{session_id:uuid}/delete", name="web.confirm_delete")
    async def confirm_delete(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Template:
        view = await service.get(session_id, actor)
        listed = await service.list_documents(session_id, actor)
        return Template(
            "delete.html",
            context={
                **_session_context(view, page_name="delete"),
                "title": f"Delete – {view.row.title}",
                "documents": listed,
            },
        )

    @post("/sessions/{session_id:uuid}/delete", name="web.delete")
    async def delete(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Redirect:
        # A page submitted twice (or after another tab deleted it) finds nothing: the 404 page says so.
        await service.delete(session_id, actor)
        return Redirect("/?deleted=1", status_code=303)

    @get("/sessions/{session_id:uuid}/steps/{step_id:str}", name="web.step")
    async def show_step(
        self,
        request: Request,
        session_id: FromPath[uuid.UUID],
        step_id: FromPath[str],
        service: Service,
        actor: CurrentActor,
        return_to: ReturnTo = None,
        saved: Flag = 0,
        more: Flag = 0,
        open_item: OpenItem = None,
        region: InPlace = None,
    ) -> Template:
        view = await service.get(session_id, actor)
        step = _step(view, step_id)
        answers = view.row.answers
        problems = views.worth_pointing_out(step, answers, view.problems)
        notice = (
            "Your answers opened more questions on this page; they are below."
            if more
            else ("Saved." if saved else "")
        )
        page = _step_template(
            view, step, answers, problems, return_to=return_to, notice=notice, open_item=open_item
        )
        by_htmx = request.headers.get("hx-request") == "true"
        drawn = in_place.find(page.context["page"], region) if region and by_htmx else None
        if drawn is not None:
            return Template(
                "_in_place.html", context={**page.context, "oob": True, "region": drawn}
            )
        if open_item and by_htmx:
            # An item button pressed with htmx, whose change reached past its region (or whose
            # list is in no item: then its target is the whole page already).
            return _whole_layout(page, swap="outerHTML show:none")
        return page

    @post("/sessions/{session_id:uuid}/steps/{step_id:str}/autosave", name="web.autosave_step")
    async def autosave_step(
        self,
        session_id: FromPath[uuid.UUID],
        step_id: FromPath[str],
        request: Request,
        service: Service,
        actor: CurrentActor,
    ) -> Response[Any]:
        """What htmx sends when a field of the page changes: the whole form, saved as the Save
        button would (same checks, same words, the page's revision as If-Match), answered
        with a short status; or with the whole page when the change opened or closed
        questions on it."""
        form = dict((await request.form()).multi_items())
        revision = int(form["_revision"]) if str(form.get("_revision", "")).isdigit() else None
        view = await service.get(session_id, actor)
        pack, step, saved = view.pack, _step(view, step_id), view.row.answers
        reading = read_step(pack, step, saved, form)
        problems = reading.problems + value_problems(
            pack, merge(saved, step_patch(step, reading.answers, saved))
        )
        if not problems:
            try:
                after = await service.patch_answers(
                    session_id,
                    step_patch(step, reading.answers, saved),
                    actor,
                    expected_revision=revision,
                    source="web",
                )
            except AnswersRefused as exc:
                problems = exc.problems
            except StaleRevision:
                return _autosave_status(
                    "stale",
                    "Not saved: this interview was changed elsewhere (in another tab or by someone else) after "
                    "this page was opened. Copy what you typed, reload the page, and enter it again.",
                )
            else:
                if views.relevant_paths(pack, step, after.row.answers) != views.relevant_paths(
                    pack, step, saved
                ):
                    # A choice opened or closed questions: the page is drawn again at once.
                    # Questions it just opened are not "missing" yet: they are about to be answered.
                    fresh = [
                        p
                        for p in views.worth_pointing_out(step, after.row.answers, after.problems)
                        if not p.missing
                    ]
                    page = _step_template(
                        after,
                        step,
                        after.row.answers,
                        fresh,
                        return_to=form.get("_return") and "review",
                        notice="Saved. Your answer changed the questions on this page.",
                    )
                    return _whole_layout(page, swap="outerHTML")
                return _autosave_status(
                    "saved",
                    "All changes saved.",
                    revision=after.row.revision,
                    view=after,
                    step=step,
                )
        # Each message is also shown beside the field it is about, when that field is on this page.
        locator = views.Locator(pack, merge(saved, step_patch(step, reading.answers, saved)))
        beside = [
            anchor if found is not None and found.id == step.id else ""
            for found, anchor in (locator.find(p.path) for p in problems)
        ]
        return _autosave_status(
            "refused",
            "Not saved yet: correct what is listed here, and it saves as you type.",
            problems=problems,
            fields=beside,
        )

    @post("/sessions/{session_id:uuid}/steps/{step_id:str}", name="web.save_step")
    async def save_step(
        self,
        session_id: FromPath[uuid.UUID],
        step_id: FromPath[str],
        request: Request,
        service: Service,
        actor: CurrentActor,
    ) -> Response[Any]:
        form = dict((await request.form()).multi_items())
        try:
            action = Action.parse(form.get("_action"))
        except ActionError as exc:
            raise FormNotUnderstood(detail=str(exc)) from None
        revision = int(form["_revision"]) if str(form.get("_revision", "")).isdigit() else None
        return_to = "review" if form.get("_return") == "review" else None

        view = await service.get(session_id, actor)
        pack, step, saved = view.pack, _step(view, step_id), view.row.answers
        reading = read_step(pack, step, saved, form)
        # The JSON API's own check, on what this page would save, before any item moves.
        problems = reading.problems + value_problems(
            pack, merge(saved, step_patch(step, reading.answers, saved))
        )
        if action.kind == "remove":
            problems = without(problems, action.path)
        if problems:
            return _step_template(
                view,
                step,
                reading.answers,
                problems,
                return_to=return_to,
                typed=reading.typed,
                status_code=422,
                revision=revision,
            )

        before = views.relevant_paths(pack, step, saved)
        try:
            target = apply_action(pack, step, reading.answers, action)
        except ActionError as exc:
            raise FormNotUnderstood(detail=str(exc)) from None
        try:
            after_save = await service.patch_answers(
                session_id,
                step_patch(step, reading.answers, saved),
                actor,
                expected_revision=revision,
                source="web",
            )
        except AnswersRefused as exc:
            return _step_template(
                view,
                step,
                reading.answers,
                exc.problems,
                return_to=return_to,
                typed=reading.typed,
                status_code=422,
                revision=revision,
            )
        except StaleRevision:
            fresh = await service.get(session_id, actor)
            notice = (
                "This interview was changed elsewhere after you opened this page, so nothing was saved. "
                "What you typed is below, over the newer answers: check it and save again."
            )
            return _step_template(
                fresh,
                step,
                fresh.row.answers,
                [],
                return_to=return_to,
                typed=reading.typed,
                status_code=409,
                notice=notice,
            )

        here = f"/sessions/{session_id}/steps/{step.id}"
        query = "?return=review" if return_to else ""
        if action.changes_items:
            opened = f"open={quote(target)}"
            region = in_place.region_of(action)
            if (
                region
                and request.headers.get("hx-request") == "true"
                and _stays_in_region((saved, view.problems), after_save, step, region)
            ):
                opened += f"&in_place={quote(region)}"
            return Redirect(
                f"{here}{query}{'&' if query else '?'}{opened}#{html_id(target)}", status_code=303
            )
        if action.kind == "save":
            return Redirect(
                f"{here}?saved=1{'&return=review' if return_to else ''}", status_code=303
            )
        opened = [
            p for p in views.relevant_paths(pack, step, after_save.row.answers) if p not in before
        ]
        if opened:
            return Redirect(
                f"{here}?more=1{'&return=review' if return_to else ''}#{html_id(sorted(opened)[0])}",
                status_code=303,
            )
        if return_to:
            return Redirect(f"/sessions/{session_id}/review#step-{step.id}", status_code=303)
        following = _following(view, step)
        if following is None:
            return Redirect(f"/sessions/{session_id}/review", status_code=303)
        return Redirect(f"/sessions/{session_id}/steps/{following.id}", status_code=303)

    @get("/sessions/{session_id:uuid}/review", name="web.review")
    async def review(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Template:
        view = await service.get(session_id, actor)
        locator = views.Locator(view.pack, view.row.answers)
        return Template(
            "review.html",
            context={
                **_session_context(view, page_name="review"),
                "title": f"Review – {view.row.title}",
                "sections": views.review_sections(view.pack, view.row.answers),
                "problems": _linked(view, locator, view.problems),
                # Said on the page at once; with a converter, the pictures load after it.
                "preview_problem": "" if service.converter else NEEDS_CONVERTER,
            },
        )

    @get("/sessions/{session_id:uuid}/documents", name="web.documents")
    async def documents(
        self,
        session_id: FromPath[uuid.UUID],
        service: Service,
        actor: CurrentActor,
        generated: Flag = 0,
    ) -> Template:
        view = await service.get(session_id, actor)
        listed = await service.list_documents(session_id, actor)
        return _documents_template(
            view, listed, [], notice="The documents were generated." if generated else ""
        )

    @post("/sessions/{session_id:uuid}/documents", name="web.generate")
    async def generate(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[Any]:
        try:
            await service.generate(session_id, actor)
        except NotComplete as exc:
            view = await service.get(session_id, actor)
            listed = await service.list_documents(session_id, actor)
            return _documents_template(view, listed, exc.problems, status_code=409)
        return Redirect(f"/sessions/{session_id}/documents?generated=1", status_code=303)

    @get("/sessions/{session_id:uuid}/documents/{document_ref:str}", name="web.download")
    async def download(
        self,
        session_id: FromPath[uuid.UUID],
        document_ref: FromPath[str],
        service: Service,
        actor: CurrentActor,
    ) -> Response[bytes]:
        # <id> (Word), <id>.pdf, or <id>.png (the small picture of the PDF's first page).
        return await document_download(service, session_id, document_ref, actor)

    @get("/sessions/{session_id:uuid}/packet.pdf", name="web.download_packet")
    async def download_packet(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[bytes]:
        return await packet_pdf_download(service, session_id, actor)

    @get("/sessions/{session_id:uuid}/documents.zip", name="web.download_zip")
    async def download_zip(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[bytes]:
        return await zip_download(service, session_id, actor)


def _step(view: SessionView, step_id: str) -> Step:
    step = view.pack.step(step_id)
    if step is None:
        raise NotFoundException()
    return step


def _following(view: SessionView, step: Step) -> Step | None:
    steps = list(view.pack.steps)
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else None


def _stays_in_region(
    before: tuple[dict[str, Any], list[Problem]], after: SessionView, step: Step, region: str
) -> bool:
    """Whether an item button's change shows nowhere on the page outside its ``region``.
    ``before``: the answers and problems as read before the save (the view read then may
    hold the saved row itself by now)."""

    def shown(answers: dict[str, Any], problems: list[Problem]) -> list[Any]:
        pointed = views.worth_pointing_out(step, answers, problems)
        return in_place.outside(views.step_page(after.pack, step, answers, pointed), region)

    return shown(*before) == shown(after.row.answers, after.problems)


def _session_context(
    view: SessionView, current: Step | None = None, page_name: str = "step"
) -> dict[str, Any]:
    steps = list(view.pack.steps)
    index = steps.index(current) if current else -1
    return {
        "session": view.row,
        "pack": view.pack,
        "progress": view.progress,
        "statuses": views.step_statuses(view.pack, view.row.answers, view.problems),
        "current": current,
        "previous": steps[index - 1] if index > 0 else None,
        "following": steps[index + 1] if 0 <= index < len(steps) - 1 else None,
        "blocking": sum(1 for p in view.problems if p.severity == "error"),
        "page_name": page_name,
    }


def _step_template(
    view: SessionView,
    step: Step,
    answers: dict[str, Any],
    problems: list[Problem],
    *,
    return_to: str | None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str = "",
    revision: int | None = None,
    open_item: str | None = None,
) -> Template:
    locator = views.Locator(view.pack, answers)
    mine = views.problems_of_step(locator, step, problems)
    if status_code != 200:
        # A refusal that names no question of any step is still shown on the page that caused it.
        mine += [p for p in problems if locator.find(p.path)[0] is None]
    page = views.step_page(
        view.pack, step, answers, mine, typed, open_paths=[open_item] if open_item else ()
    )
    return Template(
        "step.html",
        context={
            **_session_context(view, step),
            "title": f"{step.title} – {view.row.title}",
            "page": page,
            "return_to": return_to,
            "notice": notice,
            "refused": status_code == 422,
            "revision": revision if revision is not None else view.row.revision,
            "focus_id": html_id(open_item) if open_item else "",
        },
        status_code=status_code,
    )


def _whole_layout(page: Template, swap: str) -> HTMXTemplate:
    """``page`` for an htmx request that targeted less than the page: htmx is told to swap its
    whole ``#layout`` instead (the form, the notes and the steps beside it)."""
    return HTMXTemplate(
        template_name=page.template_name,
        context=page.context,
        re_target="#layout",
        re_swap=swap,
        headers={"HX-Reselect": "#layout"},
    )


def _autosave_status(
    outcome: str,
    message: str,
    *,
    revision: int | None = None,
    problems: list[Problem] | None = None,
    fields: list[str] | None = None,
    view: SessionView | None = None,
    step: Step | None = None,
) -> Template:
    """``fields``: beside each problem, the id of the input on the page it is about, or ""."""
    problems = problems or []
    context: dict[str, Any] = {
        "outcome": outcome,
        "message": message,
        "revision": revision,
        "problems": list(zip(problems, fields or [""] * len(problems), strict=True)),
    }
    if view is not None:
        context.update(_session_context(view, step))
    return Template("_autosave.html", context=context)


def _linked(
    view: SessionView, locator: views.Locator, problems: list[Problem]
) -> list[dict[str, Any]]:
    """Each problem with the link to the input it is about."""
    linked = []
    for problem in problems:
        step, anchor = locator.find(problem.path)
        href = (
            f"/sessions/{view.row.id}/steps/{step.id}?return=review"
            + (f"#{anchor}" if anchor else "")
            if step
            else ""
        )
        linked.append({"problem": problem, "href": href, "step": step})
    return linked


def _documents_template(
    view: SessionView,
    listed: list[Any],
    problems: list[Problem],
    status_code: int = 200,
    notice: str = "",
) -> Template:
    locator = views.Locator(view.pack, view.row.answers)
    return Template(
        "documents.html",
        context={
            **_session_context(view, page_name="documents"),
            "title": f"Documents – {view.row.title}",
            "documents": listed,
            "problems": _linked(view, locator, problems),
            "notice": notice,
            "out_of_date": bool(listed) and is_out_of_date(listed[0], view.row.revision),
            "batch_notes": list(listed[0].notes or []) if listed else [],
            "has_pdfs": bool(listed) and all(d.pages is not None for d in listed),
        },
        status_code=status_code,
    )

from __future__ import annotations

import io
import uuid
import zipfile
from urllib.parse import quote

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.plugins.problem_details import ProblemDetailsException

from service.api.dependencies import CurrentActor, Service
from service.api.idempotency import IdempotencyKey, once, replay
from service.api.responses import problems
from service.api.schemas import DocumentOut
from service.idempotency.service import Replayed
from service.pdf.packet import join
from service.pdf.thumbnail import first_page_png
from service.sessions.service import Actor, SessionNotFound, SessionService
from service.storage.models import GeneratedDocument

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What a document's address may end with, and what is sent for each.
_FORMATS = {"": DOCX_MEDIA_TYPE, ".docx": DOCX_MEDIA_TYPE, ".pdf": "application/pdf", ".png": "image/png"}


def generated(rows: list[GeneratedDocument]) -> Response[list[DocumentOut]]:
    return Response([DocumentOut.of(row) for row in rows], status_code=201)


def attachment(file_name: str, disposition: str = "attachment") -> str:
    # RFC 6266: an ASCII fallback plus the exact UTF-8 name.
    ascii_name = file_name.encode("ascii", "ignore").decode().replace('"', "") or "document"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


def _no_pdf(detail: str) -> ProblemDetailsException:
    return ProblemDetailsException(status_code=409, title="No PDF for these documents", detail=detail)


def _document_ref(ref: str) -> tuple[uuid.UUID, str]:
    """The id and the format of ``<id>``, ``<id>.docx``, ``<id>.pdf`` or ``<id>.png``."""
    stem, dot, suffix = ref.rpartition(".")
    stem, suffix = (stem, f".{suffix}") if dot else (ref, "")
    try:
        if suffix not in _FORMATS:
            raise ValueError(suffix)
        return uuid.UUID(stem), suffix
    except ValueError:
        raise SessionNotFound(ref) from None


class DocumentsController(Controller):
    path = "/api/sessions/{session_id:uuid}"
    tags = ["documents"]
    exception_handlers = {Replayed: replay}

    @post("/documents", summary="Generate the packet from a complete interview", status_code=201, opt={"scope": "generate"}, responses=problems(404, 409, 422))
    async def generate(
        self, request: Request, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor, idempotency_key: IdempotencyKey = None
    ) -> Response[list[DocumentOut]]:
        rows = await service.generate(session_id, actor, once=await once(request, actor, idempotency_key, "documents.generate", generated))
        return generated(rows)

    @get("/documents", summary="The documents of the latest generation (out_of_date: made before the last change)", responses=problems(404))
    async def list_documents(self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> list[DocumentOut]:
        view = await service.get(session_id, actor)
        return [DocumentOut.of(row, view.row.revision) for row in await service.list_documents(session_id, actor)]

    @get(
        "/documents/{document_ref:str}",
        summary="Download one document: <id> or <id>.docx as Word, <id>.pdf as PDF, <id>.png a small picture of its first page",
        media_type=DOCX_MEDIA_TYPE,
        responses=problems(404, 409),
    )
    async def download(self, session_id: FromPath[uuid.UUID], document_ref: FromPath[str], service: Service, actor: CurrentActor) -> Response[bytes]:
        return await document_download(service, session_id, document_ref, actor)

    @get("/packet.pdf", summary="The whole packet of the latest generation as one PDF (cover letter, then the certifications)", media_type="application/pdf", responses=problems(404, 409))
    async def packet_pdf(self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> Response[bytes]:
        return await packet_pdf_download(service, session_id, actor)

    @get("/documents.zip", summary="Download every document of the latest generation as a .zip (.docx and .pdf)", media_type="application/zip", responses=problems(404))
    async def download_zip(self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> Response[bytes]:
        return await zip_download(service, session_id, actor)


# -- downloads, shared with the web pages -----------------------------------------------------


async def document_download(service: SessionService, session_id: uuid.UUID, document_ref: str, actor: Actor) -> Response[bytes]:
    """One document as .docx, .pdf or the .png of its first page. Raises SessionNotFound
    (404) for an unknown id or format, and a 409 problem when the batch has no PDF."""
    document_id, suffix = _document_ref(document_ref)
    document = await service.document(session_id, document_id, actor)
    if suffix in ("", ".docx"):
        return Response(
            document.content,
            media_type=DOCX_MEDIA_TYPE,
            headers={"Content-Disposition": attachment(document.file_name), "ETag": f'"{document.sha256}"'},
        )
    pdf = (await service.document_pdfs([document]))[document.id]
    if pdf is None:
        raise _no_pdf("This document was generated without a PDF converter; generate the documents again.")
    if suffix == ".png":
        png = await anyio.to_thread.run_sync(first_page_png, pdf)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600", "ETag": f'"{document.sha256}-png"'})
    stem = document.file_name.removesuffix(".docx")
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(f"{stem}.pdf"), "ETag": f'"{document.sha256}-pdf"'})


async def packet_pdf_download(service: SessionService, session_id: uuid.UUID, actor: Actor) -> Response[bytes]:
    """The latest batch as one PDF, in the packet's order."""
    documents = await service.list_documents(session_id, actor)
    if not documents:
        raise SessionNotFound(str(session_id))
    pdfs = await service.document_pdfs(documents)
    if any(pdfs[d.id] is None for d in documents):
        raise _no_pdf("These documents were generated without a PDF converter; generate them again.")
    packet = await anyio.to_thread.run_sync(join, [pdfs[d.id] for d in documents])
    return Response(packet, media_type="application/pdf", headers={"Content-Disposition": attachment(f"packet-{str(session_id)[:8]}.pdf")})


async def zip_download(service: SessionService, session_id: uuid.UUID, actor: Actor) -> Response[bytes]:
    """Every document of the latest batch as .docx and, where made, .pdf, with packet.pdf."""
    documents = await service.list_documents(session_id, actor)
    if not documents:
        raise SessionNotFound(str(session_id))
    contents = await service.document_contents(documents)
    pdfs = await service.document_pdfs(documents)

    def archive_bytes() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for document in documents:
                archive.writestr(document.file_name, contents[document.id])
                if pdfs.get(document.id) is not None:
                    archive.writestr(f"{document.file_name.removesuffix('.docx')}.pdf", pdfs[document.id])
            if all(pdfs.get(d.id) is not None for d in documents):
                archive.writestr("packet.pdf", join(pdfs[d.id] for d in documents))
        return buffer.getvalue()

    data = await anyio.to_thread.run_sync(archive_bytes)
    return Response(data, media_type="application/zip", headers={"Content-Disposition": attachment(f"packet-{str(session_id)[:8]}.zip")})

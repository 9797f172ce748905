"""What the API and the web pages both send when a generated document is downloaded."""

from __future__ import annotations

import io
import uuid
import zipfile
from urllib.parse import quote

import anyio.to_thread
from litestar import Response
from litestar.plugins.problem_details import ProblemDetailsException

from service.auth.actor import Actor
from service.pdf.packet import join
from service.pdf.thumbnail import first_page_png
from service.sessions.service import SessionNotFound, SessionService
from service.storage.models import GeneratedDocument

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What a document's address may end with, and what is sent for each.
_FORMATS = {
    "": DOCX_MEDIA_TYPE,
    ".docx": DOCX_MEDIA_TYPE,
    ".pdf": "application/pdf",
    ".png": "image/png",
}


def attachment(file_name: str, disposition: str = "attachment") -> str:
    # RFC 6266: an ASCII fallback plus the exact UTF-8 name; "inline" for what a page shows.
    ascii_name = file_name.encode("ascii", "ignore").decode().replace('"', "") or "document"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


def is_out_of_date(row: GeneratedDocument, session_revision: int | None) -> bool:
    """Made before the session's last change (a batch older than revisions is out of date too)."""
    if session_revision is None:
        return False
    return row.revision is None or row.revision < session_revision


def _no_pdf(detail: str) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=409, title="No PDF for these documents", detail=detail
    )


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


async def document_download(
    service: SessionService, session_id: uuid.UUID, document_ref: str, actor: Actor
) -> Response[bytes]:
    """One document as .docx, .pdf or the .png of its first page. Raises SessionNotFound
    (404) for an unknown id or format, and a 409 problem when the batch has no PDF."""
    document_id, suffix = _document_ref(document_ref)
    document = await service.document(session_id, document_id, actor)
    if suffix in ("", ".docx"):
        return Response(
            document.content,
            media_type=DOCX_MEDIA_TYPE,
            headers={
                "Content-Disposition": attachment(document.file_name),
                "ETag": f'"{document.sha256}"',
            },
        )
    pdf = (await service.document_pdfs([document]))[document.id]
    if pdf is None:
        raise _no_pdf(
            "This document was generated without a PDF converter; generate the documents again."
        )
    if suffix == ".png":
        png = await anyio.to_thread.run_sync(first_page_png, pdf)
        return Response(
            png,
            media_type="image/png",
            headers={"Cache-Control": "private, max-age=3600", "ETag": f'"{document.sha256}-png"'},
        )
    stem = document.file_name.removesuffix(".docx")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": attachment(f"{stem}.pdf"),
            "ETag": f'"{document.sha256}-pdf"',
        },
    )


async def packet_pdf_download(
    service: SessionService, session_id: uuid.UUID, actor: Actor
) -> Response[bytes]:
    """The latest batch as one PDF, in the packet's order."""
    documents = await service.list_documents(session_id, actor)
    if not documents:
        raise SessionNotFound(str(session_id))
    pdfs = await service.document_pdfs(documents)
    if any(pdfs[d.id] is None for d in documents):
        raise _no_pdf(
            "These documents were generated without a PDF converter; generate them again."
        )
    packet = await anyio.to_thread.run_sync(join, [pdfs[d.id] for d in documents])
    return Response(
        packet,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(f"packet-{str(session_id)[:8]}.pdf")},
    )


async def zip_download(
    service: SessionService, session_id: uuid.UUID, actor: Actor
) -> Response[bytes]:
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
                    archive.writestr(
                        f"{document.file_name.removesuffix('.docx')}.pdf", pdfs[document.id]
                    )
            if all(pdfs.get(d.id) is not None for d in documents):
                archive.writestr("packet.pdf", join(pdfs[d.id] for d in documents))
        return buffer.getvalue()

    data = await anyio.to_thread.run_sync(archive_bytes)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": attachment(f"packet-{str(session_id)[:8]}.zip")},
    )

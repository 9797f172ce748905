from __future__ import annotations

import uuid

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from service.api.idempotency import IdempotencyKey, once, replay
from service.api.responses import problems
from service.api.schemas import DocumentOut
from service.dependencies import CurrentActor, Service
from service.downloads import DOCX_MEDIA_TYPE, document_download, packet_pdf_download, zip_download
from service.idempotency.service import Replayed
from service.storage.models import GeneratedDocument


def generated(rows: list[GeneratedDocument]) -> Response[list[DocumentOut]]:
    return Response([DocumentOut.of(row) for row in rows], status_code=201)


class DocumentsController(Controller):
    path = "/api/sessions/{session_id:uuid}"
    tags = ["documents"]
    exception_handlers = {Replayed: replay}

    @post(
        "/documents",
        summary="Generate the packet from a complete interview",
        status_code=201,
        opt={"scope": "generate"},
        responses=problems(404, 409, 422, 429),
    )
    async def generate(
        self,
        request: Request,
        session_id: FromPath[uuid.UUID],
        service: Service,
        actor: CurrentActor,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[list[DocumentOut]]:
        rows = await service.generate(
            session_id,
            actor,
            once=await once(request, actor, idempotency_key, "documents.generate", generated),
        )
        return generated(rows)

    @get(
        "/documents",
        summary="The documents of the latest generation (out_of_date: made before the last change)",
        responses=problems(404),
    )
    async def list_documents(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> list[DocumentOut]:
        view = await service.get(session_id, actor)
        return [
            DocumentOut.of(row, view.row.revision)
            for row in await service.list_documents(session_id, actor)
        ]

    @get(
        "/documents/{document_ref:str}",
        summary="Download one document: <id> or <id>.docx as Word, <id>.pdf as PDF, <id>.png a small picture of its first page",
        media_type=DOCX_MEDIA_TYPE,
        responses=problems(404, 409),
    )
    async def download(
        self,
        session_id: FromPath[uuid.UUID],
        document_ref: FromPath[str],
        service: Service,
        actor: CurrentActor,
    ) -> Response[bytes]:
        return await document_download(service, session_id, document_ref, actor)

    @get(
        "/packet.pdf",
        summary="The whole packet of the latest generation as one PDF (the pack's documents in their order)",
        media_type="application/pdf",
        responses=problems(404, 409),
    )
    async def packet_pdf(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[bytes]:
        return await packet_pdf_download(service, session_id, actor)

    @get(
        "/documents.zip",
        summary="Download every document of the latest generation as a .zip (.docx and .pdf)",
        media_type="application/zip",
        responses=problems(404),
    )
    async def download_zip(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[bytes]:
        return await zip_download(service, session_id, actor)

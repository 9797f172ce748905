from __future__ import annotations

import io
import uuid
import zipfile

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from service.dependencies import CurrentActor, Service
from service.downloads import DOCX_MEDIA_TYPE, attachment
from service.api.idempotency import IdempotencyKey, once, replay
from service.api.responses import problems
from service.api.schemas import DocumentOut
from service.idempotency.service import Replayed
from service.storage.models import GeneratedDocument

def generated(rows: list[GeneratedDocument]) -> Response[list[DocumentOut]]:
    return Response([DocumentOut.of(row) for row in rows], status_code=201)


class DocumentsController(Controller):
    path = "/api/sessions/{session_id:uuid}"
    tags = ["documents"]
    exception_handlers = {Replayed: replay}

    @post("/documents", summary="Generate the packet from a complete interview", status_code=201, opt={"scope": "generate"}, responses=problems(404, 409, 422, 429))
    async def generate(
        self, request: Request, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor, idempotency_key: IdempotencyKey = None
    ) -> Response[list[DocumentOut]]:
        rows = await service.generate(session_id, actor, once=await once(request, actor, idempotency_key, "documents.generate", generated))
        return generated(rows)

    @get("/documents", summary="The documents of the latest generation", responses=problems(404))
    async def list_documents(self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> list[DocumentOut]:
        return [DocumentOut.of(row) for row in await service.list_documents(session_id, actor)]

    @get("/documents/{document_id:uuid}", summary="Download one .docx", media_type=DOCX_MEDIA_TYPE, responses=problems(404))
    async def download(self, session_id: FromPath[uuid.UUID], document_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> Response[bytes]:
        document = await service.document(session_id, document_id, actor)
        return Response(
            document.content,
            media_type=DOCX_MEDIA_TYPE,
            headers={"Content-Disposition": attachment(document.file_name), "ETag": f'"{document.sha256}"'},
        )

    @get("/documents.zip", summary="Download every document of the latest generation as a .zip", media_type="application/zip", responses=problems(404))
    async def download_zip(self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor) -> Response[bytes]:
        documents = await service.list_documents(session_id, actor)
        contents = await service.document_contents(documents)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for document in documents:
                archive.writestr(document.file_name, contents[document.id])
        view = await service.get(session_id, actor)
        stem = f"packet-{str(view.row.id)[:8]}"
        return Response(buffer.getvalue(), media_type="application/zip", headers={"Content-Disposition": attachment(f"{stem}.zip")})

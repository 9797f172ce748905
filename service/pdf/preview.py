"""Pictures of the pages of a session's documents as they stand, before anything is generated.

The documents that do not repeat per item are drawn (one per item would be many pages of the
same words): each is rendered from the current answers as a draft, where what is missing prints
blank, converted to PDF by the app's converter, and each PDF page drawn as a PNG with PDFium.
A revision of a session never changes, so pictures are kept by session id and revision: a
repeated view costs nothing, and a change (a new revision) gives new pictures.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import structlog

from service.packs.model import Pack
from service.pdf import pdfium
from service.pdf.converter import PdfConverter
from service.pdf.paginated import typed_page_count
from service.rendering.pool import PacketRenderer

log = structlog.get_logger(__name__)

# A Letter page 816 pixels wide (96 dpi): as large as the page at 100 % in a word processor.
PAGE_WIDTH_PIXELS = 816
# Previews kept per process: about 55 kB a page, half a megabyte for the 2024 case (9 pages).
KEPT = 32
NEEDS_CONVERTER = (
    "The preview of the documents needs the PDF converter, which this server does not run "
    "(PDF_CONVERTER is off). The documents can still be generated as Word files."
)


@dataclass(frozen=True, slots=True)
class PreviewDocument:
    title: str
    pages: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Preview:
    revision: int
    documents: tuple[PreviewDocument, ...]

    @property
    def page_count(self) -> int:
        return sum(len(document.pages) for document in self.documents)

    def page(self, number: int) -> bytes | None:
        """Page ``number`` (from 1) counted across the documents in order."""
        pages = [page for document in self.documents for page in document.pages]
        return pages[number - 1] if 1 <= number <= len(pages) else None


def without_repeated_documents(pack: Pack) -> Pack:
    return dataclasses.replace(pack, documents=tuple(d for d in pack.documents if not d.for_each))


def page_pngs(pdf: bytes, width_pixels: int = PAGE_WIDTH_PIXELS) -> tuple[bytes, ...]:
    # Grey, not colour: the documents are black on white, and the file a quarter the size.
    return pdfium.page_pngs(pdf, width_pixels, grayscale=True)


async def build_preview(
    pack: Pack,
    answers: dict[str, Any],
    revision: int,
    converter: PdfConverter,
    renderer: PacketRenderer | None = None,
) -> Preview:
    """Raises ConversionFailed (the converter) or RenderError (a template the draft breaks)."""
    documents = await (renderer or PacketRenderer()).render(
        pack,
        answers,
        packet_pages=typed_page_count(pack, answers),
        draft=True,
        documents=[d.id for d in without_repeated_documents(pack).documents],
    )
    pdfs = await asyncio.gather(*(converter.to_pdf(document.content) for document in documents))
    pages = await anyio.to_thread.run_sync(lambda: [page_pngs(pdf) for pdf in pdfs])
    return Preview(
        revision, tuple(PreviewDocument(d.title, p) for d, p in zip(documents, pages, strict=True))
    )


class PreviewCache:
    """The last previews made, by session id and revision; one build per key at a time (the
    page and its pictures ask together)."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._previews: OrderedDict[tuple[uuid.UUID, int], Preview] = OrderedDict()
        self._building: dict[tuple[uuid.UUID, int], asyncio.Lock] = {}

    def cached(self, session_id: uuid.UUID, revision: int) -> Preview | None:
        key = (session_id, revision)
        preview = self._previews.get(key)
        if preview is not None:
            self._previews.move_to_end(key)
        return preview

    async def get(
        self, session_id: uuid.UUID, revision: int, build: Callable[[], Awaitable[Preview]]
    ) -> Preview:
        key = (session_id, revision)
        lock = self._building.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                preview = self.cached(session_id, revision)
                if preview is None:
                    preview = await build()
                    log.info(
                        "preview.built",
                        session_id=str(session_id),
                        revision=revision,
                        pages=preview.page_count,
                    )
                    self._previews[key] = preview
                    while len(self._previews) > self._kept:
                        self._previews.popitem(last=False)
                return preview
        finally:
            if not lock.locked():
                self._building.pop(key, None)

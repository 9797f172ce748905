"""The packet rendered, converted to PDF, and its page count printed where the templates ask.

The count is of the packet as rendered (every document, in order). The templates print it as
``packet_pages``; a figure typed in the pack's ``page_count_answer`` is printed instead, with a
warning when it differs from the count. Printing a count can change it (a longer number
wraps a line), so the documents that print it are rendered and converted again until the
printed figure is the count, at most a few times. Without a converter the .docx files are still
made, and a note says the count could not be checked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from service.interview import paths
from service.packs.model import Pack
from service.pdf.converter import ConversionFailed, PdfConverter
from service.pdf.packet import page_count
from service.problems import Problem
from service.rendering.packet import RenderedDocument
from service.rendering.pool import PacketRenderer

MAX_RECOUNTS = 3


@dataclass(frozen=True, slots=True)
class PaginatedDocument:
    document: RenderedDocument
    pdf: bytes | None = None
    pages: int | None = None


@dataclass(slots=True)
class PaginatedPacket:
    documents: list[PaginatedDocument]
    # The packet's page count as rendered; None when it could not be counted.
    pages: int | None
    printed_pages: int | None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        return [problem.message for problem in self.warnings]


def typed_page_count(pack: Pack, answers: dict[str, Any]) -> int | None:
    if not pack.page_count_answer:
        return None
    value = paths.get(answers, pack.page_count_answer)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def render_paginated(
    pack: Pack,
    answers: dict[str, Any],
    converter: PdfConverter | None,
    generated_at: dt.datetime | None = None,
    renderer: PacketRenderer | None = None,
) -> PaginatedPacket:
    """Every document as .docx and, with a converter, as PDF, the count printed in them;
    rendered by ``renderer`` (a worker thread of this process by default)."""
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    typed = typed_page_count(pack, answers)
    path = pack.page_count_answer or ""
    renderer = renderer or PacketRenderer()

    async def render(printed: int | None) -> list[RenderedDocument]:
        return await renderer.render(pack, answers, packet_pages=printed, generated_at=generated_at)

    documents = await render(typed)
    if converter is None:
        return PaginatedPacket(
            [PaginatedDocument(d) for d in documents],
            None,
            typed,
            [
                _warning(
                    path,
                    "No PDF converter is configured: the documents are Word files only, "
                    "and the page count of the packet could not be checked.",
                    "pages.unchecked",
                )
            ],
        )
    try:
        pdfs = await _convert_all(converter, documents)
        printed = typed
        # Each PDF is read once for its pages; a document made again is read again.
        counts = await anyio.to_thread.run_sync(_counts, pdfs)
        for _ in range(MAX_RECOUNTS):
            if typed is not None or sum(counts) == printed:
                break
            printed = sum(counts)
            again = await render(printed)
            # Only the documents that print the count differ; the others are the same bytes.
            changed = [i for i, document in enumerate(again) if document.prints_page_count]
            converted = await _convert_all(converter, [again[i] for i in changed])
            recounted = await anyio.to_thread.run_sync(_counts, converted)
            for index, pdf, pages in zip(changed, converted, recounted, strict=True):
                documents[index], pdfs[index], counts[index] = again[index], pdf, pages
        counted = sum(counts)
    except ConversionFailed as exc:
        return PaginatedPacket(
            [PaginatedDocument(d) for d in documents],
            None,
            typed,
            [
                _warning(
                    path,
                    f"No PDF could be made ({exc}): the documents are Word files only, "
                    "and the page count of the packet could not be checked.",
                    "pages.unchecked",
                )
            ],
        )
    warnings = []
    if typed is not None and typed != counted:
        warnings.append(
            _warning(
                path,
                f"The packet as rendered has {counted} pages, but {typed} was typed as the total; "
                f"the letter says {typed}. Clear the figure to print the count.",
                "pages.differ",
            )
        )
    elif counted != printed:
        warnings.append(
            _warning(
                path,
                f"The page count did not settle: the letter says {printed}, the packet "
                f"has {counted} pages.",
                "pages.unsettled",
            )
        )
    return PaginatedPacket(
        [PaginatedDocument(d, pdf, n) for d, pdf, n in zip(documents, pdfs, counts, strict=True)],
        counted,
        printed,
        warnings,
    )


async def _convert_all(converter: PdfConverter, documents: list[RenderedDocument]) -> list[bytes]:
    # The converter bounds how many run at once; the rest wait off the event loop.
    return list(await asyncio.gather(*(converter.to_pdf(d.content) for d in documents)))


def _counts(pdfs: list[bytes]) -> list[int]:
    return [page_count(pdf) for pdf in pdfs]


def _warning(path: str, message: str, code: str) -> Problem:
    return Problem(path=path, message=message, severity="warning", code=code)

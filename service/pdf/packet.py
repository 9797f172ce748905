"""PDF files as the packet needs them: joined in order, counted, with their fonts checked."""

from __future__ import annotations

import io
from collections.abc import Iterable


def page_count(pdf: bytes) -> int:
    # pypdf (and Pillow, which it imports) only in processes that read PDFs.
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def join(pdfs: Iterable[bytes]) -> bytes:
    """One PDF holding every page of ``pdfs`` in order (the packet: letter, then certifications)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

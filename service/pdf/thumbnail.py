"""A small picture of a PDF's first page, for the documents page (PDFium, then PNG)."""

from __future__ import annotations

import io

import pypdfium2

# About 150 pixels wide for a Letter page: enough to recognise the layout at a glance.
WIDTH_PIXELS = 150


def first_page_png(pdf: bytes) -> bytes:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        width_points = page.get_width()
        image = page.render(scale=WIDTH_PIXELS / width_points).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()

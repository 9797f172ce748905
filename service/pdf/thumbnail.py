"""A small picture of a PDF's first page, for the documents page."""

from __future__ import annotations

from service.pdf.pdfium import page_pngs

# About 150 pixels wide for a Letter page: enough to recognise the layout at a glance.
WIDTH_PIXELS = 150


def first_page_png(pdf: bytes) -> bytes:
    (png,) = page_pngs(pdf, WIDTH_PIXELS, first_only=True)
    return png

"""Pages of a PDF drawn as pictures with PDFium, one drawing at a time in a process.

PDFium is not thread-safe: two threads inside it at once, even on different documents, crash
the whole process (SIGSEGV or SIGTRAP; seen when the thumbnails of one documents page were drawn
in parallel worker threads, which took the server down mid-download). Every use of PDFium goes
through this module's lock; the PNG encoding, the slower half, runs outside it.
"""

from __future__ import annotations

import io
import threading

_PDFIUM = threading.Lock()


def page_pngs(
    pdf: bytes, width_pixels: int, *, grayscale: bool = False, first_only: bool = False
) -> tuple[bytes, ...]:
    """Each page (or only the first) as a PNG ``width_pixels`` wide."""
    import pypdfium2  # only in processes that draw pages

    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            pages = [document[0]] if first_only else list(document)
            # copy(): to_pil() shares the bitmap's memory, which PDFium frees with the document.
            images = [
                page.render(scale=width_pixels / page.get_width(), grayscale=grayscale)
                .to_pil()
                .copy()
                for page in pages
            ]
        finally:
            document.close()
    pictures = []
    for image in images:
        out = io.BytesIO()
        # zlib's default level, not optimize=True: a letter page of the 2024 packet, 816 px
        # wide in grey, took 86 ms of CPU for 48.7 KiB against 14.5 ms for 49.8 KiB.
        image.save(out, format="PNG")
        pictures.append(out.getvalue())
    return tuple(pictures)

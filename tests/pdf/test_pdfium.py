"""PDFium is entered by one thread at a time, however many draw at once (the thumbnails of a
documents page are drawn in parallel worker threads; two threads inside PDFium at once crash
the whole process with SIGSEGV or SIGTRAP, which took the server down mid-download)."""

from __future__ import annotations

import threading
import time

import pypdfium2

from service.pdf.preview import page_pngs
from service.pdf.thumbnail import first_page_png
from tests.pdf.cases import blank_pdf

PNG = b"\x89PNG\r\n\x1a\n"
THREADS = 6


class Inside:
    """How many threads hold an open PDFium document at once, at most."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.most = 0

    def document(self, real: type) -> type:
        inside = self

        class Watched(real):
            def __init__(self, *args, **kwargs) -> None:
                with inside._lock:
                    inside.now += 1
                    inside.most = max(inside.most, inside.now)
                # Long enough that unguarded threads would be seen inside together.
                time.sleep(0.02)
                super().__init__(*args, **kwargs)

            def close(self) -> None:
                super().close()
                with inside._lock:
                    inside.now -= 1

        return Watched


def test_one_thread_at_a_time_is_inside_pdfium(monkeypatch):
    inside = Inside()
    monkeypatch.setattr(pypdfium2, "PdfDocument", inside.document(pypdfium2.PdfDocument))
    pdf = blank_pdf(3)
    together = threading.Barrier(THREADS)
    drawn: list[bytes] = []

    def draw(number: int) -> None:
        together.wait()
        for _ in range(3):
            drawn.extend(page_pngs(pdf, 100) if number % 2 else [first_page_png(pdf)])

    threads = [threading.Thread(target=draw, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert inside.most == 1
    assert inside.now == 0
    # Three pages from each preview, one from each thumbnail, every one a PNG.
    assert len(drawn) == 3 * (3 * (THREADS // 2) + THREADS // 2)
    assert all(png.startswith(PNG) for png in drawn)

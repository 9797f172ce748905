"""The converter: real LibreOffice output, a crash survived, failures reported, never lost."""

from __future__ import annotations

import io
import os
import signal
import socket
import threading

import pytest
from pypdf import PdfReader

from service.pdf.converter import ConversionFailed, PdfConverter
from service.pdf.packet import join, page_count
from service.pdf.thumbnail import first_page_png
from tests.pdf.conftest import pdf_pages_text
from tests.processes import alive, processes_below
from tests.rendering.conftest import render_packet


@pytest.fixture(scope="module")
def letter_2024(templates, _solar_answers) -> bytes:
    return render_packet(templates, _solar_answers)["cover-letter.docx"][0]


@pytest.fixture(scope="module")
def templates():
    from service.rendering import DocxTemplateFile
    from tests.rendering.conftest import TEMPLATE_NAMES, TEMPLATES

    return {name: DocxTemplateFile(TEMPLATES / name) for name in TEMPLATE_NAMES}


class TestConversion:
    def test_a_letter_page_pdf_with_embedded_fonts_and_searchable_text(
        self, converter, letter_2024
    ):
        pdf = converter.convert(letter_2024)
        reader = PdfReader(io.BytesIO(pdf))
        first = reader.pages[0]
        assert (float(first.mediabox.width), float(first.mediabox.height)) == (612, 792)
        fonts = [
            font.get_object()
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        ]
        assert fonts and all(
            "/FontFile2" in f["/FontDescriptor"] or "/FontFile" in f["/FontDescriptor"]
            for f in fonts
        )
        assert {f["/BaseFont"].split("+")[-1] for f in fonts} >= {
            "LiberationSerif",
            "LiberationSerif-Bold",
        }
        assert "A-555-003" in pdf_pages_text(pdf)[0]

    def test_join_keeps_every_page_in_order(self, converter, letter_2024):
        pdf = converter.convert(letter_2024)
        joined = join([pdf, pdf])
        assert page_count(joined) == 2 * page_count(pdf)
        texts = pdf_pages_text(joined)
        assert texts[0] == texts[page_count(pdf)]

    def test_a_small_picture_of_the_first_page(self, converter, letter_2024):
        png = first_page_png(converter.convert(letter_2024))
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width == 150 and abs(height - 150 * 11 / 8.5) < 1.5  # a Letter page, upright


class TestFailures:
    def test_a_crashed_converter_is_restarted_and_the_job_retried(self, converter, letter_2024):
        converter.convert(letter_2024)
        before, pid = converter.restarts, converter.server_pid
        os.killpg(pid, signal.SIGKILL)
        pdf = converter.convert(letter_2024)
        assert pdf.startswith(b"%PDF") and converter.restarts == before + 1
        assert converter.server_pid not in (None, pid)

    def test_an_unreachable_converter_fails_once_retried_and_says_why(self, letter_2024):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        converter = PdfConverter(f"http://127.0.0.1:{port}", timeout=5)
        with pytest.raises(ConversionFailed, match="could not be reached"):
            converter.convert(letter_2024)
        assert converter.restarts == 1

    def test_a_converter_that_never_answers_is_given_up_after_the_time_limit(self, letter_2024):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        accepted: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            silent.settimeout(0.2)
            while not stop.is_set():
                try:
                    accepted.append(silent.accept()[0])
                except OSError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            converter = PdfConverter(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5)
            with pytest.raises(ConversionFailed, match="did not finish in time"):
                converter.convert(letter_2024)
            assert len(accepted) == 2  # tried, then retried once
        finally:
            stop.set()
            thread.join()
            for connection in accepted:
                connection.close()
            silent.close()


def test_a_letterhead_in_the_first_page_header_prints_on_page_one_only(
    converter, tmp_path, _solar_answers
):
    from adcvd_petition.rules.petition_context import document_context
    from docx import Document

    from service.rendering import DocxTemplateFile
    from tests.rendering.conftest import TEMPLATES

    firm_template = Document(str(TEMPLATES / "cover-letter.docx"))
    header = firm_template.sections[0].first_page_header
    header.paragraphs[0].insert_paragraph_before("WILEY REIN LLP LETTERHEAD")
    path = tmp_path / "cover-letter.docx"
    firm_template.save(str(path))
    letter = DocxTemplateFile(path).render({**document_context(_solar_answers), "packet_pages": 13})
    pages = pdf_pages_text(converter.convert(letter))
    assert "WILEY REIN LLP LETTERHEAD" in pages[0]
    assert len(pages) > 1 and not any("LETTERHEAD" in text for text in pages[1:])
    assert "Re:" in pages[0] and "PUBLIC VERSION" in pages[1]


KILLED_PARENT = """
import os, signal
from service.pdf.converter import EMBEDDED, PdfConverter
from service.settings import Settings
converter = PdfConverter(EMBEDDED, command=Settings().unoserver_command)
converter.convert(open(os.environ["LETTER"], "rb").read())
from tests.processes import processes_below
# The converter and every process under it: unoserver, LibreOffice's launcher, soffice.bin.
print("PIDS", converter.server_pid, *processes_below(converter.server_pid), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_server_killed_outright_takes_its_converter_with_it(tmp_path, letter_2024):
    import subprocess
    import sys
    import time

    from tests.rendering.conftest import REPO

    (tmp_path / "letter.docx").write_bytes(letter_2024)
    finished = subprocess.run(
        [sys.executable, "-c", KILLED_PARENT],
        cwd=REPO,
        env={**os.environ, "LETTER": str(tmp_path / "letter.docx")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == -signal.SIGKILL
    line = next(n for n in finished.stdout.splitlines() if n.startswith("PIDS "))
    started = [int(pid) for pid in line.split()[1:]]
    # LibreOffice itself was running under the converter, not only unoserver.
    assert len(started) >= 3, finished.stdout
    # Waits for the outcome (all of them gone), bounded so that a failure does not hang.
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = {pid: processes_below(1).get(pid) for pid in started if alive(pid)}
    for pid in left:  # not to run on beside the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the server was killed: {left}"


def test_a_warm_up_told_to_wait_starts_nothing_once_stopped(monkeypatch):
    # The app's warm-up waits until its first answers are out; an app stopped before then
    # must not leave a LibreOffice behind.
    from service.pdf.converter import EMBEDDED

    converter = PdfConverter(EMBEDDED, command="unoserver-that-must-not-start")
    started = threading.Event()
    monkeypatch.setattr(converter._embedded, "ensure_started", lambda: started.set())
    warming = converter.warm_up(after=3600)
    converter.stop()
    warming.join(30)
    assert not warming.is_alive() and not started.is_set()
    waiting = PdfConverter(EMBEDDED, command="unoserver-that-must-not-start")
    monkeypatch.setattr(waiting._embedded, "ensure_started", lambda: started.set())
    waiting.warm_up(after=0.05).join(30)
    assert started.is_set()  # not stopped: it starts after its wait

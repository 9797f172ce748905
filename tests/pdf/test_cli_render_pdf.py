"""``python -m service render ANSWERS.json --out DIR --pdf``: .docx, .pdf and packet.pdf."""

from __future__ import annotations

import re

import pytest

from service.cli import main
from tests.pdf.conftest import lines_ending_inside_a_number, pdf_pages_text
from tests.rendering.conftest import REPO

EXAMPLE = REPO / "examples" / "solar-2024.json"


@pytest.mark.slow
def test_render_pdf_writes_each_pdf_and_the_packet_whose_count_is_printed(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("PDF_CONVERTER", raising=False)
    out = tmp_path / "out"
    assert main(["render", str(EXAMPLE), "--out", str(out), "--pdf"]) == 0
    docx = sorted(p.stem for p in out.glob("*.docx"))
    pdf = sorted(p.stem for p in out.glob("*.pdf") if p.name != "packet.pdf")
    assert docx == pdf and len(docx) == 7
    pages = pdf_pages_text((out / "packet.pdf").read_bytes())
    printed = int(re.search(r"Total Pages: (\d+)", pages[0]).group(1))
    assert printed == len(pages)
    for expected in (
        "PUBLIC VERSION",
        "April 24, 2024",
        "The Honorable Gina M. Raimondo",
        "The Honorable Lisa R. Barton",
        "A-555-003",
        "Total Pages",
        "Re:",
    ):
        assert expected in pages[0]
    assert lines_ending_inside_a_number(pages) == []
    assert f"packet.pdf: {len(pages)} pages" in capsys.readouterr().err

"""The service's own packet, rendered from the 2024 example answers and put into one Word file
as a firm would file it, imports back to the same answers.

The titles and countries of Volumes VI-IX, which the letter names only as "Volumes VI through
IX contain the countervailing duty allegations", come back by analogy with Volumes II-V and are
flagged as inferred.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from adcvd_petition.importing import LetterImport, import_letter
from adcvd_petition.rules.petition_context import document_context
from docx import Document
from docxcompose.composer import Composer

from service.rendering import DocxTemplateFile

REPO = Path(__file__).parents[3]
TEMPLATES = REPO / "templates" / "adcvd-petition"


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def packet(example: dict[str, Any]) -> bytes:
    def template(name: str) -> DocxTemplateFile:
        return DocxTemplateFile(TEMPLATES / name)

    # The engine prints the typed page count as packet_pages (see render_packet).
    context = {**document_context(example), "packet_pages": example["filing"]["total_pages"]}
    parts = [template("cover-letter.docx").render(context)]
    company = template("company-certification.docx")
    parts += [
        company.render({**context, "certification": item})
        for item in context["company_certifications"]
    ]
    parts += [
        template("representative-certification.docx").render(context),
        template("counsel-certification.docx").render(context),
    ]
    composer = Composer(Document(io.BytesIO(parts[0])))
    for part in parts[1:]:
        composer.append(Document(io.BytesIO(part)))
    out = io.BytesIO()
    composer.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def imported(packet: bytes) -> LetterImport:
    return import_letter(packet, "packet.docx")


class TestRoundTrip:
    def test_same_answers(self, imported: LetterImport, example: dict[str, Any]) -> None:
        assert imported.answers == example

    def test_the_corrected_example_has_no_inconsistencies(self, imported: LetterImport) -> None:
        assert {n.code for n in imported.notes} == {"import.inferred"}

    def test_nothing_is_missing(self, imported: LetterImport) -> None:
        assert imported.not_found == []

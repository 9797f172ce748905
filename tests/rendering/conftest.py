"""Rendering the petition pack's templates straight from the renderer and the context rule.

These fixtures do not go through the pack loader or the HTTP layer: what is tested here is
the templates, the renderer and ``document_context`` together.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from adcvd_petition.rules.petition_context import document_context

from service.rendering import DocxTemplateFile

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates" / "adcvd-petition"
TEMPLATE_NAMES = (
    "cover-letter.docx",
    "company-certification.docx",
    "representative-certification.docx",
    "counsel-certification.docx",
)

Packet = dict[str, list[bytes]]


@pytest.fixture(scope="session")
def templates() -> dict[str, DocxTemplateFile]:
    return {name: DocxTemplateFile(TEMPLATES / name) for name in TEMPLATE_NAMES}


def render_packet(templates: dict[str, DocxTemplateFile], answers: dict[str, Any]) -> Packet:
    """Every document for the answers, by template, as the pack's interview.yaml lists them."""
    # As the engine does: a typed page count is the figure printed (see render_packet).
    context = {
        **document_context(answers),
        "packet_pages": answers.get("filing", {}).get("total_pages"),
    }
    return {
        "cover-letter.docx": [templates["cover-letter.docx"].render(context)],
        "company-certification.docx": [
            templates["company-certification.docx"].render({**context, "certification": item})
            for item in context["company_certifications"]
        ],
        "representative-certification.docx": [
            templates["representative-certification.docx"].render(context)
        ],
        "counsel-certification.docx": [templates["counsel-certification.docx"].render(context)],
    }


@pytest.fixture
def render(templates: dict[str, DocxTemplateFile]) -> Callable[[dict[str, Any]], Packet]:
    return lambda answers: render_packet(templates, answers)


@pytest.fixture(scope="session")
def packet_2024(templates: dict[str, DocxTemplateFile], _solar_answers: dict[str, Any]) -> Packet:
    return render_packet(templates, _solar_answers)

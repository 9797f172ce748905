"""Apps under test with the run's shared converter (``converter``, tests/conftest.py)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from service.app import create_app
from service.pdf.converter import PdfConverter
from service.settings import Settings
from tests.conftest import bearer


@pytest.fixture
async def pdf_client(
    settings: Settings, admin_key: str, converter: PdfConverter
) -> AsyncIterator[AsyncTestClient]:
    app = create_app(settings, configure_logs=False)
    app.state["pdf_converter"] = converter
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers.update(bearer(admin_key))
        yield test_client


def pdf_pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


# A case, ITC or exhibit number cut at a line end: the line ends with its first part.
BROKEN_NUMBER_AT_LINE_END = re.compile(
    r"(?:\b[AC]-(?:\d{3}-)?|\b\d{3}-(?:TA-)?|\b[IVX]+-|§{1,2}|\bC\.F\.R\.|\bU\.S\.C\.)\s*$"
)


def lines_ending_inside_a_number(pages: list[str]) -> list[str]:
    return [
        line
        for text in pages
        for line in text.splitlines()
        if BROKEN_NUMBER_AT_LINE_END.search(line)
    ]

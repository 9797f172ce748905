"""Apps under test with the run's shared converter (``converter``, tests/conftest.py)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from service.app import create_app
from service.pdf.converter import PdfConverter
from service.settings import Settings
from tests.conftest import bearer

# The apps of these tests, one per settings and test process, as app_for() keeps the suite's
# (building one costs 0.15-0.25 s of CPU): not app_for()'s own, which have no converter.
_APPS: dict[Settings, Any] = {}


@pytest.fixture
async def pdf_client(
    settings: Settings, admin_key: str, converter: PdfConverter
) -> AsyncIterator[AsyncTestClient]:
    """A client of an app that makes PDFs with the run's converter (the app never stops a
    converter put in its state). Started per test, on tables emptied after each."""
    if settings not in _APPS:
        _APPS[settings] = create_app(settings, configure_logs=False)
        _APPS[settings].state["pdf_converter"] = converter
    app = _APPS[settings]
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers.update(bearer(admin_key))
        yield test_client


def pdf_pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


# A case, ITC or exhibit number cut at a line end: the line ends with its first part.
BROKEN_NUMBER_AT_LINE_END = re.compile(
    r"(?:\b[AC]-(?:\d{3}-)?|\b\d{3}-(?:TA-)?|\b[IVX]+-|§{1,2}|\bC\.F\.R\.|\bU\.S\.C\.)\s*$"
)


# A citation cut between its subdivisions: "§ 1677(9)" at a line's end, "(C)." on the next.
_ENDS_WITH_SUBDIVISION = re.compile(r"\w\)\s*$")
_OPENS_WITH_SUBDIVISION = re.compile(r"^\s*\(\w{1,4}\)")


def lines_ending_inside_a_number(pages: list[str]) -> list[str]:
    broken = []
    for text in pages:
        lines = text.splitlines()
        for line, following in zip(lines, [*lines[1:], ""], strict=True):
            if BROKEN_NUMBER_AT_LINE_END.search(line) or (
                _ENDS_WITH_SUBDIVISION.search(line) and _OPENS_WITH_SUBDIVISION.match(following)
            ):
                broken.append(line)
    return broken

"""The documents page in Chromium: generate, see each PDF's first page, download a PDF, and see
the batch marked out of date once an answer changes.

The server's PDFs come from the run's shared converter (unoserver over LibreOffice)."""

from __future__ import annotations

import io
import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import Server
from tests.browser.filling import press, shoot, sign_in_if_asked

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The test process's shared server: this test makes an interview of its own and reads only that one."""
    return shared_server


def api(server: Server, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{server.base_url}/api{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"Bearer {server.first_key()}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def test_generate_see_the_first_pages_and_download_a_pdf(
    page: Page, server: Server, solar_answers: dict, screenshots
):
    session_id = api(
        server, "POST", "/sessions", {"pack": "adcvd-petition", "answers": solar_answers}
    )["id"]
    page.goto(f"/sessions/{session_id}/documents")
    sign_in_if_asked(page, server.first_key())
    page.goto(f"/sessions/{session_id}/documents")
    expect(page.get_by_text("No documents made yet.")).to_be_visible()
    # The progress line is there, hidden until the form is sent (documents.js shows it).
    expect(page.locator("#generate-progress")).to_be_hidden()
    press(page, page.get_by_role("button", name="Generate the documents"))

    rows = page.locator("table.documents tbody tr")
    expect(rows).to_have_count(7)
    expect(page.locator("table.documents img.thumbnail")).to_have_count(7)
    # Before its picture arrives, each takes a letter page's place (75 × 97), not a line that
    # grows into a page: the same picture without its source is laid out at that size.
    placeholder = page.evaluate(
        """() => {
            const copy = document.querySelector('img.thumbnail').cloneNode();
            copy.removeAttribute('src');
            document.querySelector('table.documents td').prepend(copy);
            const box = copy.getBoundingClientRect();
            copy.remove();
            return [box.width, box.height];
        }"""
    )
    assert [round(side) for side in placeholder] == [
        75,
        96,
    ]  # 75 wide, a letter page high (the border inside the width)
    # Every picture loaded: the browser decoded a real image for each.
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.thumbnail')].every(i => i.complete && i.naturalWidth === 150)"
    )
    expect(page.get_by_role("link", name="Download the packet as one PDF")).to_be_visible()
    shoot(page, screenshots, "documents-with-pdfs")

    with page.expect_download() as downloading:
        rows.first.get_by_role("link", name=re.compile("^PDF")).click()
    download = downloading.value
    assert download.suggested_filename == "Cover Letter.pdf"
    reader = PdfReader(io.BytesIO(server.downloaded(download)))
    first_page = reader.pages[0].extract_text()
    assert (
        "PUBLIC VERSION" in first_page and "Total Pages: 13" in first_page and "Re:" in first_page
    )

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the packet as one PDF").click()
    packet = PdfReader(io.BytesIO(server.downloaded(downloading.value)))
    assert len(packet.pages) == 13

    # An answer changes: the batch is out of date, in a warning, with the button beside it.
    api(
        server,
        "PATCH",
        f"/sessions/{session_id}/answers",
        {"product": {"short_name": "solar cells"}},
    )
    page.reload()
    warning = page.locator("section.out-of-date")
    expect(warning).to_contain_text("These documents are out of date")
    expect(page.get_by_role("button", name="Generate the documents again")).to_be_visible()
    assert page.locator("p.notice").count() == 0  # nothing shown in the success style
    shoot(page, screenshots, "documents-out-of-date")

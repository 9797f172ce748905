"""The review page in Chromium: the pictures of the documents' pages load after the page (htmx),
are real images, pass axe-core, and are drawn again after a change.

The server's PDFs come from the run's shared converter (unoserver over LibreOffice)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server
from tests.browser.filling import shoot
from tests.browser.test_documents_pdf import api
from tests.browser.test_interview_web import axe_violations, open_session

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The test process's shared server: this test makes an interview of its own and reads only that one."""
    return shared_server


LOADED = "() => { const i = [...document.querySelectorAll('img.preview-page')]; return i.length > 0 && i.every(p => p.complete && p.naturalWidth === 816); }"


def shown_pages(page: Page) -> list[str]:
    # The first picture of a process waits for LibreOffice to start.
    page.wait_for_function(LOADED, timeout=90_000)
    return page.locator("img.preview-page").evaluate_all(
        "images => images.map(i => i.getAttribute('src'))"
    )


def test_the_review_page_shows_the_documents_as_they_will_look(
    page: Page, server: Server, solar_answers: dict, screenshots
):
    session = open_session(page, server, solar_answers)
    page.goto(f"{session}/review")
    expect(page.get_by_role("heading", name="How the documents will look")).to_be_visible()
    before = shown_pages(page)
    expect(page.get_by_role("heading", name="Cover letter (public version)")).to_be_visible()
    assert (
        page.locator("img.preview-page")
        .first.get_attribute("alt")
        .startswith("Cover letter (public version), page 1 of")
    )
    page.get_by_role("link", name="See how the documents will look").click()
    page.screenshot(path=str(screenshots / "review-preview-first-page.png"))
    shoot(page, screenshots, "review-preview")
    assert axe_violations(page) == []

    api(server, "PATCH", f"{session}/answers", {"product": {"short_name": "solar cells"}})
    page.reload()
    after = shown_pages(page)
    assert len(after) == len(before) and after[0] != before[0]
    page.locator("#preview").scroll_into_view_if_needed()
    shoot(page, screenshots, "review-preview-after-a-change")

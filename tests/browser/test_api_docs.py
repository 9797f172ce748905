"""The API's viewer at /schema/swagger works in a real browser from this site's own files, under
the same Content-Security-Policy as every page: nothing is fetched from another host, and the
browser reports no blocked script or style."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server
from tests.browser.filling import shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The test process's shared server: this test reads the API viewer and makes no interview."""
    return shared_server


def test_the_api_viewer_runs_from_this_site_alone(page: Page, server: Server, screenshots):
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: complaints.append(message.text) if message.type == "error" else None,
    )

    response = page.goto("/schema/swagger")

    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operation = page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/sessions$"))
    expect(operation.first).to_be_visible()
    expect(page.locator(".opblock-post .opblock-summary-path").first).to_be_visible()
    shoot(page, screenshots, "api-viewer")
    assert hosts == {urlsplit(server.base_url).netloc}
    assert complaints == []

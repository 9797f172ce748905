"""HEAD where GET works, with GET's headers and no body; OPTIONS names every method of a path."""

from __future__ import annotations

import pytest


@pytest.fixture
async def session_id(client):
    return (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()["id"]


class TestHead:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/sessions",
            "/api/sessions/{id}",
            "/api/sessions/{id}/documents",
            "/healthz",
            "/",
            "/sign-in",
            "/api/packs",
        ],
    )
    async def test_head_answers_as_get_without_the_body(self, client, session_id, path):
        path = path.format(id=session_id)
        got = await client.get(path)
        head = await client.head(path)
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == got.headers["content-length"]
        assert head.headers["content-type"] == got.headers["content-type"]

    async def test_head_where_there_is_no_get_is_still_405(self, client, session_id):
        assert (await client.head(f"/api/sessions/{session_id}/answers")).status_code == 405

    async def test_head_needs_the_read_scope_as_get_does(self, client, session_id, make_key):
        from tests.conftest import bearer

        writer = await make_key(scopes="write")
        assert (await client.head("/api/sessions", headers=bearer(writer))).status_code == 403


class TestOptions:
    @pytest.mark.parametrize(
        ("path", "methods"),
        [
            ("/api/sessions", "GET, HEAD, OPTIONS, POST"),
            ("/api/sessions/{id}", "DELETE, GET, HEAD, OPTIONS"),
            ("/api/sessions/{id}/answers", "OPTIONS, PATCH"),
            ("/api/webhooks", "GET, HEAD, OPTIONS, POST"),
            ("/sign-in", "GET, HEAD, OPTIONS, POST"),
        ],
    )
    async def test_every_method_of_the_path_is_listed(self, client, session_id, path, methods):
        response = await client.options(path.format(id=session_id))
        assert response.status_code == 204
        assert response.headers["allow"] == methods

    async def test_an_unknown_path_is_404(self, client):
        assert (await client.options("/api/nothing-here")).status_code == 404

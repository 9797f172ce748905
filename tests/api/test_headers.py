"""No header makes a 500: malformed or oversized headers are a 400 problem (or are ignored)."""

from __future__ import annotations

import pytest

PROBLEM_JSON = "application/problem+json"

MALFORMED = {
    "If-Match": ["1" * 4301, '"' + "9" * 30 + '"', '"\u0663"', "\u00ff"],
    "Idempotency-Key": ["x" * 100_000, "\u00e9"],
    "Cookie": ["fa_session=" + "x" * 10_000, "=;=;;", 'fa_csrf="unterminated'],
    "Content-Type": [
        "application/json; charset=bogus",
        "multipart/form-data; boundary=",
        "\u00ff/\u00ff",
    ],
    "Accept": ["*/*;q=x", "\u00ff"],
    "X-Request-ID": ["\r", "x" * 1000],
    "Authorization": ["Bearer \u00ff", "Bearer fa_" + "a" * 5000],
    "Origin": ["\u00ff", "null", "http://[::1"],
    "Referer": ["http://[::1", "\u00ff"],
    "Range": ["bytes=0-1000000000000000000000000000", "bytes=-"],
    "If-None-Match": ["9" * 5000],
}


class TestMalformedHeaders:
    async def test_the_long_if_match_is_a_400_naming_it(self, client):
        session_id = (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()[
            "id"
        ]
        for method, path, body in (("PATCH", "answers", {}), ("POST", "reply", {"text": "help"})):
            response = await client.request(
                method,
                f"/api/sessions/{session_id}/{path}",
                json=body,
                headers={"If-Match": "1" * 4301},
            )
            assert response.status_code == 400, response.text
            assert response.headers["content-type"].startswith(PROBLEM_JSON)
            assert "If-Match" in response.json()["detail"]
            assert len(response.text) < 1000

    @pytest.mark.parametrize("header", sorted(MALFORMED))
    async def test_no_route_answers_a_malformed_header_with_a_server_error(self, client, header):
        session_id = (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()[
            "id"
        ]
        routes = [
            ("GET", "/api/sessions"),
            ("GET", f"/api/sessions/{session_id}"),
            ("PATCH", f"/api/sessions/{session_id}/answers"),
            ("POST", f"/api/sessions/{session_id}/reply"),
            ("POST", "/api/sessions"),
            ("POST", "/api/sessions/import"),
            ("GET", f"/api/sessions/{session_id}/documents.zip"),
            ("GET", "/"),
            ("POST", "/sign-in"),
        ]
        for value in MALFORMED[header]:
            for method, path in routes:
                response = await client.request(
                    method,
                    path,
                    headers={header: value.encode("utf-8")},
                    content=None if method == "GET" else b'{"text": "x"}',
                )
                assert response.status_code < 500, (
                    header,
                    value[:20],
                    method,
                    path,
                    response.text[:200],
                )
                if response.status_code == 400 and path.startswith("/api"):
                    assert response.headers["content-type"].startswith(PROBLEM_JSON)

"""Limits on what a request may carry, each answered with a clear problem, never a 500: the
body's size, the length of a text, the number of repeated items, the depth of nesting, and
bodies that are not JSON at all."""

import dataclasses
import json

import pytest
from litestar.testing import AsyncTestClient

from service.api.bodies import MAX_DEPTH
from tests.conftest import app_for, bearer

PROBLEM_JSON = "application/problem+json"


async def new_session(client) -> str:
    return (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()["id"]


def assert_problem(response, status):
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


class TestBodySize:
    @pytest.fixture
    async def small(self, settings, admin_key):
        app = app_for(dataclasses.replace(settings, max_body_bytes=20_000))
        async with AsyncTestClient(app=app) as client:
            client.headers.update(bearer(admin_key))
            yield client

    async def test_a_body_over_the_limit_is_413(self, small):
        session_id = await new_session(small)
        too_big = json.dumps({"counsel": {"address": "x" * 30_000}})
        for response in (
            await small.patch(
                f"/api/sessions/{session_id}/answers",
                content=too_big,
                headers={"Content-Type": "application/json"},
            ),
            await small.post(
                "/api/sessions", content=too_big, headers={"Content-Type": "application/json"}
            ),
            await small.post(f"/api/sessions/{session_id}/reply", json={"text": "x" * 30_000}),
            await small.post("/api/sessions/import", files={"file": ("letter.txt", b"x" * 30_000)}),
        ):
            body = assert_problem(response, 413)
            assert "MAX_BODY_BYTES" in body["detail"]
        assert (await small.get(f"/api/sessions/{session_id}")).json()["revision"] == 1

    async def test_a_body_under_the_limit_is_read(self, small):
        session_id = await new_session(small)
        response = await small.patch(
            f"/api/sessions/{session_id}/answers", json={"counsel": {"address": "x" * 1_000}}
        )
        assert response.status_code == 200


class TestTextLength:
    @pytest.mark.parametrize(
        ("group", "field", "length", "limit"),
        [
            ("counsel", "firm", 10_000, 200),  # a name
            ("product", "name", 10_000, 500),  # a line
            ("counsel", "address", 10_000, 2_000),  # a block
            ("counsel", "address", 2_001, 2_000),
        ],
    )
    async def test_too_long_a_text_is_refused_saying_the_limit(
        self, client, group, field, length, limit
    ):
        session_id = await new_session(client)
        response = await client.patch(
            f"/api/sessions/{session_id}/answers", json={group: {field: "x" * length}}
        )
        (error,) = assert_problem(response, 422)["errors"]
        assert error["path"] == f"{group}.{field}"
        assert f"is too long: at most {limit} characters, this one has {length}" in error["message"]

    async def test_at_the_limit_is_taken(self, client):
        session_id = await new_session(client)
        response = await client.patch(
            f"/api/sessions/{session_id}/answers",
            json={"counsel": {"firm": "W" * 200, "address": "A" * 2000}},
        )
        assert response.status_code == 200


class TestRepeatedItems:
    @pytest.mark.parametrize(
        ("patch", "path", "limit"),
        [
            ({"countries": [{"name": f"Country {i}"} for i in range(41)]}, "countries", 40),
            (
                {"counsel": {"attorneys": [{"name": f"Attorney {i}"} for i in range(51)]}},
                "counsel.attorneys",
                50,
            ),
            (
                {"coalition": {"members": [{"name": f"Member {i}"} for i in range(201)]}},
                "coalition.members",
                200,
            ),
        ],
    )
    async def test_too_many_items_are_refused(self, client, patch, path, limit):
        session_id = await new_session(client)
        body = assert_problem(
            await client.patch(f"/api/sessions/{session_id}/answers", json=patch), 422
        )
        assert [e["path"] for e in body["errors"]] == [path]
        assert f"at most {limit}" in body["errors"][0]["message"]

    async def test_a_page_list_may_not_be_endless(self, client):
        session_id = await new_session(client)
        patch = {"volumes": [{"bpi_items": [{"pages": list(range(1, 5_002))}]}]}
        body = assert_problem(
            await client.patch(f"/api/sessions/{session_id}/answers", json=patch), 422
        )
        assert "volumes[0].bpi_items[0].pages" in [e["path"] for e in body["errors"]]


class TestMalformedBodies:
    @pytest.mark.parametrize(
        ("content", "content_type"),
        [
            (b'{"filing": ', "application/json"),  # cut short
            (b"not json", "application/json"),
            (b'{"filing": {"version": "\xff\xfe"}}', "application/json"),  # not UTF-8
            (b'{"counsel": {"firm": "\\ud800"}}', "application/json"),  # a lone surrogate
            (b'{"filing": {"total_pages": NaN}}', "application/json"),
            (b'{"filing": {"total_pages": 1e400}}', "application/json"),
            (b"[" * 100_000 + b"]" * 100_000, "application/json"),
            (b'{"a":' * 900 + b"1" + b"}" * 900, "application/json"),
            (
                b'{"countries": ' + b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1) + b"}",
                "application/json",
            ),
            (b'["not", "an", "object"]', "application/json"),
            (b"filing=1", "application/x-www-form-urlencoded"),
            (b"", "application/json"),
        ],
    )
    async def test_is_a_400_problem(self, client, content, content_type):
        session_id = await new_session(client)
        response = await client.patch(
            f"/api/sessions/{session_id}/answers",
            content=content,
            headers={"Content-Type": content_type},
        )
        assert_problem(response, 400)
        assert (await client.get(f"/api/sessions/{session_id}")).json()["revision"] == 1

    @pytest.mark.parametrize(
        "content",
        [
            b'{"pack": 7}',
            b'{"pack": "adcvd-petition", "answers": [1]}',
            b"[1, 2]",
            b'{"a":' * 5000 + b"1" + b"}" * 5000,
        ],
    )
    async def test_a_bad_create_is_a_400_problem_with_paths(self, client, content):
        response = await client.post(
            "/api/sessions", content=content, headers={"Content-Type": "application/json"}
        )
        body = assert_problem(response, 400)
        if b"pack" in content:
            assert body["errors"][0]["path"] in ("pack", "answers")

    async def test_a_huge_number_is_refused_as_a_value(self, client):
        session_id = await new_session(client)
        response = await client.patch(
            f"/api/sessions/{session_id}/answers",
            content=b'{"filing": {"total_pages": ' + b"9" * 400 + b"}}",
            headers={"Content-Type": "application/json"},
        )
        assert assert_problem(response, 422)["errors"][0]["path"] == "filing.total_pages"

    async def test_an_unknown_question_is_named(self, client):
        session_id = await new_session(client)
        response = await client.patch(
            f"/api/sessions/{session_id}/answers", json={f"question_{i}": 1 for i in range(500)}
        )
        body = assert_problem(response, 422)
        assert len(body["errors"]) == 500

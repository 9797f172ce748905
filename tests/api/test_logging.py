"""Logs: JSON lines with dotted event names and a request id on every line; answers never."""

import json

import structlog

from service.logging import configure_logging

SECRET = "Very Confidential Product Name 4711"


class TestRequestLogs:
    async def test_lines_carry_the_request_id_and_never_the_answers(self, client, capsys):
        configure_logging("INFO", "json")
        try:
            created = await client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": {"product": {"name": SECRET}}},
                headers={"X-Request-ID": "req-abc.123"},
            )
            assert created.headers["x-request-id"] == "req-abc.123"
            await client.patch(
                f"/api/sessions/{created.json()['id']}/answers",
                json={"product": {"short_name": SECRET}},
            )
            lines = [
                json.loads(line)
                for line in capsys.readouterr().err.splitlines()
                if line.startswith("{")
            ]
        finally:
            structlog.reset_defaults()
        events = [line["event"] for line in lines]
        assert (
            "session.created" in events
            and "session.answers.saved" in events
            and "http.request.completed" in events
        )
        first_request = [line for line in lines if line.get("request_id") == "req-abc.123"]
        assert {"session.created", "http.request.completed"} <= {
            line["event"] for line in first_request
        }
        assert all("." in event for event in events)
        assert SECRET not in json.dumps(lines)

    async def test_a_forged_request_id_is_replaced(self, client):
        response = await client.get("/api/packs", headers={"X-Request-ID": "bad\nid with spaces"})
        assert response.headers["x-request-id"] != "bad\nid with spaces"
        assert len(response.headers["x-request-id"]) == 32

    async def test_each_request_without_an_id_is_given_its_own(self, client):
        given = {(await client.get("/api/packs")).headers["x-request-id"] for _ in range(20)}
        assert len(given) == 20
        assert all(len(each) == 32 and int(each, 16) >= 0 for each in given)


class TestServerErrors:
    async def test_a_500_is_problem_json_and_logged_at_error_level_with_its_request_id(
        self, client, capsys, monkeypatch
    ):
        from service.sessions.service import SessionService

        async def broken(self, *args, **kwargs):
            raise ValueError(SECRET)

        monkeypatch.setattr(SessionService, "page", broken)
        configure_logging("INFO", "json")
        try:
            response = await client.get("/api/sessions", headers={"X-Request-ID": "req-500"})
            lines = [
                json.loads(line)
                for line in capsys.readouterr().err.splitlines()
                if line.startswith("{")
            ]
        finally:
            structlog.reset_defaults()
        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["request_id"] == "req-500"
        (failure,) = [line for line in lines if line["event"] == "http.request.failed"]
        assert failure["level"] == "error"
        assert failure["request_id"] == "req-500"
        assert failure["error"] == "ValueError"
        assert SECRET not in json.dumps(lines)

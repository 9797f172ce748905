"""A request's body is decoded, and the answers it brings checked, where no event loop runs: a
large body never stops the server answering others (issue 12: /healthz under the largest
PATCH). Asserted as where the work ran, not as how long anything took. A small PATCH is the
exception: worked out on the loop, it costs less than a trip to a thread."""

import asyncio

import pytest

from service.api import bodies
from service.sessions import service as sessions
from service.storage import session_writes


def on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def where_a_patch_ran(client, monkeypatch) -> dict[str, list[bool]]:
    """For one PATCH of one answer: whether its body was decoded, and the engine ran, on an
    event loop (each entry one call)."""
    ran: dict[str, list[bool]] = {"decode": [], "engine": []}
    decode, apply = bodies._decode_checked, sessions._applied

    def watched_decode(*args):
        ran["decode"].append(on_an_event_loop())
        return decode(*args)

    def watched_apply(*args):
        ran["engine"].append(on_an_event_loop())
        return apply(*args)

    created = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": {}})
    assert created.status_code == 201, created.text
    monkeypatch.setattr(bodies, "_decode_checked", watched_decode)
    monkeypatch.setattr(sessions, "_applied", watched_apply)
    response = await client.patch(
        f"/api/sessions/{created.json()['id']}/answers", json={"filing": {"total_pages": 13}}
    )
    assert response.status_code == 200, response.text
    assert response.json()["answers"]["filing"] == {"total_pages": 13}
    return ran


async def test_a_large_patch_is_decoded_and_checked_off_the_event_loop(client, monkeypatch):
    # Every session and body counts as large here, on either database.
    monkeypatch.setattr(session_writes, "ON_LOOP_BYTES", -1)
    ran = await where_a_patch_ran(client, monkeypatch)
    assert ran == {"decode": [False], "engine": [False]}


async def test_a_small_patch_is_worked_out_on_the_loop(client, monkeypatch):
    ran = await where_a_patch_ran(client, monkeypatch)
    assert ran == {"decode": [True], "engine": [True]}


# A PATCH of answers reads its body itself (service.api.bodies.ObjectBodyReading), off the event
# loop, in the thread that works out the write. Its refusals are those Litestar gave when it read
# the body for the handler, word for word and in the same order (recorded from that handler).
DEEP = b'{"a":' * 70 + b"1" + b"}" * 70


@pytest.mark.parametrize(
    ("body", "headers", "answer"),
    [
        (
            b"[1]",
            {},
            '{"status":400,"title":"Bad Request","detail":"Validation failed for PATCH /api/sessions/<ID>/answers","errors":[{"path":"data","message":"data: Expected `object`, got `array`","severity":"error","code":"request.body"}]}',
        ),
        (
            b'"x"',
            {},
            '{"status":400,"title":"Bad Request","detail":"Validation failed for PATCH /api/sessions/<ID>/answers","errors":[{"path":"data","message":"data: Expected `object`, got `str`","severity":"error","code":"request.body"}]}',
        ),
        (
            b"null",
            {},
            '{"status":400,"title":"Bad Request","detail":"Validation failed for PATCH /api/sessions/<ID>/answers","errors":[{"path":"data","message":"data: Expected `object`, got `null`","severity":"error","code":"request.body"}]}',
        ),
        (
            b"1",
            {},
            '{"status":400,"title":"Bad Request","detail":"Validation failed for PATCH /api/sessions/<ID>/answers","errors":[{"path":"data","message":"data: Expected `object`, got `int`","severity":"error","code":"request.body"}]}',
        ),
        (
            b"",
            {},
            '{"status":400,"title":"Bad Request","detail":"Validation failed for PATCH /api/sessions/<ID>/answers","errors":[{"path":"data","message":"data: \'data\'","severity":"error","code":"request.body"}]}',
        ),
        (b"{", {}, '{"status":400,"title":"Bad Request","detail":"Input data was truncated"}'),
        (
            b'{"a": "\xff"}',
            {},
            '{"status":400,"title":"Bad Request","detail":"Invalid UTF-8 encoded string"}',
        ),
        (
            DEEP,
            {},
            '{"status":400,"title":"Bad Request","detail":"The JSON body is nested too deeply; at most 32 levels are accepted."}',
        ),
        (
            b'{"filing": {"total_pages": 3}}',
            {"If-Match": "abc"},
            '{"status":400,"title":"Bad Request","detail":"If-Match must be an ETag this API gave, such as \\"3\\"; got \'abc\'"}',
        ),
        (
            b"{",
            {"If-Match": "abc"},
            '{"status":400,"title":"Bad Request","detail":"Input data was truncated"}',
        ),
        (
            b"[1]",
            {"If-Match": "abc"},
            '{"status":400,"title":"Bad Request","detail":"If-Match must be an ETag this API gave, such as \\"3\\"; got \'abc\'"}',
        ),
    ],
)
async def test_a_patch_refuses_a_body_as_litestar_did(client, body, headers, answer):
    created = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": {}})
    session_id = created.json()["id"]
    response = await client.patch(
        f"/api/sessions/{session_id}/answers",
        content=body,
        headers={"Content-Type": "application/json", **headers},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.text == answer.replace("<ID>", session_id)


async def test_the_schema_still_declares_the_patch_body(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/sessions/{session_id}/answers"]["patch"]
    assert operation["requestBody"] == {
        "content": {
            "application/json": {
                "schema": {
                    "additionalProperties": {},
                    "description": "Answers to merge; null removes an answer",
                    "type": "object",
                }
            }
        },
        "required": True,
    }

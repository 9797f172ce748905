"""A request's body is decoded, and the answers it brings checked, where no event loop runs: a
large body never stops the server answering others (issue 12: /healthz under the largest
PATCH). Asserted as where the work ran, not as how long anything took."""

import asyncio

from service.api import bodies
from service.sessions import service as sessions


def on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def test_a_patch_is_decoded_and_checked_off_the_event_loop(client, monkeypatch):
    ran: dict[str, list[bool]] = {"decode": [], "engine": []}
    decode, apply = bodies._decode_checked, sessions._applied

    def watched_decode(*args):
        ran["decode"].append(on_an_event_loop())
        return decode(*args)

    def watched_apply(*args):
        ran["engine"].append(on_an_event_loop())
        return apply(*args)

    monkeypatch.setattr(bodies, "_decode_checked", watched_decode)
    monkeypatch.setattr(sessions, "_applied", watched_apply)
    created = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": {}})
    assert created.status_code == 201, created.text
    response = await client.patch(
        f"/api/sessions/{created.json()['id']}/answers", json={"filing": {"total_pages": 13}}
    )
    assert response.status_code == 200, response.text
    assert response.json()["answers"]["filing"] == {"total_pages": 13}
    # Both ran for this PATCH (the create's body too), and never on a loop.
    assert ran["engine"] == [False]
    assert ran["decode"] and not any(ran["decode"])

"""A PATCH that completes an interview records ``session.completed`` with its write, also when
the write is made without the ORM (service.sessions.stored_patch): the same deliveries, to the
same webhooks, with the same payload, as the ordinary path's; and they are sent."""

from __future__ import annotations

import copy
import json
import uuid

from service.storage.session_writes import SESSION_WRITES_STATE_KEY
from tests.api.test_stored_patch import SOLAR, rows
from tests.conftest import bearer
from tests.webhooks.conftest import register
from tests.webhooks.test_delivery import idle


class TestCompletion:
    async def test_the_event_is_recorded_with_the_write_as_the_ordinary_path_records_it(
        self,
        hook_client,
        receiver,
        admin_key,
        database_url,
        make_key,
        monkeypatch,
        ordinary_patches,
    ):
        client = hook_client
        owner_key = await make_key("portal", owner="firm-a", scopes="read,write")
        other_key = await make_key("elsewhere", owner="firm-b", scopes="read,write")
        hears = await register(client, owner_key, receiver.url, ["session.completed"])
        deaf = await register(client, owner_key, receiver.url, ["documents.generated"])
        stranger = await register(client, other_key, receiver.url, ["session.completed"])
        admin = await register(client, admin_key, receiver.url, ["session.completed"])
        incomplete = copy.deepcopy(SOLAR)
        counsel = incomplete.pop("counsel")

        async def complete() -> tuple[str, dict]:
            created = await client.post(
                "/api/sessions",
                json={"pack": "adcvd-petition", "answers": incomplete},
                headers=bearer(owner_key),
            )
            session_id = created.json()["id"]
            patched = await client.patch(
                f"/api/sessions/{session_id}/answers",
                json={"counsel": counsel},
                headers=bearer(owner_key),
            )
            assert patched.json()["status"] == "complete"
            return session_id, patched.json()

        fast_id, fast = await complete()
        assert ordinary_patches == []
        monkeypatch.setitem(client.app.state, SESSION_WRITES_STATE_KEY, None)
        ordinary_id, ordinary = await complete()
        assert len(ordinary_patches) == 1

        async def deliveries(session_id: str) -> list[tuple]:
            # What a delivery is when written (the dispatcher may have tried one since).
            found = await rows(
                database_url, "SELECT webhook_id, event, payload, event_id FROM webhook_delivery"
            )
            return sorted(
                (
                    (as_uuid(r[0]), r[1], json.loads(r[2]), as_uuid(r[3]))
                    for r in found
                    if json.loads(r[2])["data"]["session_id"] == session_id
                ),
                key=lambda r: str(r[0]),
            )

        fast_rows, ordinary_rows = await deliveries(fast_id), await deliveries(ordinary_id)
        # The owner's webhook of that event and the admin key's; not the others.
        assert [r[0] for r in fast_rows] == [r[0] for r in ordinary_rows]
        assert {str(r[0]) for r in fast_rows} == {hears["id"], admin["id"]}
        assert {deaf["id"], stranger["id"]}.isdisjoint({str(r[0]) for r in fast_rows})
        for mine, theirs in zip(fast_rows, ordinary_rows, strict=True):
            assert mine[1] == theirs[1] == "session.completed"
            payload, other = mine[2], theirs[2]
            assert list(payload) == list(other) == ["id", "type", "created_at", "data"]
            assert payload["type"] == other["type"] == "session.completed"
            assert payload["id"] == str(mine[3])
            assert payload["data"] == {
                **other["data"],
                "session_id": fast_id,
                "url": f"/api/sessions/{fast_id}",
            }
            assert payload["data"]["revision"] == fast["revision"] == ordinary["revision"]
        # One event: the same id on every delivery of it.
        assert len({r[3] for r in fast_rows}) == 1
        # Sent, as the ordinary path's are: two events, each to both listeners.
        await idle(client)
        sent = [r.payload["data"]["session_id"] for r in await receiver.wait_for(4)]
        assert sorted(sent) == sorted([fast_id, fast_id, ordinary_id, ordinary_id])


def as_uuid(value) -> uuid.UUID:
    return uuid.UUID(bytes=value) if isinstance(value, bytes) else uuid.UUID(str(value))

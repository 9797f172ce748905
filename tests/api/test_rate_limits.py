"""Imports and generations are limited per key, in a store that server processes share."""

from __future__ import annotations

import dataclasses

from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.conftest import bearer


async def generate(client, key, session_id):
    return await client.post(f"/api/sessions/{session_id}/documents", headers=bearer(key))


class TestRateLimits:
    async def test_a_key_over_the_limit_gets_429_with_retry_after_and_others_do_not(
        self, settings, make_key, solar_answers
    ):
        limited = dataclasses.replace(settings, costly_requests_per_minute=3)
        ann, bob = await make_key(owner="ann"), await make_key(owner="bob")
        # Two apps over the same database: two server processes, sharing the count.
        first, second = (
            AsyncTestClient(app=create_app(limited, configure_logs=False)) for _ in range(2)
        )
        async with first, second:
            session_id = (
                await first.post(
                    "/api/sessions",
                    json={"pack": "adcvd-petition", "answers": solar_answers},
                    headers=bearer(ann),
                )
            ).json()["id"]
            assert (await generate(first, ann, session_id)).status_code == 201
            assert (await generate(second, ann, session_id)).status_code == 201
            assert (await generate(first, ann, session_id)).status_code == 201
            refused = await generate(second, ann, session_id)
            assert refused.status_code == 429
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert 1 <= int(refused.headers["retry-after"]) <= 60
            imported = await second.post(
                "/api/sessions/import",
                files={"file": ("letter.txt", b"Dear Secretary")},
                headers=bearer(ann),
            )
            assert imported.status_code == 429
            # Reading is not limited, and another key has its own count.
            assert (
                await first.get(f"/api/sessions/{session_id}/documents", headers=bearer(ann))
            ).status_code == 200
            bobs = (
                await first.post(
                    "/api/sessions",
                    json={"pack": "adcvd-petition", "answers": solar_answers},
                    headers=bearer(bob),
                )
            ).json()["id"]
            assert (await generate(first, bob, bobs)).status_code == 201

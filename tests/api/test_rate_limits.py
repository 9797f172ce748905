"""Imports and generations are limited per key, in a store that server processes share."""

from __future__ import annotations

import dataclasses

import pytest
import redis.asyncio
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.settings import Settings
from tests.conftest import bearer

# The machine's Redis (CI runs on the same kind of machine); each test's key id keeps its count apart.
REDIS = "redis://127.0.0.1:6379/0"


async def generate(client, key, session_id):
    return await client.post(f"/api/sessions/{session_id}/documents", headers=bearer(key))


def two_servers(settings):
    """Two apps over the same database: two server processes."""
    return (AsyncTestClient(app=create_app(settings, configure_logs=False)) for _ in range(2))


async def start(client, key, answers) -> str:
    created = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}, headers=bearer(key)
    )
    return created.json()["id"]


class TestRateLimits:
    async def test_a_key_over_the_limit_gets_429_with_retry_after_and_others_do_not(
        self, settings, make_key, solar_answers
    ):
        limited = dataclasses.replace(settings, costly_requests_per_minute=3)
        ann, bob = await make_key(owner="ann"), await make_key(owner="bob")
        # Two server processes, sharing the count.
        first, second = two_servers(limited)
        async with first, second:
            session_id = await start(first, ann, solar_answers)
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
            bobs = await start(first, bob, solar_answers)
            assert (await generate(first, bob, bobs)).status_code == 201


class TestSharedByEveryMachine:
    """RATE_LIMIT_STORE=redis://…: servers on several machines (each with its own folders) count
    one key's requests together, in the Redis they share."""

    async def test_two_servers_share_one_count_in_redis(self, settings, make_key, solar_answers):
        shared = dataclasses.replace(settings, costly_requests_per_minute=2, rate_limit_store=REDIS)
        ann = await make_key(owner="ann")
        first, second = two_servers(shared)
        async with first, second:
            session_id = await start(first, ann, solar_answers)
            assert (await generate(first, ann, session_id)).status_code == 201
            assert (await generate(second, ann, session_id)).status_code == 201
            assert (await generate(first, ann, session_id)).status_code == 429

        # The count is Redis's, under the caller's key id, expiring within the minute.
        key_id = ann.split("_")[1]
        client = redis.asyncio.Redis.from_url(REDIS)
        try:
            names = [name async for name in client.scan_iter(f"rate-limits*{key_id}*")]
            assert len(names) == 1
            assert 0 < await client.ttl(names[0]) <= 60
        finally:
            await client.aclose()


def test_a_rate_limit_store_that_is_not_redis_is_refused():
    with pytest.raises(ValueError, match="RATE_LIMIT_STORE must be empty or a redis:// URL"):
        Settings.from_env({"RATE_LIMIT_STORE": "memcached://127.0.0.1"})

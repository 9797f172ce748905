from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator

import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import app_for, bearer
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def webhook_settings(settings):
    """Retries in tens of milliseconds, so that tests see several attempts; the receivers of the
    tests run on 127.0.0.1, which a firm allows as it would its own portal."""
    return dataclasses.replace(
        settings,
        webhook_backoff_ms=50,
        webhook_max_attempts=3,
        webhook_timeout_seconds=10,
        webhook_allowed_hosts="127.0.0.1",
    )


@pytest.fixture
async def hook_client(webhook_settings, admin_key) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=app_for(webhook_settings)) as test_client:
        test_client.headers.update(bearer(admin_key))
        yield test_client


async def register(
    client, key: str, url: str, events=("session.completed", "documents.generated")
) -> dict:
    response = await client.post(
        "/api/webhooks", json={"url": url, "events": list(events)}, headers=bearer(key)
    )
    assert response.status_code == 201, response.text
    return response.json()

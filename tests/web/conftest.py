"""Clients of the web pages: the petition app of the suite, and one whose only pack is the
small test pack, to show that the pages come from a pack's definition and nothing else."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from service.settings import Settings
from tests.conftest import app_for


@pytest.fixture
async def mini_client(
    client: AsyncTestClient, settings: Settings, mini_pack_dirs: tuple[Path, Path]
) -> AsyncIterator[AsyncTestClient]:
    templates, schemas = mini_pack_dirs
    mini_settings = dataclasses.replace(settings, templates_dir=templates, schemas_dir=schemas)
    # The same database and the same default headers as the suite's client (who is calling).
    async with AsyncTestClient(app=app_for(mini_settings)) as test_client:
        test_client.headers.update(client.headers)
        yield test_client

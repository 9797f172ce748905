"""Clients of the web pages: the petition app of the suite, and one whose only pack is the
small test pack, to show that the pages come from a pack's definition and nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.settings import Settings


@pytest.fixture
async def mini_client(database_url: str, mini_pack_dirs: tuple[Path, Path]) -> AsyncIterator[AsyncTestClient]:
    templates, schemas = mini_pack_dirs
    settings = Settings(database_url=database_url, templates_dir=templates, schemas_dir=schemas, log_format="json", log_level="WARNING")
    async with AsyncTestClient(app=create_app(settings, configure_logs=False)) as test_client:
        yield test_client

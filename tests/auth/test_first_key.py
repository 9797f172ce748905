"""The first admin key is made exactly once, however many servers start together."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from service.auth.models import ApiKey
from tests.conftest import run_outside_the_test_loop

REPO = Path(__file__).resolve().parents[2]
SERVERS = 4
# What `serve` does before it starts uvicorn, in a process of its own; each process waits at a
# barrier (files) once its imports are done, so that all of them reach the database together.
START = """
import os, pathlib, time
from service.cli.keys import create_first_admin_key
from service.settings import Settings
barrier = pathlib.Path(os.environ["BARRIER"])
(barrier / f"ready-{os.getpid()}").touch()
while not (barrier / "go").exists():
    time.sleep(0.001)
create_first_admin_key(Settings.from_env())
"""


@pytest.mark.slow
def test_servers_starting_together_make_one_first_key(database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "BARRIER": str(tmp_path),
    }
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", START],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(SERVERS)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < SERVERS and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    outputs = [start.communicate(timeout=120) for start in starts]
    assert all(start.returncode == 0 for start in starts), [err for _, err in outputs]
    printed = sum(out.count("First start: an admin key was made for you") for out, _ in outputs)
    print(f"{SERVERS} processes started together; first admin keys printed: {printed}")
    assert printed == 1

    async def keys() -> int:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                return (
                    await connection.execute(select(func.count()).select_from(ApiKey))
                ).scalar_one()
        finally:
            await engine.dispose()

    assert run_outside_the_test_loop(keys) == 1

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
# What `serve` does before it starts uvicorn, in SERVERS processes: one imports the service
# (over a second of CPU), then forks the others, so that each has its own database connections
# without paying for the imports again. Each waits at a barrier (files), so that all of them
# reach the database together; the first exits with the others' failure, if any.
START = """
import os, pathlib, sys, time, traceback
from service.cli.keys import create_first_admin_key
from service.settings import Settings
barrier = pathlib.Path(os.environ["BARRIER"])
children = []
for _ in range(int(os.environ["SERVERS"]) - 1):
    pid = os.fork()
    if pid == 0:
        children = None
        break
    children.append(pid)
(barrier / f"ready-{os.getpid()}").touch()
while not (barrier / "go").exists():
    time.sleep(0.001)
code = 0
try:
    create_first_admin_key(Settings.from_env())
except BaseException:
    traceback.print_exc()
    code = 1
sys.stdout.flush()
sys.stderr.flush()
if children is None:
    os._exit(code)
for pid in children:
    code = code or os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(code)
"""


@pytest.mark.slow
def test_servers_starting_together_make_one_first_key(database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "BARRIER": str(tmp_path),
        "SERVERS": str(SERVERS),
    }
    start = subprocess.Popen(
        [sys.executable, "-c", START],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < SERVERS and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(list(tmp_path.glob("ready-*"))) == SERVERS
    (tmp_path / "go").touch()
    out, err = start.communicate(timeout=120)
    assert start.returncode == 0, err
    printed = out.count("First start: an admin key was made for you")
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

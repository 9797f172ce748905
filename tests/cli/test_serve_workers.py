"""``serve --workers N`` runs N server processes on one port over one database, and stopping
the server stops them all."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.processes import alive, serving

ROOT = Path(__file__).resolve().parents[2]


def workers_of(pid: int) -> set[int]:
    """The worker processes uvicorn spawned (not the resource tracker beside them)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat, cmdline = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmdline:
                found.add(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_two_workers_serve_and_stop_together(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    with log.open("ab") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "service",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline:
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            workers = workers_of(server.pid)
            # The first admin key is printed by the worker that made it, as it started.
            printed = re.search(r"\bfa_[0-9a-f]{12}_", log.read_text(errors="replace"))
            if serving(f"http://127.0.0.1:{port}") and len(workers) >= 2 and printed:
                break
            time.sleep(0.1)
        key = re.search(
            r"\b(fa_[0-9a-f]{12}_[A-Za-z0-9_-]{43})\b", log.read_text(errors="replace")
        ).group(1)
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10
        ) as client:
            made = [
                client.post("/api/sessions", json={"pack": "adcvd-petition"}).json()["id"]
                for _ in range(6)
            ]
            listed = client.get("/api/sessions", params={"count": "true"}).json()
        assert listed["total"] == 6 and {i["id"] for i in listed["items"]} == set(made)
        assert len(workers) == 2
        # The first admin key was made once, by one of the workers, as it started.
        assert len(re.findall(r"\bfa_[0-9a-f]{12}_", log.read_text(errors="replace"))) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert not any(alive(pid) for pid in workers)

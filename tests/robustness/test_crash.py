"""A crash in the middle of a burst of writes loses no answer that was acknowledged.

The real server (``python -m service serve``) runs on 127.0.0.1 over a SQLite file; writers
send PATCHes and note each one answered 200; the server is killed with SIGKILL in the middle
of the burst, started again, and every acknowledged answer must be in the database.

Why this holds with ``PRAGMA synchronous=NORMAL`` (service/app.py): in WAL mode a commit has
written its frames to the WAL file before the 200 is sent; NORMAL leaves out only the fsync,
so the data sits in the operating system's page cache, which a killed process does not take
with it. What NORMAL may lose is the last transactions before a power cut or an OS crash; a
firm that runs the embedded database on a machine without a UPS and wants that too uses
PostgreSQL, or sets FULL (one fsync per commit).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.processes import alive, processes_below, serving

REPO = Path(__file__).resolve().parents[2]
WRITERS = 8
SESSIONS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, tmp_path: Path, render_processes: str = "off") -> None:
        # The pool of rendering processes only where a test is about it (writes render nothing).
        self.render_processes = render_processes
        self.database = tmp_path / "crash.db"
        self.log = tmp_path / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.database}",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
            "RENDER_PROCESSES": self.render_processes,
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                # One process, so that SIGKILL kills the server itself, not only a supervisor.
                [
                    sys.executable,
                    "-m",
                    "service",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    "1",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            if serving(self.url):
                return
            time.sleep(0.1)
        self.stop()  # else it would run on, unseen, beside the rest of the suite
        raise AssertionError(
            f"the server did not start:\n{self.log.read_text(errors='replace')[-3000:]}"
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def first_key(self) -> str:
        found = re.search(
            r"\b(fa_[0-9a-f]{12}_[A-Za-z0-9_-]{43})\b", self.log.read_text(errors="replace")
        )
        assert found, "the first start printed no admin key"
        return found.group(1)


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def server_with_pool(tmp_path):
    """The server as it runs by default: a pool of rendering processes (one per core)."""
    running = Server(tmp_path, render_processes="auto")
    running.start()
    yield running
    running.stop()


def burst(
    url: str,
    key: str,
    sessions: list[str],
    acknowledged: list,
    cut_off: list,
    stop: threading.Event,
    writer: int,
) -> None:
    session_id = sessions[writer % len(sessions)]
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=10
    ) as client:
        number = 0
        while not stop.is_set():
            value = f"writer {writer} write {number}"
            try:
                response = client.patch(
                    f"/api/sessions/{session_id}/answers", json={"counsel": {"firm": value}}
                )
            except httpx.HTTPError:
                cut_off.append(value)  # sent, never answered: the server is gone
                return
            if response.status_code == 200:
                acknowledged.append((session_id, response.json()["revision"], value))
            number += 1


@pytest.mark.slow
def test_a_killed_server_keeps_every_acknowledged_answer(server, capsys):
    key = server.first_key()
    headers = {"Authorization": f"Bearer {key}"}
    sessions = [
        httpx.post(
            f"{server.url}/api/sessions", json={"pack": "adcvd-petition"}, headers=headers
        ).json()["id"]
        for _ in range(SESSIONS)
    ]

    acknowledged: list[tuple[str, int, str]] = []
    cut_off: list[str] = []
    stop = threading.Event()
    writers = [
        threading.Thread(
            target=burst, args=(server.url, key, sessions, acknowledged, cut_off, stop, w)
        )
        for w in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # in the middle of the burst: writers are still sending
    stop.set()
    for thread in writers:
        thread.join(timeout=15)
    assert len(acknowledged) >= 100, (
        f"only {len(acknowledged)} writes were acknowledged before the kill"
    )

    server.start()
    with sqlite3.connect(server.database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        logged = {
            (session_id, revision, value)
            for session_id, revision, value in connection.execute(
                "SELECT lower(hex(session_id)), revision, json_extract(new_value, '$') FROM answer_change WHERE path IN ('counsel.firm', 'counsel')"
            )
        }
    # GUIDs are stored as 16 bytes in SQLite: compared without dashes. A group logged whole
    # (the first answer of "counsel") is read as its firm.
    logged = {(s, r, json.loads(v)["firm"] if str(v).startswith("{") else v) for s, r, v in logged}
    missing = [(s, r, v) for s, r, v in acknowledged if (s.replace("-", ""), r, v) not in logged]
    assert not missing, f"{len(missing)} acknowledged answers were lost: {missing[:5]}"

    for session_id in sessions:
        ours = [(r, v) for s, r, v in acknowledged if s == session_id]
        after = httpx.get(f"{server.url}/api/sessions/{session_id}", headers=headers).json()
        assert after["revision"] >= max(r for r, _ in ours)
        newest = max(r for s, r, _ in logged if s == session_id.replace("-", ""))
        assert after["revision"] == newest
    with capsys.disabled():
        print(
            f"\n  crash: {len(acknowledged)} writes acknowledged, {len(cut_off)} cut off by SIGKILL; all {len(acknowledged)} acknowledged found after the restart"
        )


def test_a_killed_server_leaves_no_process_behind(server_with_pool):
    """The rendering pool (and its fork server) go with a server killed outright: nothing
    else would end a pool process waiting for work."""
    server = server_with_pool
    assert server.process is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        below = processes_below(server.process.pid)
        if sum("forkserver" in command for command in below.values()) >= 2:
            break  # the fork server and at least one rendering process are up
        time.sleep(0.2)
    assert sum("forkserver" in command for command in below.values()) >= 2, below

    server.kill()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in below):
        time.sleep(0.2)
    assert [command for pid, command in below.items() if alive(pid)] == []

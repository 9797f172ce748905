"""Servers under measurement, each a process of its own on a port of its own: the service (this
tree, or an older commit exported with ``git archive``) on SQLite or PostgreSQL, and the bare
Litestar app. Each runs one worker, so figures are per process."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The key the load is sent with.
BENCH_SCOPES = "read,write,generate"
POSTGRES_BASE_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its fork server, the rendering processes, a converter)."""
    return _tree(pid)[0]


def _tree(pid: int) -> tuple[list[int], dict[int, int]]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, level = [], {pid}
    while level:
        level = {child for child, parent in parents.items() if parent in level}
        found += sorted(level)
    return found, parents


def processes_below(pid: int) -> str:
    """The RSS of the processes a server started (its fork server, the rendering processes
    forked from that, a PDF converter), each as "name MiB"."""
    found, parents = _tree(pid)
    described = []
    for child in found:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        kind = (
            "fork server"
            if parents.get(child) == pid and "forkserver" in command
            else ("renderer" if "forkserver" in command else command.split()[0].rsplit("/", 1)[-1])
        )
        described.append(f"{kind} {rss_mib(child):.0f}")
    return ", ".join(described) or "none"


def cpu_ticks(pid: int) -> int:
    """CPU time of ``pid`` and every process below it: a server renders in processes of its own."""
    total = 0
    for each in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_idle(server: Server, timeout: float = 120) -> None:
    """Until the server has finished what the load client left queued (wrk stops sending, but
    requests already accepted are still being served), so that it cannot slow the next run."""
    deadline = time.monotonic() + timeout
    quiet, before = 0, cpu_ticks(server.pid)
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        now = cpu_ticks(server.pid)
        quiet = quiet + 1 if now - before <= 2 else 0
        before = now


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str
    key: str = ""
    # Filled by ``prepare``: the sessions each kind of request works on.
    ids: dict[str, list[str]] = field(default_factory=dict)
    started_ms: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait_ready(
    url: str,
    process: subprocess.Popen,
    path: str,
    key: str = "",
    started: float | None = None,
    timeout: float = 60,
) -> float:
    """Milliseconds from ``started`` (the process's start) to the first 200 of ``path``."""
    started = time.perf_counter() if started is None else started
    request = urllib.request.Request(
        url + path, headers={"Authorization": f"Bearer {key}"} if key else {}
    )
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                if response.status == 200:
                    return (time.perf_counter() - started) * 1000
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


class Tree:
    """The service's code: this working tree, or a commit exported to a temporary folder."""

    def __init__(self, ref: str | None) -> None:
        self.ref = ref
        self._folder: tempfile.TemporaryDirectory | None = None
        if ref is None:
            self.root = REPO
        else:
            self._folder = tempfile.TemporaryDirectory(prefix="bench-tree-")
            self.root = Path(self._folder.name)
            archive = subprocess.run(
                ["git", "archive", ref], cwd=REPO, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(self.root)], input=archive, check=True)
        # Bytecode written now, as installing does (pip, the Dockerfile): where
        # PYTHONDONTWRITEBYTECODE is set, each start would otherwise compile the service's
        # modules from source (~100 ms), which the bare app, all of it installed, never does.
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "-j", "0", "service", "templates"],
            cwd=self.root,
            check=True,
            capture_output=True,
        )

    def run(self, *args: str, env: dict[str, str]) -> str:
        return subprocess.run(
            [sys.executable, "-m", "service", *args],
            cwd=self.root,
            env=self._env(env),
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def _env(self, env: dict[str, str]) -> dict[str, str]:
        # The tree's own packages first, the service and the petition's rules alike: an older
        # commit must not run this tree's code (the editable install maps both to this tree,
        # after whatever PYTHONPATH finds).
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(self.root), str(self.root / "templates" / "adcvd-petition")]
            ),
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
            **env,
        }

    def serve(self, name: str, database_url: str, settings: dict[str, str] | None = None) -> Server:
        env = {
            "DATABASE_URL": database_url,
            "PDF_CONVERTER": "off",
            # The load is one key's: at the default 30 a minute, most generates would be 429s.
            "RATE_LIMIT_PER_MINUTE": "0",
            "CSRF_SECRET": "benchmark-" + "x" * 40,
            **(settings or {}),
        }
        key = self._migrated_with_a_key(database_url, env)
        port = free_port()
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-migrate"]
        # This tree has --workers; an older commit is asked whether it has it.
        if self.ref is None or "--workers" in self.run("serve", "--help", env=env):
            args += ["--workers", "1"]
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "service", *args],
            cwd=self.root,
            env=self._env(env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        server = Server(name=name, process=process, url=f"http://127.0.0.1:{port}", key=key)
        server.started_ms = _wait_ready(server.url, process, "/api/packs", key, started)
        return server

    def _migrated_with_a_key(self, database_url: str, env: dict[str, str]) -> str:
        """Migrations applied to the database and a key made in it (the key). This tree's are
        done in this process, which has the service imported already: as ``db upgrade`` and
        ``keys create`` they were two more processes per server, each importing the service
        (~1.5 s of CPU). An older commit's own commands do it for its own code."""
        if self.ref is None:
            import asyncio

            from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

            from service.auth.service import KeyService
            from service.storage.database import upgrade

            async def create_key() -> str:
                engine = create_async_engine(database_url)
                try:
                    async with AsyncSession(engine, expire_on_commit=False) as db:
                        return (await KeyService(db).create("benchmark", BENCH_SCOPES)).secret
                finally:
                    await engine.dispose()

            upgrade(database_url)
            return asyncio.run(create_key())
        self.run("db", "upgrade", env=env)
        made = self.run("keys", "create", "--name", "benchmark", "--scopes", BENCH_SCOPES, env=env)
        return re.search(r"fa_[A-Za-z0-9_\-]+", made).group(0)

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()


def serve_bare() -> Server:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=REPO / "scripts",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(name="bare Litestar", process=process, url=f"http://127.0.0.1:{port}")
    server.started_ms = _wait_ready(server.url, process, "/item", started=started)
    return server


def call(
    server: Server, method: str, path: str, body: object | None = None, timeout: float = 60
) -> bytes:
    """One request with the server's key; the answer's body as it came (2xx only)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(server.url + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {server.key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as response:
        assert response.status < 300, (method, path, response.status)
        return response.read()


def request(server: Server, method: str, path: str, body: object | None = None) -> dict | list:
    return json.loads(call(server, method, path, body) or b"null")


def prepare(server: Server, answers: dict, pool: int) -> None:
    """The sessions the load runs on: one complete session read by every GET, and ``pool``
    complete ones and ``pool`` new ones, so that writers (one per connection) do not queue
    behind each other on one session."""
    server.ids["complete"] = [
        request(server, "POST", "/api/sessions", {"pack": "adcvd-petition", "answers": answers})[
            "id"
        ]
    ]
    server.ids["written"] = [
        request(server, "POST", "/api/sessions", {"pack": "adcvd-petition", "answers": answers})[
            "id"
        ]
        for _ in range(pool)
    ]
    server.ids["chat"] = [
        request(server, "POST", "/api/sessions", {"pack": "adcvd-petition"})["id"]
        for _ in range(pool)
    ]


class Postgres:
    """A database of its own on the suite's PostgreSQL, dropped at the end."""

    def __init__(self) -> None:
        self.name = f"fa_bench_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.url = f"{POSTGRES_BASE_URL.rsplit('/', 1)[0]}/{self.name}"

    def _admin(self, statement: str) -> None:
        import asyncio

        import asyncpg

        async def run() -> None:
            connection = await asyncpg.connect(
                POSTGRES_BASE_URL.replace("postgresql+asyncpg://", "postgresql://")
            )
            try:
                await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(run())

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def sqlite_url(folder: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{folder / name}.db"


def have_wrk() -> bool:
    return shutil.which("wrk") is not None

"""Does the SQLite server stop answering after a burst of concurrent generates? (issue 13)

    .venv/bin/python scripts/stall_check.py               # one run
    .venv/bin/python scripts/stall_check.py --runs 5      # five, each on a fresh server
    .venv/bin/python scripts/stall_check.py --dump        # py-spy dump of the server if stalled
    .venv/bin/python scripts/stall_check.py --ref HEAD~3  # an older commit (git archive)

(``--dump`` needs py-spy: ``.venv/bin/pip install py-spy``.) Each run starts this tree's server
(or ``--ref``'s) on a fresh SQLite file (one process, no PDF converter), prepares the sessions
as the benchmark does, runs ``POST /api/sessions/{id}/documents`` at 50 connections for 4 s,
then asks ``/healthz`` once a second for ``--watch`` seconds, printing each answer's latency and
the server's CPU (itself and the processes below it) over that second.
A run "stalls" when any ``/healthz`` takes longer than ``--stall`` seconds (or never answers).
Asserts nothing about speed: it prints what it saw, and exits 1 if any run stalled.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

from bench import load, servers  # noqa: E402 - after the path is set

TICKS = os.sysconf("SC_CLK_TCK")


def healthz(url: str, timeout: float) -> float | None:
    """Seconds the answer took, None if none came within ``timeout``."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=timeout) as response:
            response.read()
    except OSError:
        return None
    return time.perf_counter() - started


def dump(pid: int, folder: Path, label: str) -> None:
    """py-spy's view of every thread (native frames too) and each thread's kernel wait."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    # py-spy sometimes fails to merge native and Python frames of a thread caught mid-switch:
    # tried again, then without native frames.
    for options in (["--native"], ["--native"], ["--native"], []):
        out = subprocess.run(
            [spy, "dump", *options, "--pid", str(pid)], capture_output=True, text=True
        )
        if out.returncode == 0:
            break
    waits = []
    for task in sorted(Path(f"/proc/{pid}/task").iterdir(), key=lambda p: int(p.name)):
        try:
            name = (task / "comm").read_text().strip()
            wchan = (task / "wchan").read_text().strip()
            state = (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        waits.append(f"{task.name} {name} {state} {wchan}")
    path = folder / f"stall-{label}.txt"
    path.write_text(out.stdout + out.stderr + "\n" + "\n".join(waits) + "\n")
    print(f"    py-spy dump written to {path}")


def one_run(
    tree: servers.Tree, number: int, args: argparse.Namespace, answers: dict, out: Path
) -> bool:
    stalled = False
    with tempfile.TemporaryDirectory(prefix="stall-") as folder:
        server = tree.serve("SQLite", servers.sqlite_url(Path(folder), "stall"))
        try:
            servers.prepare(server, answers, args.connections)
            servers.wait_idle(server)
            paths = [f"/api/sessions/{i}/documents" for i in server.ids["written"]]
            result = load.run(
                server, "POST", paths, None, connections=args.connections, seconds=args.seconds
            )
            print(
                f"run {number}: generate {result.requests_per_second:.1f} req/s, p99 "
                f"{result.p99_ms:.0f} ms, {result.requests} answered, {result.failed} not 2xx"
            )
            dumps = 0
            for second in range(args.watch):
                before = servers.cpu_ticks(server.pid)
                started = time.perf_counter()
                answer: list[float | None] = []
                probe = threading.Thread(
                    target=lambda into=answer: into.append(healthz(server.url, args.watch))
                )
                probe.start()
                probe.join(args.stall)
                if probe.is_alive():
                    stalled = True
                    if args.dump and dumps < 2:
                        # While it is still stalled: what the event loop's thread waits on.
                        dumps += 1
                        dump(server.pid, out, f"{os.getpid()}-{number}-{dumps}")
                probe.join()
                took = answer[0]
                if took is None or took > args.stall:
                    stalled = True
                spent = time.perf_counter() - started
                cpu = (servers.cpu_ticks(server.pid) - before) / TICKS
                shown = "no answer" if took is None else f"{took * 1000:8.1f} ms"
                print(
                    f"  t+{second:2d}s /healthz {shown}  server CPU {cpu:5.2f} s in {spent:5.2f} s",
                    flush=True,
                )
                time.sleep(max(0.0, 1.0 - spent))
        finally:
            server.stop()
    print(f"run {number}: {'STALLED' if stalled else 'ok'}")
    return stalled


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--watch", type=int, default=40, help="seconds of /healthz probes")
    parser.add_argument(
        "--stall", type=float, default=2.0, help="a /healthz slower than this is a stall (s)"
    )
    parser.add_argument("--dump", action="store_true", help="py-spy dump the server when stalled")
    parser.add_argument("--out", default=tempfile.gettempdir(), help="where dumps are written")
    parser.add_argument("--ref", default=None, help="a git ref to run instead of this tree")
    args = parser.parse_args()
    answers = json.loads((REPO / "examples" / "solar-2024.json").read_text())
    tree = servers.Tree(args.ref)
    try:
        stalls = sum(one_run(tree, n + 1, args, answers, Path(args.out)) for n in range(args.runs))
    finally:
        tree.close()
    print(f"{stalls} of {args.runs} runs stalled")
    return 1 if stalls else 0


if __name__ == "__main__":
    raise SystemExit(main())

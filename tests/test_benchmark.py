"""The benchmark script keeps working: it prints figures and asserts no timing (a timed test
would flake), but a script that no longer runs measures nothing. Run as small as it goes: one
round of each figure, two connections (one per wrk thread) for one second (wrk's least) against real servers on
SQLite and PostgreSQL, 51 sessions listed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NUMBER = r"[\d,]+\.\d"


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_every_figure(tmp_path):
    finished = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "benchmark.py"),
            *("--rounds", "1", "--http-rounds", "1", "--seconds", "1", "--connections", "2"),
            # Past one page of 50, so that the listing's cursor figure is printed too.
            *("--sessions", "51", "--generates", "1"),
        ],
        cwd=tmp_path,
        # The servers as they run by default, with their rendering processes (the memory row
        # must list them): not the suite's RENDER_PROCESSES=off.
        env={k: v for k, v in os.environ.items() if k != "RENDER_PROCESSES"},
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    out = finished.stdout
    # The floor is a fair reference only while it makes the very documents the product makes.
    assert "floor output identical to the product's as canonical XML: yes" in out
    for renderer in ("render_packet (the product)", "naive docxtpl", "floor"):
        assert re.search(rf"\| {re.escape(renderer)} \| {NUMBER} \| \d+\.\d\d \|", out), renderer
    for request in (
        "GET session",
        "PATCH one answer",
        'POST reply "help"',
        "POST documents (generate)",
        "GET list (50 rows)",
    ):
        row = re.search(rf"^\| {re.escape(request)} \|(.*)$", out, re.MULTILINE)
        assert row, request
        assert len(re.findall(rf"{NUMBER} req/s \(p99", row.group(1))) >= 2, row.group(0)
    assert "NOT 2xx" not in out
    # Each PATCH sends a value of its own, so each writes a revision: a fixed body measured a
    # no-op after the first request to each session (no write, no rules run).
    for server in ("this tree, SQLite", "this tree, PostgreSQL"):
        wrote = re.search(
            rf"^{re.escape(server)}: PATCH one answer wrote ([\d,]+) revisions for ([\d,]+) requests answered$",
            out,
            re.MULTILINE,
        )
        assert wrote, server
        revisions, answered = (int(n.replace(",", "")) for n in wrote.groups())
        assert answered > 0 and revisions >= answered, wrote.group(0)
    # Memory (MiB idle, after generates, ms to the first 200, then each process the server
    # started: its rendering processes at least), then the listing's three pages.
    memory = re.search(
        r"^\| this tree, PostgreSQL \| \d+ \| \d+ \| \d+ \| (.+) \|$", out, re.MULTILINE
    )
    assert memory, "memory row"
    assert re.search(r"\brenderer \d+\b", memory.group(1)), memory.group(1)
    assert re.search(
        rf"^\| this tree, SQLite \| {NUMBER} \| {NUMBER} \| {NUMBER} \|$", out, re.MULTILINE
    )


def test_a_cell_gives_the_servers_cpu_per_request():
    import importlib.util

    # The script puts its own folder on the path as it is loaded (for its bench package).
    spec = importlib.util.spec_from_file_location("benchmark", REPO / "scripts" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)

    runs = [
        benchmark.load.Load(500.0, 120.0, 2500, 0, 1.5),
        benchmark.load.Load(520.0, 110.0, 2600, 0, 1.7),
    ]
    bare = [benchmark.load.Load(5000.0, 20.0, 25000, 0, 0.15)]
    assert benchmark.cell(runs, bare) == "510.0 req/s (p99 115 ms, 1.60 ms CPU), 10% of bare"

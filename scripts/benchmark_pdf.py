"""Prints what PDFs cost against LibreOffice itself, and how reads and writes answer meanwhile;
asserts nothing.

    make bench            # or: .venv/bin/python scripts/benchmark_pdf.py --rounds 7 --seconds 10

Issue 13's targets, measured in one run against one server of this tree (one process, its
embedded converter, SQLite or PostgreSQL):

- **A packet with PDFs against the floor.** The product: ``POST …/documents`` of the 2024 case,
  timed by the client (rendering, the 7 documents converted, the Total Pages counted, all stored).
  The floor: the same 7 .docx files (downloaded from that packet) converted straight through the
  same converter (the server's own unoserver, reached at its port) with the same concurrency.
  Rounds alternate the two; medians and their ratio (target: at most 2×).
- **GET and PATCH while packets convert.** wrk (``--connections``, a closed loop: the load is
  bounded) on ``GET /api/sessions/{id}`` and ``PATCH …/answers`` (one session per connection),
  first with the server idle, then while ``--packets-at-once`` generations with PDFs are kept in
  flight; rounds alternate idle and busy; medians of p99 (target: under 100 ms while converting).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import functools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

from bench import load, servers  # noqa: E402 - after the path is set

ONE_ANSWER = {"filing": {"total_pages": 14}}


def converter_url(server: servers.Server) -> str:
    """The XML-RPC address of the unoserver the server started (its ``--port``)."""
    for pid in servers.descendants(server.pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "--uno-port" in argv and "--port" in argv:
            return f"http://127.0.0.1:{argv[argv.index('--port') + 1]}"
    raise RuntimeError("the server runs no embedded unoserver")


def call(server: servers.Server, method: str, path: str, body: object | None = None) -> bytes:
    # A packet with its PDFs may take minutes on a busy machine.
    return servers.call(server, method, path, body, timeout=300)


def generate(server: servers.Server, session: str) -> list[dict]:
    documents = json.loads(call(server, "POST", f"/api/sessions/{session}/documents"))
    assert all(d.get("pdf") for d in documents), documents
    return documents


def convert_straight(url: str, documents: list[bytes], concurrency: int) -> None:
    """The documents to PDF through unoserver's own XML-RPC call, as the server makes it."""

    def one(docx: bytes) -> bytes:
        proxy = xmlrpc.client.ServerProxy(url, allow_none=True)
        result = proxy.convert(
            None, xmlrpc.client.Binary(docx), None, "pdf", None, [], True, None, None
        )
        return result.data

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        pdfs = list(pool.map(one, documents))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)


def without_total_pages(answers: dict) -> dict:
    return {
        **answers,
        "filing": {k: v for k, v in answers["filing"].items() if k != "total_pages"},
    }


class Packets:
    """Keeps ``at_once`` generations with PDFs in flight until stopped; counts them."""

    def __init__(self, server: servers.Server, sessions: list[str], at_once: int) -> None:
        self.server, self.sessions, self.at_once = server, sessions, at_once
        self.done = 0
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._lane, args=(i,), daemon=True) for i in range(at_once)
        ]

    def _lane(self, number: int) -> None:
        while not self._stop.is_set():
            generate(self.server, self.sessions[number])
            self.done += 1

    def __enter__(self) -> Packets:
        for thread in self._threads:
            thread.start()
        time.sleep(1.0)  # the first packets are rendering and converting before the load starts
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7, help="packet/floor rounds")
    parser.add_argument("--latency-rounds", type=int, default=3, help="idle/busy rounds")
    parser.add_argument("--seconds", type=float, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--packets-at-once", type=int, default=2)
    parser.add_argument("--backends", default="SQLite", help="SQLite,PostgreSQL")
    args = parser.parse_args()
    from service.logging import configure_logging

    # The table alone on stdout: what the service logs in this process (it migrates and makes
    # the server's key) goes to stderr, warnings only.
    configure_logging("WARNING")
    answers = json.loads((REPO / "examples" / "solar-2024.json").read_text())
    concurrency = int(os.environ.get("PDF_CONCURRENCY", "2"))
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"PDF benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average {load_average}"
    )
    tree = servers.Tree(None)
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        for backend in args.backends.split(","):
            database = servers.Postgres() if backend == "PostgreSQL" else None
            url = database.url if database else servers.sqlite_url(Path(folder), "pdf")
            server = tree.serve(
                f"this tree, {backend}", url, {"PDF_CONVERTER": "embedded", "LOG_LEVEL": "ERROR"}
            )
            try:
                measure(server, answers, concurrency, args)
            finally:
                server.stop()
                if database:
                    database.drop()
    return 0


def measure(
    server: servers.Server, answers: dict, concurrency: int, args: argparse.Namespace
) -> None:
    servers.prepare(server, answers, args.connections)
    generating = [
        json.loads(
            call(server, "POST", "/api/sessions", {"pack": "adcvd-petition", "answers": answers})
        )["id"]
        for _ in range(max(1, args.packets_at_once))
    ]
    counting = json.loads(
        call(
            server,
            "POST",
            "/api/sessions",
            {"pack": "adcvd-petition", "answers": without_total_pages(answers)},
        )
    )["id"]
    started = time.perf_counter()
    first = generate(server, generating[0])  # LibreOffice starts (or finishes starting)
    cold = (time.perf_counter() - started) * 1000
    url = converter_url(server)
    session = generating[0]
    documents = [
        call(server, "GET", f"/api/sessions/{session}/documents/{d['id']}.docx") for d in first
    ]
    generate(server, counting)
    convert_straight(url, documents, concurrency)  # all warm

    times: dict[str, list[float]] = {"typed": [], "floor": [], "counted": []}
    for _ in range(args.rounds):
        for name in times:
            started = time.perf_counter()
            if name == "floor":
                convert_straight(url, documents, concurrency)
            else:
                generate(server, session if name == "typed" else counting)
            times[name].append((time.perf_counter() - started) * 1000)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print()
    print(
        f"{server.name}: the 2024 packet ({len(documents)} documents), {args.rounds} interleaved "
        f"rounds, medians (the first packet, LibreOffice starting: {cold:,.0f} ms)"
    )
    print("| | ms | × floor |")
    print("|---|---|---|")
    print(
        "| the product: POST …/documents, .docx and PDFs, Total Pages counted and checked "
        f"against the figure typed (13), stored | {medians['typed']:,.0f} | "
        f"**{medians['typed'] / medians['floor']:.2f}** |"
    )
    print(
        "| the product, no figure typed: the count printed (the documents that print it "
        f"rendered and converted again) | {medians['counted']:,.0f} | "
        f"**{medians['counted'] / medians['floor']:.2f}** |"
    )
    print(
        f"| floor: the same {len(documents)} .docx straight through the same unoserver "
        f"(concurrency {concurrency}) | {medians['floor']:,.0f} | 1.00 |"
    )

    requests = {
        "GET session": ("GET", [f"/api/sessions/{server.ids['complete'][0]}"], None),
        "PATCH one answer": (
            "PATCH",
            [f"/api/sessions/{i}/answers" for i in server.ids["written"]],
            ONE_ANSWER,
        ),
    }
    results: dict[tuple[str, str], list[load.Load]] = {}
    packets = 0
    busy_seconds = 0.0
    for _ in range(args.latency_rounds):
        for state in ("idle", "while packets convert"):
            for kind, (method, paths, body) in requests.items():
                measure = functools.partial(
                    load.run,
                    server,
                    method,
                    paths,
                    body,
                    connections=args.connections,
                    seconds=args.seconds,
                )
                if state == "idle":
                    outcome = measure()
                else:
                    with Packets(server, generating, args.packets_at_once) as flow:
                        started = time.perf_counter()
                        outcome = measure()
                        busy_seconds += time.perf_counter() - started
                    packets += flow.done
                servers.wait_idle(server)
                results.setdefault((kind, state), []).append(outcome)
    print()
    print(
        f"{server.name}: wrk, {args.connections} connections, {args.latency_rounds} alternating "
        f"rounds of {args.seconds:g} s, medians; while {args.packets_at_once} packets with PDFs "
        f"were kept in flight ({packets} packets, {packets / busy_seconds:.2f} a second)"
    )
    print("| request | idle: p99 (req/s) | while packets convert: p99 (req/s) |")
    print("|---|---|---|")
    for kind in requests:
        cells = []
        for state in ("idle", "while packets convert"):
            runs = results[(kind, state)]
            failed = sum(r.failed for r in runs)
            cells.append(
                f"{statistics.median(r.p99_ms for r in runs):,.0f} ms "
                f"({statistics.median(r.requests_per_second for r in runs):,.0f})"
                + (f", {failed} NOT 2xx" if failed else "")
            )
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())

"""Prints one table of what the service costs, measured side by side and interleaved; asserts
nothing (speed belongs here, not in tests).

    make bench                                   # the full run (a few minutes)
    .venv/bin/python scripts/benchmark.py --before ffcb1ac   # an older commit beside this tree
    .venv/bin/python scripts/benchmark.py --only http --kinds "GET session,PATCH one answer" --before HEAD~3
    .venv/bin/python scripts/benchmark.py --only start --starts 9 --before HEAD~1

- HTTP: wrk with 50 connections (a closed loop, so the load is bounded) against one server
  process each of this tree on SQLite and on PostgreSQL (and of ``--before`` if given), and a
  bare Litestar app under the same uvicorn; rounds interleave every server and request. Each
  cell also gives the server's CPU time per request (its processes, read from /proc around the
  run): on a machine shared with other work that moves far less than req/s does.
- Listing among ``--sessions`` sessions of one owner, inserted directly: first page, the page
  in the middle by offset and by cursor, one request at a time.
- Server RSS idle and after ``--generates`` generated packets; time from start to first 200
  (``--only start``: that alone, over ``--starts`` interleaved starts of every server).
- The 2024 packet through the product's renderer, naive docxtpl, and a floor built in
  ``bench/floor.py`` (checked identical, part by part, as canonical XML).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "scripts")]

from bench import listing, load, rendering, servers  # noqa: E402 - after the path is set

# One answer, a new value in every request (load.CHANGING): each PATCH writes a revision.
ONE_ANSWER = {"filing": {"total_pages": load.CHANGING}}
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return f"{model}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}"


def requests_of(server: servers.Server) -> dict[str, tuple[str, list[str], object | None]]:
    """Each kind of request as (method, paths taken in turn, body); the bare app's likenesses."""
    if not server.key:
        return {
            "GET session": ("GET", ["/item"], None),
            "PATCH one answer": ("POST", ["/echo"], ONE_ANSWER),
        }
    ids = server.ids
    return {
        "GET session": ("GET", [f"/api/sessions/{ids['complete'][0]}"], None),
        "PATCH one answer": (
            "PATCH",
            [f"/api/sessions/{i}/answers" for i in ids["written"]],
            ONE_ANSWER,
        ),
        'POST reply "help"': (
            "POST",
            [f"/api/sessions/{i}/reply" for i in ids["chat"]],
            {"text": "help"},
        ),
        "POST documents (generate)": (
            "POST",
            [f"/api/sessions/{i}/documents" for i in ids["written"]],
            None,
        ),
        "GET list (50 rows)": ("GET", ["/api/sessions?limit=50"], None),
    }


def kinds_of(server: servers.Server, args: argparse.Namespace) -> list[str]:
    wanted = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
    return [k for k in requests_of(server) if wanted is None or k in wanted]


def http(
    targets: list[servers.Server], args: argparse.Namespace
) -> dict[str, dict[str, list[load.Load]]]:
    results: dict[str, dict[str, list[load.Load]]] = {t.name: {} for t in targets}
    for _ in range(args.http_rounds):
        for kind in kinds_of(targets[-1], args):
            for target in targets:
                spec = requests_of(target).get(kind)
                if spec is None:
                    continue
                method, paths, body = spec
                ticks = servers.cpu_ticks(target.pid)
                outcome = load.run(
                    target, method, paths, body, connections=args.connections, seconds=args.seconds
                )
                servers.wait_idle(target)
                # CPU per request moves far less than req/s with the load beside the run.
                spent = (servers.cpu_ticks(target.pid) - ticks) * TICK_MS
                outcome = dataclasses.replace(
                    outcome, server_cpu_ms=spent / max(1, outcome.requests)
                )
                results[target.name].setdefault(kind, []).append(outcome)
    return results


def revisions_written(server: servers.Server) -> int:
    """Revisions the writers' sessions gained since they were made (each starts at 1): every
    PATCH that changed an answer wrote one, so this is at least the PATCHes answered (those
    still in flight when wrk stopped may add a few)."""
    return sum(
        servers.request(server, "GET", f"/api/sessions/{i}")["revision"] - 1
        for i in server.ids["written"]
    )


def top_up_generates(server: servers.Server, done: int, wanted: int) -> int:
    """Generates until ``wanted`` in all (8 at a time); returns how many were made here."""
    paths = [f"/api/sessions/{i}/documents" for i in server.ids["written"]]
    missing = max(0, wanted - done)
    lanes = min(8, len(paths))

    def lane(number: int) -> None:
        # A session of its own per lane: two generates of one session at once are one batch,
        # and the second is answered 409.
        for _ in range(number, missing, lanes):
            servers.request(server, "POST", paths[number])

    with concurrent.futures.ThreadPoolExecutor(lanes) as pool:
        list(pool.map(lane, range(lanes)))
    return missing


def cell(loads: list[load.Load], bare: list[load.Load] | None) -> str:
    rate = statistics.median(x.requests_per_second for x in loads)
    p99 = statistics.median(x.p99_ms for x in loads)
    cpu = statistics.median(x.server_cpu_ms for x in loads)
    failed = sum(x.failed for x in loads)
    text = f"{rate:,.1f} req/s (p99 {p99:,.0f} ms, {cpu:.2f} ms CPU)"
    if bare:
        text += (
            f", {100 * rate / statistics.median(x.requests_per_second for x in bare):.2g}% of bare"
        )
    if failed:
        text += f", {failed} NOT 2xx"
    return text


def starts_table(trees: list[tuple[str, servers.Tree]], starts: int) -> int:
    """Milliseconds from a server's start to its first 200, over ``starts`` rounds that start
    every server once each in turn (each stopped before the next starts)."""
    databases: list[servers.Postgres] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        try:
            # Each tree on databases of its own, migrated by its own code.
            urls: dict[str, tuple[servers.Tree, str]] = {}
            for label, tree in trees:
                databases.append(servers.Postgres())
                urls[f"{label}, SQLite"] = (
                    tree,
                    servers.sqlite_url(Path(folder), f"start-{len(databases)}"),
                )
                urls[f"{label}, PostgreSQL"] = (tree, databases[-1].url)
            times: dict[str, list[float]] = {name: [] for name in [*urls, "bare Litestar"]}
            for _ in range(starts):
                for name, (tree, url) in urls.items():
                    server = tree.serve(name, url)
                    server.stop()
                    times[name].append(server.started_ms)
                bare = servers.serve_bare()
                bare.stop()
                times["bare Litestar"].append(bare.started_ms)
        finally:
            for database in databases:
                database.drop()
            for _, tree in trees:
                tree.close()
    print(f"Start to first 200 (ms), {starts} interleaved starts of each server, one process")
    print("| server | median | min | max |\n|---|---|---|---|")
    for name, each in times.items():
        print(f"| {name} | {statistics.median(each):.0f} | {min(each):.0f} | {max(each):.0f} |")
    return 0


def rendering_table(pack, answers: dict, args: argparse.Namespace) -> None:
    render = rendering.measure(pack, answers, args.rounds, REPO / "schemas")
    medians = render["medians"]
    floor = medians["floor"]
    print(
        f"Rendering the 2024 packet ({render['documents']} documents), {args.rounds} interleaved rounds, medians"
    )
    print("| renderer | ms | × floor |")
    print("|---|---|---|")
    for name, value in medians.items():
        print(f"| {name} | {value:.1f} | {value / floor:.2f} |")
    print(
        f"floor output identical to the product's as canonical XML: {'yes' if not render['differing'] else render['differing']}"
    )
    print()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20, help="rendering rounds")
    parser.add_argument(
        "--http-rounds", type=int, default=3, help="interleaved rounds of every HTTP figure"
    )
    parser.add_argument("--seconds", type=float, default=5, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--sessions", type=int, default=100_000, help="sessions inserted for the listing figures"
    )
    parser.add_argument(
        "--generates", type=int, default=1000, help="packets generated before RSS is read"
    )
    parser.add_argument(
        "--before",
        default=None,
        help="a git ref measured beside this tree (exported with git archive)",
    )
    parser.add_argument(
        "--only", choices=["http", "start"], default=None, help="measure this part only"
    )
    parser.add_argument(
        "--starts", type=int, default=9, help="interleaved starts of each server (--only start)"
    )
    parser.add_argument(
        "--kinds",
        default=None,
        help='HTTP requests to measure, comma-separated ("GET session,PATCH one answer")',
    )
    args = parser.parse_args()

    from service.interview.derived import stamp
    from service.logging import configure_logging
    from service.packs import load_pack

    # The table alone on stdout: what the service logs in this process (it renders, migrates
    # and makes the servers' keys) goes to stderr, warnings only.
    configure_logging("WARNING")
    answers = json.loads((REPO / "examples" / "solar-2024.json").read_text())
    pack = load_pack("adcvd-petition")
    print(f"Filing Assembler benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print()

    if args.only is None:
        rendering_table(pack, answers, args)

    trees = [("this tree", servers.Tree(None))]
    if args.before:
        trees.append((f"before ({args.before})", servers.Tree(args.before)))
    if args.only == "start":
        return starts_table(trees, args.starts)
    databases: list[servers.Postgres] = []
    started: list[servers.Server] = []
    urls: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        try:
            targets = []
            for label, tree in trees:
                for backend in ("SQLite", "PostgreSQL"):
                    if backend == "SQLite":
                        url = servers.sqlite_url(Path(folder), f"{len(targets)}")
                    else:
                        databases.append(servers.Postgres())
                        url = databases[-1].url
                    server = tree.serve(f"{label}, {backend}", url)
                    started.append(server)
                    urls[server.name] = url
                    servers.prepare(server, answers, args.connections)
                    targets.append(server)
                    # Its render pool warms after its first 200: the next server starts once
                    # this one is idle, so that no start is measured beside another's warm-up.
                    servers.wait_idle(server)
            bare = servers.serve_bare()
            started.append(bare)
            idle = {t.name: servers.rss_mib(t.pid) for t in started}

            results = http([bare, *targets], args)
            print(
                f"HTTP: wrk, {args.connections} connections, {args.http_rounds} interleaved rounds of {args.seconds:g} s, "
                "one server process each, medians (writers spread over one session per connection); "
                "ms CPU: the server's processes' CPU time (from /proc) per request answered"
            )
            names = [t.name for t in targets]
            print("| request | " + " | ".join(names) + " | bare Litestar |")
            print("|---" * (len(names) + 2) + "|")
            bare_of = {
                k: results[bare.name][k]
                for k in ("GET session", "PATCH one answer")
                if k in results[bare.name]
            }
            for kind in kinds_of(targets[0], args):
                base = bare_of.get(kind) or bare_of.get("PATCH one answer")
                row = [cell(results[n][kind], base) for n in names]
                bare_cell = cell(bare_of[kind], None) if kind in bare_of else ""
                if kind == "PATCH one answer":
                    bare_cell = "JSON POST " + bare_cell
                print(f"| {kind} | " + " | ".join(row) + f" | {bare_cell} |")
            print()
            for target in targets:
                if "PATCH one answer" in results[target.name]:
                    answered = sum(x.requests for x in results[target.name]["PATCH one answer"])
                    print(
                        f"{target.name}: PATCH one answer wrote {revisions_written(target):,} "
                        f"revisions for {answered:,} requests answered"
                    )
            print()
            if args.only == "http":
                print("| server | first 200 (ms) |\n|---|---|")
                for target in [*targets, bare]:
                    print(f"| {target.name} | {target.started_ms:.0f} |")
                return 0

            memory = {}
            below: dict[str, str] = {}
            for target in targets:
                done = sum(x.requests for x in results[target.name]["POST documents (generate)"])
                top_up_generates(target, done, args.generates)
                memory[target.name] = servers.rss_mib(target.pid)
                below[target.name] = servers.processes_below(target.pid)
            print(
                f"Server process RSS (MiB): idle, and after {args.generates:,} generated packets; time to first 200 (ms)"
            )
            print("| server | idle | after generates | first 200 | its processes after (MiB) |")
            print("|---|---|---|---|---|")
            for target in targets:
                print(
                    f"| {target.name} | {idle[target.name]:.0f} | {memory[target.name]:.0f} | {target.started_ms:.0f} | {below[target.name]} |"
                )
            print(f"| bare Litestar | {idle[bare.name]:.0f} | | {bare.started_ms:.0f} | |")
            print()

            print(
                f"Listing among {args.sessions:,} sessions of one owner (inserted directly), one request at a time, medians (ms)"
            )
            rows = {}
            for target in targets:
                this_tree = target.name.startswith("this tree")
                listing.fill(
                    target, urls[target.name], args.sessions, stamp(pack) if this_tree else None
                )
                rows[target.name] = listing.page_times(
                    target, args.sessions, repeats=max(3, args.http_rounds * 3)
                )
            columns = sorted(
                {c for r in rows.values() for c in r},
                key=lambda c: ("first" not in c, "offset" not in c, c),
            )
            print("| server | " + " | ".join(columns) + " |")
            print("|---" * (len(columns) + 1) + "|")
            for name, figures in rows.items():
                print(
                    f"| {name} | "
                    + " | ".join(f"{figures[c]:.1f}" if c in figures else "n/a" for c in columns)
                    + " |"
                )
        finally:
            for server in started:
                server.stop()
            for database in databases:
                database.drop()
            for _, tree in trees:
                tree.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

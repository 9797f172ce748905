"""Load under a fixed number of connections with wrk (a closed loop: at most ``connections``
requests in flight, so the load is bounded), parsed into throughput, p99 and failures."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.servers import Server

# Counts answers outside 2xx (wrk's own count includes 3xx as success). wrk runs ``done`` in
# the main thread, where the threads' counters are not visible: each is read from its thread.
_LUA_THREADS = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  -- wrk runs two threads: 1..50,000 and 50,001..100,000 (a field's maximum may be 100,000).
  thread:set("base", (#threads - 1) * 50000)
end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("NON2XX %d\\n", total))
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p99_ms: float
    requests: int
    failed: int
    # The server's CPU time (its processes, from /proc) per request answered; nan: not measured.
    server_cpu_ms: float = float("nan")


# Where a body holds this number, each request sends a number of its own: a PATCH of the same
# value again changes nothing, writes no revision and runs no rule, so it would measure a no-op.
CHANGING = 1_000_000_001


def _lua(method: str, paths: list[str], body: object | None, key: str) -> str:
    auth = f'wrk.headers["Authorization"] = "Bearer {key}"' if key else ""
    text = "" if body is None else json.dumps(body)
    head = f'wrk.method = "{method}"\nwrk.headers["Content-Type"] = "application/json"\n{auth}\n'
    # Several paths (one session per connection, say) are taken in turn. A changing number
    # counts per thread from its own base (wrk threads share no Lua state), so no two
    # requests, of one thread or of two, send the same one.
    listed = ", ".join(json.dumps(p) for p in paths)
    before, _, after = text.partition(str(CHANGING))
    if body is None:
        body_of = "nil"
    elif before != text:
        body_of = (
            f"{json.dumps(before)} .. tostring(base + 1 + turn % 49999) .. {json.dumps(after)}"
        )
    else:
        body_of = json.dumps(text)
    turn = (
        f"local paths = {{{listed}}}\nlocal turn = 0\n"
        "function request()\n  turn = turn + 1\n"
        f"  return wrk.format(nil, paths[(turn % #paths) + 1], nil, {body_of})\nend\n"
    )
    return head + turn + _LUA_THREADS


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run(
    server: Server,
    method: str,
    paths: str | list[str],
    body: object | None,
    *,
    connections: int,
    seconds: float,
) -> Load:
    paths = [paths] if isinstance(paths, str) else paths
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(method, paths, body, server.key))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "--timeout",
                "30s",
                "-s",
                script.name,
                server.url + paths[0],
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    failed = int(re.search(r"NON2XX (\d+)", out).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failed += sum(int(n) for n in errors.groups())
    return Load(
        requests_per_second=rate,
        p99_ms=_ms(*p99.groups()) if p99 else float("nan"),
        requests=total,
        failed=failed,
    )

"""What the operating system says of the processes a test started (Linux's /proc)."""

from __future__ import annotations

import urllib.request
from pathlib import Path


def processes_below(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its command line."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, level = {}, {pid}
    while level:
        level = {child for child, parent in parents.items() if parent in level}
        for child in level:
            try:
                found[child] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
    return {child: command.decode(errors="replace") for child, command in found.items()}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def serving(url: str) -> bool:
    """Whether the server at ``url`` answers ``/healthz`` with 200 yet. Asked with the standard
    library: ``httpx.get`` makes a client, and with it an SSL context that loads the CA bundle,
    at every try (51 ms of CPU against 0.25 ms), and a starting server is tried 10 to 40 times
    while it imports on the same two cores."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:  # refused while it starts (URLError), or a non-200 (HTTPError)
        return False

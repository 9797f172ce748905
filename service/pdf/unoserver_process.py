"""The embedded converter: one unoserver (and its LibreOffice) started by this process.

unoserver must run under the Python that has LibreOffice's ``uno`` module (Debian's
``/usr/bin/python3``), so it is a separate program (``make`` installs it in ``.venv-uno``); this
module starts it on free local ports with a profile of its own, waits until it answers, and
stops it with its LibreOffice (its own process group) when asked or when this process exits.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

STARTUP_SECONDS = 60.0


# How long a stopping converter is given before its group is killed. After a conversion,
# LibreOffice's launcher ignores SIGTERM and unoserver waits on it, so a longer grace is only
# waited out; nothing is lost by the kill (the profile is a temporary folder, removed after).
STOP_GRACE_SECONDS = 2


class ConverterStartFailed(RuntimeError):
    """The embedded unoserver did not start (not installed, or LibreOffice would not run)."""


# What the converter runs under: a shell that, sent SIGTERM (by the parent-death signal, or by
# a stop), kills its whole process group at once. unoserver passes SIGTERM on to LibreOffice's
# launcher (oosplash), but after a conversion the launcher may outlive both soffice.bin and
# unoserver, orphaned with its child a zombie, for as long as the machine runs: after a server
# was killed outright with three busy loops beside it, in 2 of 4 kills (none of 4 with this).
GUARD = ["/bin/sh", "-c", 'trap "kill -KILL 0" TERM; "$@" & wait $!', "pdf-converter"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    # Linux: the child is sent SIGTERM when the thread that started it ends (unoserver passes
    # it on to LibreOffice), so a server killed with SIGKILL leaves no converter behind.
    if hasattr(os, "sched_getaffinity"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _Spawner:
    """Starts children from one thread that lives as long as the process: the parent-death
    signal is tied to the starting thread, and a worker thread may end long before us."""

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="pdf-converter-spawner", daemon=True).start()

    def popen(self, argv: list[str], **options) -> subprocess.Popen[bytes]:
        reply: queue.SimpleQueue = queue.SimpleQueue()
        self._requests.put((argv, options, reply))
        result = reply.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def _serve(self) -> None:
        while True:
            argv, options, reply = self._requests.get()
            try:
                reply.put(subprocess.Popen(argv, preexec_fn=_die_with_parent, **options))  # noqa: PLW1509
            except (OSError, ValueError, subprocess.SubprocessError) as exc:  # raised in the caller
                reply.put(exc)


_spawner: _Spawner | None = None
_spawner_lock = threading.Lock()


def _spawn(argv: list[str], **options) -> subprocess.Popen[bytes]:
    global _spawner
    with _spawner_lock:
        if _spawner is None:
            _spawner = _Spawner()
    return _spawner.popen(argv, **options)


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


class EmbeddedUnoserver:
    """A unoserver child process; ``url`` is where it answers XML-RPC once ``start`` returned."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: str | None = None
        self._lock = threading.Lock()
        # Starts after the first: after a crash, a timeout, or a failed conversion.
        self.restarts = 0
        atexit.register(self.stop)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ensure_started(self) -> str:
        """The server's URL, starting it first if it is not running. Blocks; call off the loop."""
        with self._lock:
            if self._process is not None and not self.running:
                log.warning(
                    "pdf.converter.crashed",
                    pid=self._process.pid,
                    returncode=self._process.returncode,
                )
                self.restarts += 1
                self._stop()
            if not self.running:
                self._start()
            return self.url

    def restart(self) -> str:
        with self._lock:
            self.restarts += 1
            self._stop()
            self._start()
            return self.url

    def stop(self) -> None:
        with self._lock:
            self._stop()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running else None

    def _start(self) -> None:
        executable = shutil.which(self.command) or (
            self.command if Path(self.command).is_file() else None
        )
        if executable is None:
            raise ConverterStartFailed(
                f"the converter program {self.command!r} is not installed (run `make install`)"
            )
        port, uno_port = _free_port(), _free_port()
        self._profile = tempfile.mkdtemp(prefix="filing-assembler-lo-")
        started = time.perf_counter()
        self._process = _spawn(
            [
                *GUARD,
                executable,
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--uno-port",
                str(uno_port),
                "--user-installation",
                self._profile,
                "--quiet",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own process group: stopping it stops the LibreOffice it started too.
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                xmlrpc.client.ServerProxy(self.url, allow_none=True).info()
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.2)
                continue
            log.info(
                "pdf.converter.started",
                pid=self._process.pid,
                port=port,
                ms=round((time.perf_counter() - started) * 1000),
            )
            return
        self._stop()
        raise ConverterStartFailed("the embedded unoserver did not answer within a minute")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            # LibreOffice's launcher (oosplash) may outlive unoserver: nothing of the group stays.
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
            log.info("pdf.converter.stopped", pid=process.pid)
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

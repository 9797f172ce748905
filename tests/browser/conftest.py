"""The real app under uvicorn and Debian's Chromium driven by Playwright.

The server is ``python -m service serve`` in a subprocess on a free port of 127.0.0.1, with its
data in a SQLite file of the test's own: stopping it and starting it again is a real restart.
Its PDFs are made by the run's shared converter (one LibreOffice per test process, not one per
server started).
Chromium is required, never skipped: ``make browser`` installs it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without these Chromium waits for the network this machine does not have.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 900}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``python -m service serve`` on 127.0.0.1; ``restart`` keeps the port and the data."""

    def __init__(self, database: Path, log: Path, pdf_converter: str) -> None:
        self.port = _free_port()
        self.pdf_converter = pdf_converter
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database = database
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.database}",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
            "PDF_CONVERTER": self.pdf_converter,
        }
        env.pop("CSRF_SECRET", None)  # the secret kept beside the database must survive a restart
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                # One process: stop() and restart() act on it alone (more workers would outlive a kill).
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(
                    f"the server stopped at start:\n{self.log.read_text(errors='replace')[-3000:]}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        pytest.fail(
            f"the server did not answer within {timeout}s:\n{self.log.read_text(errors='replace')[-3000:]}",
            pytrace=False,
        )

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def downloaded(self, download: Download) -> bytes:
        """The bytes of a finished download; a failed one fails with what the server logged."""
        failure = download.failure()
        assert failure is None, (
            f"the download of {download.url} failed ({failure}); the server logged:\n"
            f"{self.log.read_text(errors='replace')[-3000:]}"
        )
        return Path(download.path()).read_bytes()

    def first_key(self) -> str | None:
        """The admin key a first start prints, where the app asks people to sign in."""
        found = re.search(r"^\s+(fa_\S+)\s*$", self.log.read_text(errors="replace"), re.MULTILINE)
        return found.group(1) if found else None


@contextlib.contextmanager
def started_server(folder: Path, pdf_converter: str) -> Iterator[Server]:
    running = Server(folder / "filing-assembler.db", folder / "server.log", pdf_converter)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def server(tmp_path: Path, converter_url: str) -> Iterator[Server]:
    """A server of the test's own, on an empty database (a module whose tests each work on an
    interview of their own may share one: ``shared_server``)."""
    with started_server(tmp_path, converter_url) as running:
        yield running


@pytest.fixture(scope="session")
def _process_server(tmp_path_factory: pytest.TempPathFactory, converter) -> Iterator[Server]:
    with started_server(
        tmp_path_factory.mktemp("server"), converter._embedded.ensure_started()
    ) as running:
        yield running


@pytest.fixture
def shared_server(_process_server: Server, converter) -> Server:
    """One server per test process for the browser tests that each make and read an interview
    of their own (and the API viewer's, which makes none): a start is 2-3 s of CPU, and four
    modules had one each. Restarted on the converter's new address when a test restarted the
    converter since (its data and first key are kept)."""
    now = converter._embedded.ensure_started()
    if _process_server.pdf_converter != now:
        _process_server.pdf_converter = now
        _process_server.restart()
    return _process_server


# Per package, not per session: while Playwright's sync API is open its event loop counts as
# running in this thread, and the suite's async tests that follow could not start their own.
# pytest ends it as soon as the next test is not a browser test, and starts it again when one
# comes (a launch is ~1.5 s of CPU, Playwright's driver and Chromium): the browser tests marked
# slow run one after the other at the start, the others together later, two launches in all
# where each of the five modules had one.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is required by the browser tests and is not at {CHROMIUM}; run `make browser`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=server.base_url, viewport=LAPTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the pictures of each page go: SCREENSHOT_DIR, else test-output/screenshots/."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "test-output" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder

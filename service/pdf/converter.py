"""Converting .docx to PDF (and a first-page PNG) through unoserver, safely for a server.

unoserver's own client (``unoserver.client.UnoClient``) has no time limit and sleeps ten
seconds between attempts to reach a server that is down, so the same XML-RPC call is made here
with a socket timeout. Every conversion:

- runs in a worker thread (the event loop never waits on LibreOffice);
- waits, in the event loop, for one of ``concurrency`` slots (LibreOffice converts one
  document at a time; more callers would only queue inside it);
- has ``timeout`` seconds; a timeout or a crash of the converter restarts the embedded
  converter (an external one is given a moment) and the job is tried once more, then it fails
  with ``ConversionFailed``, which says why.
"""

from __future__ import annotations

import asyncio
import http.client
import threading
import time
import weakref
import xmlrpc.client
from dataclasses import dataclass

import anyio
import anyio.to_thread
import structlog

from service.pdf.unoserver_process import ConverterStartFailed, EmbeddedUnoserver

log = structlog.get_logger(__name__)

EMBEDDED = "embedded"
# Writer's own export filter where LibreOffice does not find one by the extension.
_FILTERS = {"png": "writer_png_Export"}
OFF = "off"


class ConversionFailed(Exception):
    """A document could not be converted, after one restart and retry; ``str`` says why."""


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):  # type: ignore[no-untyped-def]
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


@dataclass
class PdfConverter:
    """Where to convert: ``embedded`` (a unoserver this process starts on first use, with
    ``command``), or the URL of a shared one (``http://converter:2003``)."""

    location: str
    command: str = "unoserver"
    timeout: float = 60.0
    concurrency: int = 2

    def __post_init__(self) -> None:
        self._embedded = EmbeddedUnoserver(self.command) if self.location == EMBEDDED else None
        # Slots across threads and event loops (the CLI, tests), and per event loop (above).
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._limiters: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, anyio.CapacityLimiter
        ] = weakref.WeakKeyDictionary()
        self._external_retries = 0
        # Set by stop: a warm-up still waiting to begin does not start LibreOffice.
        self._stopped = threading.Event()

    async def to_pdf(self, docx: bytes) -> bytes:
        return await self._run(docx, "pdf")

    async def first_page_png(self, docx: bytes) -> bytes:
        return await self._run(docx, "png")

    async def _run(self, docx: bytes, convert_to: str) -> bytes:
        # Jobs wait for a slot in the event loop, not in a worker thread: seventy queued
        # documents must not take the threads that rendering and other requests need.
        return await anyio.to_thread.run_sync(
            self.convert, docx, convert_to, abandon_on_cancel=True, limiter=self._loop_limiter()
        )

    def _loop_limiter(self) -> anyio.CapacityLimiter:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = anyio.CapacityLimiter(self.concurrency)
        return limiter

    def convert(self, docx: bytes, convert_to: str = "pdf") -> bytes:
        """Blocking conversion (the CLI's and the worker thread's). Raises ConversionFailed."""
        with self._slots:
            try:
                return self._call(docx, convert_to)
            except ConverterStartFailed as exc:
                raise ConversionFailed(str(exc)) from exc
            except (OSError, http.client.HTTPException, xmlrpc.client.Error) as first:
                log.warning("pdf.conversion.retrying", error=type(first).__name__)
                self._recover()
                try:
                    return self._call(docx, convert_to)
                except (
                    OSError,
                    http.client.HTTPException,
                    xmlrpc.client.Error,
                    ConverterStartFailed,
                ) as second:
                    log.error("pdf.conversion.failed", error=type(second).__name__)
                    raise ConversionFailed(_why(second)) from second

    def warm_up(self, after: float = 0.0) -> threading.Thread | None:
        """Start the embedded converter in a background thread, ``after`` seconds from now,
        so that the first generation does not wait for LibreOffice to start (about five
        seconds); a conversion asked for sooner starts it itself. Not once ``stop`` was called."""
        if self._embedded is None:
            return None

        def start() -> None:
            if self._stopped.wait(after):
                return
            try:
                self._embedded.ensure_started()
            except ConverterStartFailed as exc:
                log.warning("pdf.converter.unavailable", reason=str(exc))

        warming = threading.Thread(target=start, name="pdf-converter-start", daemon=True)
        warming.start()
        return warming

    def stop(self) -> None:
        self._stopped.set()
        if self._embedded is not None:
            self._embedded.stop()

    @property
    def server_pid(self) -> int | None:
        return self._embedded.pid if self._embedded is not None else None

    def _url(self) -> str:
        return self._embedded.ensure_started() if self._embedded is not None else self.location

    def _call(self, docx: bytes, convert_to: str) -> bytes:
        started = time.perf_counter()
        proxy = xmlrpc.client.ServerProxy(
            self._url(), transport=_TimeoutTransport(self.timeout), allow_none=True
        )
        # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
        # update_index, infiltername, password): bytes in, bytes back.
        filter_name = _FILTERS.get(convert_to)
        result = proxy.convert(
            None, xmlrpc.client.Binary(docx), None, convert_to, filter_name, [], True, None, None
        )
        data = result.data if isinstance(result, xmlrpc.client.Binary) else bytes(result)
        log.debug(
            "pdf.converted", to=convert_to, ms=round((time.perf_counter() - started) * 1000, 1)
        )
        return data

    @property
    def restarts(self) -> int:
        """Times the converter was restarted (embedded) or given a second try (external)."""
        return self._embedded.restarts if self._embedded is not None else self._external_retries

    def _recover(self) -> None:
        if self._embedded is not None:
            self._embedded.restart()
        else:
            self._external_retries += 1
            time.sleep(1)


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "the PDF converter did not finish in time"
    if isinstance(exc, ConnectionError):
        return "the PDF converter could not be reached"
    if isinstance(exc, ConverterStartFailed):
        return str(exc)
    return f"the PDF converter failed ({type(exc).__name__})"


def converter_from(
    location: str, command: str, timeout: float, concurrency: int
) -> PdfConverter | None:
    """The converter the settings name, or None when PDF conversion is off."""
    if not location or location == OFF:
        return None
    return PdfConverter(location, command=command, timeout=timeout, concurrency=concurrency)

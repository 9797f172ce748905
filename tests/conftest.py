"""Fixtures shared by the whole suite: packs, example answers, and both databases.

Tests that touch storage run against SQLite and PostgreSQL alike. PostgreSQL is required, not
optional: when it cannot be reached the run fails and says so, it never skips.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copy
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.app import create_app
from service.auth.service import KeyService
from service.packs import Pack, PackRegistry
from service.packs.loader import load_pack
from service.pdf.converter import EMBEDDED, PdfConverter
from service.sessions.service import SessionService
from service.settings import Settings
from service.storage.database import upgrade
from tests.fixtures.packs.build_mini_templates import build as build_mini_templates

# Each request of the test client would otherwise print a line.
logging.getLogger("httpx").setLevel(logging.WARNING)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Public documents the tests compare with, kept in the repository (a clone has no ../shared).
REFERENCE = FIXTURES / "reference"
LETTER_2024 = REFERENCE / "adcvd-petition-cover-letter-2024.txt"
FEDERAL_REGISTER_RULE_2013 = REFERENCE / "federal-register-final-rule-2013-14712.txt"
POSTGRES_BASE_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
# Emptied after each test (children before their parents: DELETE keeps the foreign keys).
TABLES = (
    "webhook_attempt",
    "webhook_delivery",
    "webhook",
    "sign_in",
    "idempotency_record",
    "generated_document",
    "answer_change",
    "interview_session",
    "api_key",
)
ADMIN_SCOPES = "read,write,generate,admin"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first: pytest-xdist hands tests out in this order, and a long test
    begun last would leave every other process idle until it ends."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# -- packs and answers ------------------------------------------------------------------------


def _fingerprint(*folders: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under the folders, with its size and time of change: a changed pack misses."""
    return tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in folders
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


@pytest.fixture(scope="session", autouse=True)
def _packs_loaded_once() -> Iterator[None]:
    """create_app() loads and checks every pack (a third of a second for the petition); the
    suite builds hundreds of apps over the same folders, so each folder's packs are loaded
    once per test process and shared. A pack whose files change is loaded again."""
    load = PackRegistry.load.__func__
    loaded: dict[tuple[Any, ...], PackRegistry] = {}

    def load_once(cls: type[PackRegistry], templates_dir: Path, schemas_dir: Path) -> PackRegistry:
        key = (str(templates_dir), str(schemas_dir), _fingerprint(templates_dir, schemas_dir))
        if key not in loaded:
            loaded[key] = load(cls, templates_dir, schemas_dir)
        return loaded[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(PackRegistry, "load", classmethod(load_once))
    yield
    patch.undo()


@pytest.fixture(scope="session", autouse=True)
def _no_converter_unless_asked() -> Iterator[None]:
    """Servers and commands the tests start inherit this environment; with the default
    (embedded) each would start a LibreOffice of its own as it starts (seconds of CPU on a
    busy machine), though most never make a PDF. Those that do are pointed at the run's
    shared converter (``converter_url``); the embedded default is tested in tests/pdf.

    Likewise no pool of rendering processes (a fork server and one process per core, each
    loading the packs and compiling their templates) unless a test asks for one: the pool is
    the subject of tests/rendering/test_pool.py, of the crash test that kills a server with
    its pool, and of the benchmark's memory row; elsewhere a server renders in a thread."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PDF_CONVERTER", "off")
    patch.setenv("RENDER_PROCESSES", "off")
    yield
    patch.undo()


@pytest.fixture(scope="session")
def converter() -> Iterator[PdfConverter]:
    """One embedded unoserver (LibreOffice) per test process, shared by every app under test
    and every server the tests start."""
    shared = PdfConverter(EMBEDDED, command=Settings().unoserver_command, timeout=60, concurrency=2)
    yield shared
    # After a conversion LibreOffice's launcher (oosplash) no longer ends on SIGTERM, and
    # stop() would wait its ten seconds for it; this converter holds nothing worth a clean end.
    if shared.server_pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shared.server_pid, signal.SIGKILL)
    shared.stop()


@pytest.fixture
def converter_url(converter: PdfConverter) -> str:
    """Where the shared converter answers now (a test may have restarted it), for the
    ``PDF_CONVERTER`` of a server in a process of its own."""
    return converter._embedded.ensure_started()


@pytest.fixture(scope="session")
def petition_pack() -> Pack:
    return load_pack("adcvd-petition", REPO / "templates", REPO / "schemas")


@pytest.fixture
def schema_checks(petition_pack: Pack, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The top-level keys of each set of answers the petition's JSON Schema check is given,
    in order (the pack's compiled validator watched, its outcome unchanged)."""
    from service.interview import validation

    real = validation._fast_validator(petition_pack)
    looked_at: list[list[str]] = []

    class Watching:
        def is_valid(self, answers: dict[str, Any]) -> bool:
            looked_at.append(sorted(answers))
            return real.is_valid(answers)

    monkeypatch.setitem(
        validation._fast_validators, (petition_pack.name, petition_pack.version), Watching()
    )
    return looked_at


@pytest.fixture(scope="session")
def mini_pack_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    templates = tmp_path_factory.mktemp("mini-templates")
    build_mini_templates(templates / "mini")
    return templates, FIXTURES / "packs" / "schemas"


@pytest.fixture(scope="session")
def mini_pack(mini_pack_dirs: tuple[Path, Path]) -> Pack:
    return load_pack("mini", *mini_pack_dirs)


@pytest.fixture(scope="session")
def _solar_answers() -> dict[str, Any]:
    return json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))


@pytest.fixture
def solar_answers(_solar_answers: dict[str, Any]) -> dict[str, Any]:
    """The full, corrected answers of the 2024 case; each test gets its own copy."""
    return copy.deepcopy(_solar_answers)


# -- databases --------------------------------------------------------------------------------


def run_outside_the_test_loop(make_coroutine: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine on its own loop in its own thread.

    asyncio.run() in the test thread would replace pytest-asyncio's event loop policy state,
    and the next test's app would then not close its database connections on shutdown.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, make_coroutine()).result()


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    name = f"fa_test_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        try:
            connection = await asyncpg.connect(_asyncpg_dsn(POSTGRES_BASE_URL), timeout=10)
        except (OSError, asyncpg.PostgresError) as exc:
            pytest.fail(
                f"PostgreSQL is required by the test suite and is not reachable at {POSTGRES_BASE_URL} ({exc}). "
                "Start it, or point TEST_POSTGRES_URL at a server where this user may create databases.",
                pytrace=False,
            )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    run_outside_the_test_loop(lambda: admin(f'CREATE DATABASE "{name}"'))
    url = f"{POSTGRES_BASE_URL.rsplit('/', 1)[0]}/{name}"
    upgrade(url)
    yield url
    _BACKGROUND.close(url)
    drop_database_later(name)


_DROP = """
import asyncio, sys
import asyncpg

async def drop(dsn, name):
    connection = await asyncpg.connect(dsn, timeout=30)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()

asyncio.run(drop(*sys.argv[1:]))
"""


def drop_database_later(name: str) -> None:
    """DROP DATABASE makes PostgreSQL write a checkpoint before it answers (5 to 10 s on this
    machine, once per test process at the very end of the run): the drop is left to a process
    of its own, which the run does not wait for. ``sh`` puts it in the background and ends."""
    subprocess.run(
        ["sh", "-c", '"$@" >/dev/null 2>&1 &', "sh", sys.executable, "-c", _DROP]
        + [_asyncpg_dsn(POSTGRES_BASE_URL), name],
        check=True,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'filing-assembler.db'}"
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test that asks for it runs once per backend, on empty tables."""
    url = request.getfixturevalue(f"{request.param}_url")
    yield url
    empty_tables(url)


def empty_tables(url: str) -> None:
    """Every row gone and the numbering started again, as on a fresh database. DELETE, not
    TRUNCATE: on tables of a few rows PostgreSQL's TRUNCATE takes a quarter of a second (new
    files for every table and index), DELETE a fraction of a millisecond; the sequences are
    then set back to 1, which is what TRUNCATE's RESTART IDENTITY did.

    This runs after each of ~700 tests, so it is done by the cheapest means: SQLite's file
    through the standard library's sqlite3 (an async engine, its thread and an event loop
    cost 10 ms of CPU a test), PostgreSQL through one asyncpg connection per database kept
    open on the background loop (a new connection each time took 15-20 ms: SQLAlchemy's
    dialect would cost more still, setting up its type codecs on each new connection)."""
    if url.startswith("postgresql"):
        _BACKGROUND.run(_BACKGROUND.empty_postgres(_asyncpg_dsn(url)))
        return
    with contextlib.closing(sqlite3.connect(url.split("///", 1)[1])) as connection:
        with connection:  # one transaction
            for table in TABLES:
                connection.execute(f"DELETE FROM {table}")


class _Background:
    """An event loop in a thread of its own that lasts the test process (the tests' loops come
    and go), with what is worth keeping open on it: an asyncpg connection per PostgreSQL
    database for the emptying, and an engine per database for the keys tests make."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connections: dict[str, asyncpg.Connection] = {}
        self._engines: dict[str, Any] = {}

    def _submit(self, coroutine: Awaitable[Any]) -> concurrent.futures.Future[Any]:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="background", daemon=True).start()
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def run(self, coroutine: Awaitable[Any]) -> Any:
        """From code that is not a coroutine."""
        return self._submit(coroutine).result()

    async def run_async(self, coroutine: Awaitable[Any]) -> Any:
        """From a coroutine, on whatever loop it runs."""
        return await asyncio.wrap_future(self._submit(coroutine))

    def engine(self, url: str) -> Any:
        """The database's engine (only on the background loop: its connections belong to it)."""
        if url not in self._engines:
            self._engines[url] = create_async_engine(url)
        return self._engines[url]

    async def empty_postgres(self, dsn: str) -> None:
        connection = self._connections.get(dsn)
        if connection is not None and not connection.is_closed():
            try:
                await self._delete(connection)
                return
            except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError):
                connection.terminate()  # ended under it: once more on a new one
        connection = self._connections[dsn] = await asyncpg.connect(dsn, timeout=10)
        await self._delete(connection)

    @staticmethod
    async def _delete(connection: asyncpg.Connection) -> None:
        async with connection.transaction():
            for table in TABLES:
                await connection.execute(f"DELETE FROM {table}")
            await connection.execute(
                "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                " FROM pg_sequences WHERE schemaname = current_schema()"
            )

    def close_all(self) -> None:
        """At the end: an open aiosqlite connection holds a thread that would keep the process
        from ending."""
        for url in [*self._engines, *self._connections]:
            self.close(url)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)

    def close(self, url: str) -> None:
        """What is open on the database, before it is dropped."""
        connection = self._connections.pop(_asyncpg_dsn(url), None)
        engine = self._engines.pop(url, None)
        if self._loop is not None:
            if connection is not None:
                self.run(connection.close())
            if engine is not None:
                self.run(engine.dispose())


_BACKGROUND = _Background()


@pytest.fixture(scope="session", autouse=True)
def _background_closed() -> Iterator[None]:
    yield
    _BACKGROUND.close_all()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # No PDF converter unless a test asks for one (tests/pdf share one for the whole run);
    # documents render in a worker thread (tests/rendering/test_pool.py runs the pool).
    return Settings(
        database_url=database_url,
        log_format="json",
        log_level="WARNING",
        pdf_converter="off",
        render_processes="off",
    )


async def create_key(
    database_url: str, name: str = "test key", scopes: str = ADMIN_SCOPES, owner: str | None = None
) -> str:
    """A new API key in the database at ``database_url``; returns the whole key. Made on the
    background loop with the database's engine kept there: an engine made and disposed of for
    each key (most tests make one) cost 7-9 ms of CPU, and a new connection each time."""

    async def make() -> str:
        async with AsyncSession(_BACKGROUND.engine(database_url), expire_on_commit=False) as db:
            return (await KeyService(db).create(name, scopes, owner)).secret

    return await _BACKGROUND.run_async(make())


@pytest.fixture
def make_key(database_url: str) -> Callable[..., Awaitable[str]]:
    """``await make_key(scopes="read", owner="ann")``: a key of the test's database."""

    def make(
        name: str = "test key", scopes: str = ADMIN_SCOPES, owner: str | None = None
    ) -> Awaitable[str]:
        return create_key(database_url, name, scopes, owner)

    return make


@pytest.fixture
async def admin_key(make_key: Callable[..., Awaitable[str]]) -> str:
    return await make_key("test admin", ADMIN_SCOPES)


_APPS: dict[Settings, Any] = {}


def app_for(settings: Settings):
    """The app of these settings, built once per test process: building one takes most of a
    second and the tests make hundreds over the same few settings. An app starts and stops
    again with each client (its lifespan), and its database is emptied between tests, so
    nothing of one test is left for the next. One client of an app at a time: a test that
    needs two clients of the same settings at once builds the second with create_app()."""
    if settings not in _APPS:
        _APPS[settings] = create_app(settings, configure_logs=False)
    return _APPS[settings]


@pytest.fixture
def ordinary_patches(monkeypatch):
    """The PATCHes the session service wrote: those a PATCH of the API does not write
    without the ORM (service.sessions.stored_patch), and any other writer's."""
    written = []
    real = SessionService.patch_answers

    async def counting(self, session_id, *args, **kwargs):
        written.append(session_id)
        return await real(self, session_id, *args, **kwargs)

    monkeypatch.setattr(SessionService, "patch_answers", counting)
    return written


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@contextlib.asynccontextmanager
async def in_flight_together(settings, key):
    """A client whose requests run concurrently in this event loop (entered in the test itself:
    the app's lifespan must end in the task it started in). An app of its own: the test may
    hold the suite's client of the same settings open at the same time."""
    app = create_app(settings, configure_logs=False)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local", headers=bearer(key), timeout=60
        ) as client:
            yield client


@pytest.fixture
async def client(settings: Settings, admin_key: str) -> AsyncIterator[AsyncTestClient]:
    """A client of the app that sends an admin key with every request (the API needs one);
    tests of access itself send other keys, or none, per request."""
    app = app_for(settings)
    async with AsyncTestClient(app=app) as test_client:
        test_client.headers.update(bearer(admin_key))
        yield test_client

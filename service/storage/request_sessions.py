"""Each request's database session: made when first asked for, committed or rolled back by the
response's status, closed with it.

This is what advanced-alchemy's Litestar plugin (``SQLAlchemyPlugin`` with
``before_send_handler="autocommit"``) did for the app, over advanced-alchemy's own
framework-free config. That plugin lives in ``advanced_alchemy.extensions.litestar``, whose
package imports everything the extension has (Alembic and its migration commands, Litestar's
command line with rich-click, the DTOs, the stores) whichever part is used: about a sixth of the
server's start, for nothing a request needs. Migrations are Alembic's, run by ``db upgrade``
(``service.storage.database.upgrade``); the server never imports it
(``tests/test_app.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import structlog
from advanced_alchemy.config import EngineConfig, SQLAlchemyAsyncConfig
from advanced_alchemy.exceptions import (
    DuplicateKeyError,
    ForeignKeyError,
    IntegrityError,
    NotFoundError,
    RepositoryError,
)
from advanced_alchemy.routing.context import reset_routing_context
from advanced_alchemy.routing.maker import dispose_session_maker_async
from advanced_alchemy.utils.serialization import DEFAULT_TYPE_ENCODERS
from litestar.constants import HTTP_DISCONNECT, HTTP_RESPONSE_START
from litestar.di import Provide
from litestar.exceptions import (
    ClientException,
    HTTPException,
    InternalServerException,
    NotFoundException,
)
from litestar.exceptions.responses import create_debug_response, create_exception_response
from litestar.plugins import InitPluginProtocol
from litestar.serialization import decode_json, encode_json
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

if TYPE_CHECKING:
    from litestar import Litestar, Request
    from litestar.config.app import AppConfig
    from litestar.datastructures import State
    from litestar.response import Response
    from litestar.types import Message, Scope

log = structlog.get_logger(__name__)

# Where the request's session is kept in its ASGI scope (the key and namespace
# advanced-alchemy's plugin used).
_SCOPE_NAMESPACE = "_aa_connection_state"
_SESSION_KEY = "_sqlalchemy_db_session"
# The events after which a request's session is closed: the response has started, or the
# client has gone.
_TERMINUS = {HTTP_RESPONSE_START, HTTP_DISCONNECT}
_COMMIT = range(200, 300)


def _json_text(value: Any) -> str:
    return encode_json(value).decode("utf-8")


def engine_config(**options: Any) -> EngineConfig:
    """An engine's options, with JSON columns written and read by Litestar's JSON functions
    (as the plugin's own ``EngineConfig`` had them)."""
    return EngineConfig(json_serializer=_json_text, json_deserializer=decode_json, **options)


@dataclass
class RequestSessionConfig(SQLAlchemyAsyncConfig):
    """The engine and session options, and each request's session made from them."""

    session_dependency_key: str = "db_session"
    engine_dependency_key: str = "db_engine"
    engine_app_state_key: str = "db_engine"
    session_maker_app_state_key: str = "session_maker_class"

    @asynccontextmanager
    async def lifespan(self, app: Litestar) -> AsyncGenerator[None, None]:
        app.state.update(
            {
                self.engine_app_state_key: self.get_engine(),
                self.session_maker_app_state_key: self.create_session_maker(),
            }
        )
        try:
            yield
        finally:
            await self.get_engine().dispose()
            await dispose_session_maker_async(self.session_maker)

    def provide_engine(self, state: State) -> AsyncEngine:
        return cast("AsyncEngine", state.get(self.engine_app_state_key))

    def provide_session(self, state: State, scope: Scope) -> AsyncSession:
        """The request's session: the same one for the middleware and the handler."""
        sessions = scope.setdefault(_SCOPE_NAMESPACE, {})  # type: ignore[misc]
        session = sessions.get(_SESSION_KEY)
        if session is None:
            reset_routing_context()
            maker = cast("Callable[[], AsyncSession]", state[self.session_maker_app_state_key])
            session = sessions[_SESSION_KEY] = maker()
        return session


async def _commit_or_roll_back(message: Message, scope: Scope) -> None:
    """Commit on a 2xx response, roll back on any other; close the session once the response
    has started or the client has gone."""
    sessions = scope.get(_SCOPE_NAMESPACE) or {}  # type: ignore[misc]
    session: AsyncSession | None = sessions.get(_SESSION_KEY)
    if session is None:
        return
    try:
        if message["type"] == HTTP_RESPONSE_START:
            if message["status"] in _COMMIT:
                await session.commit()
            else:
                await session.rollback()
    except Exception:  # noqa: BLE001 - the response is already decided; as the plugin did
        # Not silent, as the plugin's debug line was: a failed commit under a 2xx is a loss.
        log.warning("db.session.cleanup_failed", status=message.get("status"), exc_info=True)
    finally:
        if message["type"] in _TERMINUS:
            with contextlib.suppress(Exception):
                await session.close()
            del sessions[_SESSION_KEY]


class _Conflict(ClientException):
    status_code = 409


def _repository_error(request: Request, exc: RepositoryError) -> Response:
    """A repository's error not handled where it was raised, as the plugin answered it."""
    if isinstance(exc, NotFoundError):
        http: type[HTTPException] = NotFoundException
    elif isinstance(exc, (DuplicateKeyError, IntegrityError, ForeignKeyError)):
        http = _Conflict
    else:
        http = InternalServerException
    if request.app.debug:
        return create_debug_response(request, exc)
    return create_exception_response(request, http(detail=str(exc.detail)))


class RequestSessionsPlugin(InitPluginProtocol):
    """Installs ``RequestSessionConfig`` in the app: the engine in its state for its lifetime,
    ``db_session``/``db_engine`` as dependencies, the commit or rollback before each response,
    repository errors as HTTP errors, and the encoders for the database's own types."""

    def __init__(self, config: RequestSessionConfig) -> None:
        self.config = config

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        config = self.config
        app_config.lifespan.append(config.lifespan)
        app_config.dependencies.update(
            {
                config.engine_dependency_key: Provide(config.provide_engine, sync_to_thread=False),
                config.session_dependency_key: Provide(
                    config.provide_session, sync_to_thread=False
                ),
            }
        )
        app_config.before_send.append(_commit_or_roll_back)
        app_config.signature_namespace.update(
            {"AsyncEngine": AsyncEngine, "AsyncSession": AsyncSession}
        )
        if not any(
            isinstance(exc, int) or issubclass(exc, RepositoryError)
            for exc in app_config.exception_handlers
        ):
            app_config.exception_handlers[RepositoryError] = _repository_error
        # Below the app's own encoders: advanced-alchemy's defaults, and asyncpg's UUIDs as
        # text where asyncpg is the driver (importing it costs a SQLite server ~20 ms).
        encoders: dict[type, Callable[[Any], Any]] = {**DEFAULT_TYPE_ENCODERS}
        if "+asyncpg" in (config.connection_string or ""):
            with contextlib.suppress(ImportError):
                from asyncpg.pgproto import pgproto

                encoders[pgproto.UUID] = str
        app_config.type_encoders = {**encoders, **(app_config.type_encoders or {})}
        return app_config

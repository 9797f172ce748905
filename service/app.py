"""The application is built here, in one place: settings, packs, database, routes, errors."""

from __future__ import annotations

import time

import structlog
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.problem_details import ProblemDetailsPlugin

from service import web
from service.api.api_docs import LocalSwaggerRenderPlugin
from service.api.bodies import JsonCheckedRequest
from service.api.chat import ChatController
from service.api.documents import DocumentsController
from service.api.errors import problem_details_config
from service.api.methods import methods_middleware
from service.api.packs import PacksController
from service.api.rate_limits import STORE_NAME, rate_limit_config, rate_limit_store
from service.api.request_context import request_id_middleware
from service.api.sessions import SessionsController
from service.api.uploads import close_uploads_middleware
from service.api.webhooks import WebhooksController
from service.auth.guards import require_scope
from service.auth.middleware import AuthenticationMiddleware, SignInRequired, to_sign_in
from service.auth.pages import SignInPages
from service.dependencies import provide_actor, provide_service
from service.logging import configure_logging
from service.packs import PackRegistry
from service.pdf.converter import converter_from
from service.rendering.pool import renderer_from
from service.settings import Settings
from service.storage.database import sqlalchemy_config, tune_sqlite
from service.storage.point_reads import POINT_READS_STATE_KEY, point_reads_for
from service.storage.request_sessions import RequestSessionsPlugin
from service.storage.session_writes import SESSION_WRITES_STATE_KEY, session_writes_for
from service.web.hardening import BrowserHardening, harden_response
from service.webhooks.addresses import AddressPolicy
from service.webhooks.dispatcher import WebhookDispatcher
from service.webhooks.plugin import WebhookDeliveryPlugin

log = structlog.get_logger(__name__)

# What a server starts beside its requests (the rendering processes: the fork server's imports
# and each process's packs; the embedded converter's LibreOffice) takes seconds of CPU, which on
# a small machine its first answers would wait for. It begins this long after start-up, or at
# once when a request needs it.
BACKGROUND_START_SECONDS = 1.0


@get("/healthz", include_in_schema=False)
async def healthz(state: State) -> dict[str, object]:
    # A broken pack does not stop the service; it is named here so monitoring sees it.
    unavailable = state.packs.unavailable
    return {
        "status": "degraded" if unavailable else "ok",
        "packs": [pack.name for pack in state.packs],
        "unavailable_packs": unavailable,
    }


def create_app(settings: Settings | None = None, *, configure_logs: bool = True) -> Litestar:
    """Build the app. Loads and checks every template pack first: a broken pack is left out
    and reported (file and place) in the log, /api/packs and /healthz; the others serve."""
    settings = settings or Settings.from_env()
    if configure_logs:
        configure_logging(settings.log_level, settings.log_format)
    started = time.perf_counter()
    packs = PackRegistry.load(settings.templates_dir, settings.schemas_dir)
    log.info(
        "packs.loaded",
        count=len(packs),
        packs=[p.name for p in packs],
        ms=round((time.perf_counter() - started) * 1000, 1),
    )

    # DATABASE_POOL_SIZE is shared: a quarter for the point reads of keys and sessions, the
    # rest for the engine (PostgreSQL; SQLite's point reads use one connection).
    read_connections = max(1, settings.database_pool_size // 4)
    point_reads = point_reads_for(settings.database_url, read_connections)
    # A PATCH's writes, without the ORM: on PostgreSQL, as many connections as the reads.
    session_writes = session_writes_for(settings.database_url, read_connections)
    db_config = sqlalchemy_config(
        settings.database_url,
        max(
            1,
            settings.database_pool_size
            - (read_connections if point_reads else 0)
            - (read_connections if session_writes and not settings.is_sqlite else 0),
        ),
    )
    if settings.is_sqlite:
        tune_sqlite(db_config.get_engine())
    webhook_policy = AddressPolicy.parse(settings.webhook_allowed_hosts)
    dispatcher = WebhookDispatcher(settings, policy=webhook_policy)
    csrf = web.csrf_config(settings)
    rate_limits = rate_limit_config(settings)
    limits_store = rate_limit_store(settings)

    async def close_limits_store() -> None:
        # The Redis store's connections close with the app (a FileStore holds none).
        await limits_store.__aexit__(None, None, None)

    converter = converter_from(
        settings.pdf_converter,
        settings.unoserver_command,
        settings.pdf_timeout_seconds,
        settings.pdf_concurrency,
    )

    renderer = renderer_from(
        settings.render_processes, settings.templates_dir, settings.schemas_dir
    )

    # The app starts and stops its own converter (never one a caller put in its state), and
    # its renderer's processes.
    def start_converter() -> None:
        renderer.start(after=BACKGROUND_START_SECONDS)
        if converter is not None:
            converter.warm_up(after=BACKGROUND_START_SECONDS)

    def stop_converter() -> None:
        if converter is not None:
            converter.stop()
        renderer.stop()

    async def stop_point_reads() -> None:
        if point_reads is not None:
            await point_reads.stop()
        if session_writes is not None:
            await session_writes.stop()

    app = Litestar(
        route_handlers=[
            healthz,
            PacksController,
            SessionsController,
            ChatController,
            DocumentsController,
            WebhooksController,
            SignInPages,
            *web.route_handlers(),
        ],
        dependencies={"service": Provide(provide_service), "actor": Provide(provide_actor)},
        plugins=[
            RequestSessionsPlugin(db_config),
            WebhookDeliveryPlugin(dispatcher, settings.database_url),
            ProblemDetailsPlugin(problem_details_config),
        ],
        middleware=[
            close_uploads_middleware,
            request_id_middleware,
            DefineMiddleware(BrowserHardening, csrf_secret=csrf.secret),
            DefineMiddleware(AuthenticationMiddleware, settings=settings, db_config=db_config),
            # After authentication: the limit is counted per caller.
            *([rate_limits.middleware] if rate_limits else []),
        ],
        stores={STORE_NAME: limits_store},
        # Scopes are checked before each request's handler (not a guard: see require_scope).
        before_request=require_scope,
        exception_handlers={SignInRequired: to_sign_in},
        template_config=web.template_config(),
        csrf_config=csrf,
        openapi_config=OpenAPIConfig(
            title="Filing Assembler",
            version="0.1.0",
            description="Guided interviews that assemble documents from template packs as Word files.",
            path="/schema",
            render_plugins=[LocalSwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "ApiKey": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="An API key from `python -m service keys create`.",
                    )
                }
            ),
            security=[{"ApiKey": []}],
        ),
        state=State(
            {
                "packs": packs,
                "settings": settings,
                "webhook_dispatcher": dispatcher,
                "webhook_policy": webhook_policy,
                "pdf_converter": converter,
                "renderer": renderer,
                POINT_READS_STATE_KEY: point_reads,
                SESSION_WRITES_STATE_KEY: session_writes,
                "db_config": db_config,
            }
        ),
        before_send=[harden_response],
        on_startup=[start_converter],
        on_shutdown=[stop_converter, stop_point_reads, close_limits_store],
        request_max_body_size=settings.max_body_bytes,
        request_class=JsonCheckedRequest,
        # Logging is structlog's, configured once in service.logging; Litestar must not add its own.
        logging_config=None,
        debug=settings.debug,
    )
    # Before routing, which answers a HEAD without a HEAD handler with 405 before any middleware.
    app.asgi_handler = methods_middleware(app.asgi_handler)
    return app

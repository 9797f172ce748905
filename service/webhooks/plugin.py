"""Runs the webhook dispatcher for the app's lifetime on the app's database engine."""

from __future__ import annotations

from contextlib import asynccontextmanager

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from sqlalchemy.ext.asyncio import async_sessionmaker

from service.webhooks.dispatcher import WebhookDispatcher


class WebhookDeliveryPlugin(InitPluginProtocol):
    def __init__(self, dispatcher: WebhookDispatcher, db_config: SQLAlchemyAsyncConfig) -> None:
        self.dispatcher = dispatcher
        self.db_config = db_config

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.lifespan.append(self.lifespan)
        return app_config

    @asynccontextmanager
    async def lifespan(self, _app: Litestar):
        engine = self.db_config.get_engine()
        try:
            async with self.dispatcher.running(async_sessionmaker(engine, expire_on_commit=False)):
                yield
        finally:
            # advanced-alchemy's plugin (entered after this one) disposes the engine first; a
            # query of the dispatcher's still running then would leave a connection in a
            # new pool, so dispose again once the dispatcher has stopped.
            await engine.dispose()

"""Runs the webhook dispatcher for the app's lifetime, on a database engine of its own."""

from __future__ import annotations

from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from sqlalchemy.ext.asyncio import async_sessionmaker

from service.storage.database import background_engine
from service.webhooks.dispatcher import WebhookDispatcher


class WebhookDeliveryPlugin(InitPluginProtocol):
    def __init__(self, dispatcher: WebhookDispatcher, database_url: str) -> None:
        self.dispatcher = dispatcher
        self.database_url = database_url

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.lifespan.append(self.lifespan)
        return app_config

    @asynccontextmanager
    async def lifespan(self, _app: Litestar):
        engine = background_engine(self.database_url)
        try:
            async with self.dispatcher.running(async_sessionmaker(engine, expire_on_commit=False)):
                yield
        finally:
            await engine.dispose()

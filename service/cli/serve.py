"""``serve``: migrate, then run the app under uvicorn."""

from __future__ import annotations

import argparse

import structlog
import uvicorn

from service.cli.keys import create_first_admin_key
from service.isolation import warm_up
from service.packs.plugins import import_preload, installed
from service.logging import configure_logging
from service.settings import Settings
from service.storage.database import upgrade

log = structlog.get_logger(__name__)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="apply migrations and serve the app")
    parser.add_argument("--host", default=None, help="default: HOST or 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default: PORT or 8000")
    parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    if not args.no_migrate:
        upgrade(settings.database_url)
        log.info("db.upgraded", revision="head")
    create_first_admin_key(settings)
    # Imported letters are read in processes forked from this server: started before the first.
    warm_up(import_preload(p.importer for p in installed().values() if p.importer))
    host = args.host or settings.host
    port = args.port or settings.port
    log.info("server.starting", url=f"http://{host}:{port}/")
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, log_config=None, proxy_headers=True)
    return 0

"""``db upgrade``: apply pending migrations to DATABASE_URL."""

from __future__ import annotations

import argparse

import structlog

from service.logging import configure_logging
from service.settings import Settings
from service.storage.database import upgrade

log = structlog.get_logger(__name__)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("db", help="database maintenance")
    sub = parser.add_subparsers(dest="db_command", required=True)
    up = sub.add_parser("upgrade", help="apply pending migrations")
    up.add_argument("--revision", default="head")
    up.set_defaults(run=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    upgrade(settings.database_url, args.revision)
    log.info(
        "db.upgraded",
        revision=args.revision,
        backend="sqlite" if settings.is_sqlite else "postgresql",
    )
    return 0

"""``keys create | list | revoke``: the API keys of portals and people.

A key is printed once, when it is made; only its SHA-256 is stored, so a lost key is revoked
and replaced, never shown again."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from advanced_alchemy.exceptions import RepositoryError
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.auth.identity import SCOPES, UnknownScope
from service.auth.service import KeyNotFound, KeyService, NewKey
from service.logging import configure_logging
from service.settings import Settings
from service.storage.database import tune_sqlite

T = TypeVar("T")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("keys", help="create, list and revoke API keys")
    sub = parser.add_subparsers(dest="keys_command", required=True)

    create = sub.add_parser("create", help="make a key and print it once")
    create.add_argument("--name", required=True, help="who or what uses it, e.g. 'matter portal'")
    create.add_argument("--scopes", required=True, help=f"comma-separated, of: {', '.join(SCOPES)}")
    create.add_argument(
        "--owner",
        default=None,
        help="whose sessions it works on (default: its own); keys with the same owner share sessions, "
        "and a person's key carries their name, as the proxy header would",
    )
    create.set_defaults(run=run_create)

    listing = sub.add_parser("list", help="every key, without its secret")
    listing.set_defaults(run=run_list)

    revoke = sub.add_parser("revoke", help="stop a key at once (and the sign-ins made with it)")
    revoke.add_argument("key_id", help="the id shown by 'keys list' (the part after 'fa_')")
    revoke.set_defaults(run=run_revoke)


def run_create(args: argparse.Namespace) -> int:
    try:
        new: NewKey = _with_keys(lambda keys: keys.create(args.name, args.scopes, args.owner))
    except (UnknownScope, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_new_key(new)
    return 0


def run_list(_args: argparse.Namespace) -> int:
    rows = _with_keys(lambda keys: keys.list())
    if not rows:
        print(
            "No keys. Make one with: python -m service keys create --name NAME --scopes read,write"
        )
        return 0
    print(f"{'KEY ID':<14} {'NAME':<28} {'OWNER':<28} {'SCOPES':<26} {'CREATED':<17} STATUS")
    for row in rows:
        status = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        print(
            f"{row.key_id:<14} {_cut(row.name, 28)} {_cut(row.owner, 28)} {row.scopes:<26} {row.created_at:%Y-%m-%d %H:%M} {status}"
        )
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    key_id = args.key_id.removeprefix("fa_").split("_")[0]
    try:
        row = _with_keys(lambda keys: keys.revoke(key_id))
    except KeyNotFound:
        print(
            f"error: there is no key {key_id!r}; 'python -m service keys list' shows them",
            file=sys.stderr,
        )
        return 1
    print(f"Key {row.key_id} ({row.name}) is revoked.")
    return 0


def print_new_key(new: NewKey, heading: str = "New API key") -> None:
    row = new.row
    print(
        f"{heading} {row.key_id} ({row.name}); scopes {row.scopes}; owner {row.owner}.\n"
        "This is the only time the key is shown. Keep it in a password manager or a secret store:\n\n"
        f"    {new.secret}\n\n"
        "Send it as:  Authorization: Bearer <key>",
        flush=True,
    )


def _with_keys(action: Callable[[KeyService], Awaitable[T]]) -> T:
    settings = Settings.from_env()
    configure_logging("WARNING", settings.log_format)

    async def work() -> T:
        engine = create_async_engine(settings.database_url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as db:
                return await action(KeyService(db))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(work())
    except (OperationalError, ProgrammingError, RepositoryError) as exc:
        # advanced-alchemy's repository methods wrap the driver's error; its text stays.
        if "api_key" in str(exc) or "api_key" in str(exc.__cause__):
            print(
                "error: the database has no key table yet; run 'python -m service db upgrade' first",
                file=sys.stderr,
            )
            raise SystemExit(1) from None
        raise


def _cut(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def create_first_admin_key(settings: Settings) -> NewKey | None:
    """On a first start (no key at all in the database): an admin key, printed once."""

    async def work() -> NewKey | None:
        engine = create_async_engine(settings.database_url)
        if settings.is_sqlite:
            tune_sqlite(engine)  # WAL and a busy timeout: servers starting together wait their turn
        try:
            async with AsyncSession(engine, expire_on_commit=False) as db:
                return await KeyService(db).create_first_admin_key()
        finally:
            await engine.dispose()

    new = asyncio.run(work())
    if new is not None:
        print("=" * 78)
        print_new_key(new, heading="First start: an admin key was made for you,")
        print(
            "Sign in to the web form with it, or make personal keys with 'python -m service keys create'."
        )
        print("=" * 78, flush=True)
    return new

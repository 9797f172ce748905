"""``packs check [PACK]``: every problem of the packs' templates, one per line, for CI.

Exits 1 when any pack has a problem (or the named pack does not exist), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from service.packs import PackError, load_checked_pack
from service.packs.loader import discover
from service.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("packs", help="template packs")
    sub = parser.add_subparsers(dest="packs_command", required=True)
    check = sub.add_parser("check", help="check the packs' templates against their schemas")
    check.add_argument("pack", nargs="?", help="one pack (default: every pack)")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    names = discover(settings.templates_dir, settings.schemas_dir)
    if args.pack and args.pack not in names:
        print(f"no pack named {args.pack!r} under {settings.schemas_dir}", file=sys.stderr)
        return 1
    failed = 0
    for name in [args.pack] if args.pack else names:
        try:
            load_checked_pack(name, settings.templates_dir, settings.schemas_dir)
        except PackError as exc:
            failed += 1
            print(f"{name}: {len(exc.problems)} problem(s)", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        print(f"{name}: ok")
    return 1 if failed else 0

"""The command line: ``python -m service serve | db upgrade | render | keys | packs check``."""

from __future__ import annotations

import argparse
import sys

from service.cli import db, keys, packs, render, serve


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description="Filing Assembler")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (serve, db, render, keys, packs):
        module.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

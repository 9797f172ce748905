"""The command line: ``python -m service serve | db upgrade | render | keys | packs check``.

Each command's module is imported only when that command runs: ``render`` needs the packs and
the renderer, not the database or the web framework, and starts faster without them.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

# Command name → the module under service.cli that defines it (``add_parser`` and its runner).
COMMANDS = {"serve": "serve", "db": "db", "render": "render", "keys": "keys", "packs": "packs"}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser, or only ``only``'s (the others are not imported)."""
    parser = argparse.ArgumentParser(prog="python -m service", description="Filing Assembler")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"service.cli.{module}").add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    first = next((a for a in argv if not a.startswith("-")), None)
    # A command's imports make tens of thousands of objects that stay until the process ends;
    # collecting while they are made walks them again and again (~15 % of a start's CPU).
    gc.disable()
    try:
        args = build_parser(first if first in COMMANDS else None).parse_args(argv)
    finally:
        gc.enable()
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

"""``render ANSWERS.json --out DIR [--pdf]``: a pack's documents from a file of answers, without a server.

The answers are checked as the web form and the API check them (one validation path); any
error is printed as ``path: message`` and nothing is written. With ``--pdf`` each document is
also written as PDF, with the whole packet as ``packet.pdf``, and the page count printed in
the documents is the packet's (the converter is the one the settings name).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import yaml

from service.interview.engine import open_problems
from service.interview.validation import value_problems
from service.json_depth import MAX_DEPTH, nesting
from service.packs import PackError, load_pack
from service.packs.loader import discover
from service.pdf.converter import EMBEDDED, converter_from
from service.pdf.packet import join
from service.pdf.paginated import render_paginated
from service.problems import errors
from service.rendering.packet import render_packet
from service.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("render", help="write a pack's documents for a file of answers")
    parser.add_argument("answers", type=Path, metavar="ANSWERS.json", help="the answers, as JSON")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder to write the .docx files into",
    )
    parser.add_argument(
        "--pack",
        help="template pack (default: the one pack whose answers schema has every top-level key of the file)",
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also write each document as PDF, and packet.pdf"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """0 when every document was written; 1 for unreadable answers, a broken pack or errors."""
    try:
        answers = json.loads(args.answers.read_text(encoding="utf-8"))
    except OSError as exc:
        return _fail(f"{args.answers}: cannot be read: {exc.strerror or exc}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _fail(f"{args.answers}: not valid JSON: {exc}")
    except RecursionError:
        return _fail(
            f"{args.answers}: the JSON is nested too deeply; at most {MAX_DEPTH} levels are accepted"
        )
    if not isinstance(answers, dict):
        return _fail(f"{args.answers}: the answers must be a JSON object")
    # The same bound as the API's: the checks walk the answers recursively.
    if nesting(answers) > MAX_DEPTH:
        return _fail(
            f"{args.answers}: the JSON is nested too deeply; at most {MAX_DEPTH} levels are accepted"
        )
    name = args.pack or _pack_for(answers)
    if name is None:
        return _fail(f"{args.answers}: cannot tell which pack the answers are for; use --pack")
    try:
        pack = load_pack(name)
    except PackError as exc:
        return _fail(str(exc))

    # Values their field refuses, then what is missing or inconsistent; one line per path.
    refused = value_problems(pack, answers)
    seen = {problem.path for problem in refused}
    problems = refused + [p for p in open_problems(pack, answers) if p.path not in seen]
    for problem in problems:
        print(
            f"{problem.path}: {problem.message}"
            + ("" if problem.severity == "error" else " (warning)"),
            file=sys.stderr,
        )
    if errors(problems):
        return _fail(f"{args.answers}: {len(errors(problems))} error(s); no document written")

    args.out.mkdir(parents=True, exist_ok=True)
    if not args.pdf:
        for document in render_packet(pack, answers):
            _write(args.out / document.file_name, document.content)
        return 0
    settings = Settings.from_env()
    converter = converter_from(
        settings.pdf_converter or EMBEDDED,
        settings.unoserver_command,
        settings.pdf_timeout_seconds,
        1,
    )
    try:
        packet = asyncio.run(render_paginated(pack, answers, converter))
    finally:
        if converter is not None:
            converter.stop()
    for item in packet.documents:
        _write(args.out / item.document.file_name, item.document.content)
        if item.pdf is not None:
            _write(args.out / f"{item.document.file_name.removesuffix('.docx')}.pdf", item.pdf)
    for note in packet.notes:
        print(f"note: {note}", file=sys.stderr)
    if any(item.pdf is None for item in packet.documents):
        return _fail("no PDF was written")
    _write(args.out / "packet.pdf", join(item.pdf for item in packet.documents if item.pdf))
    print(
        f"packet.pdf: {packet.pages} pages; the letter says {packet.printed_pages}", file=sys.stderr
    )
    return 0


def _pack_for(answers: dict) -> str | None:
    """The pack a file of answers is for: the only one whose schema has all its top-level keys."""
    settings = Settings.from_env()
    fitting = [
        name
        for name in discover(settings.templates_dir, settings.schemas_dir)
        if answers.keys() <= set(_schema_properties(settings.schemas_dir / name))
    ]
    return fitting[0] if len(fitting) == 1 else None


def _schema_properties(schema_dir: Path) -> dict:
    try:
        definition = yaml.safe_load((schema_dir / "interview.yaml").read_text(encoding="utf-8"))
        schema = json.loads((schema_dir / definition["schema"]).read_text(encoding="utf-8"))
        return schema.get("properties", {})
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return {}


def _write(target: Path, content: bytes) -> None:
    target.write_bytes(content)
    print(target)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1

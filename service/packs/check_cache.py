"""What the packs check found clean, remembered between starts, by content.

Every start checks every pack (``loader``): the answers schema against JSON Schema's
meta-schema, and each Word template (tracked changes, comments, Jinja that parses and
compiles, fields the schema defines). With the packs shipped, that is about a quarter of a
second of the server's start, and it imports docxtpl, python-docx and lxml into a process that
renders nothing. The outcome is a pure function of its inputs, so a clean outcome is remembered under a
key made of all of them:

- the bytes of each template and its per-item name, the schema, the pack's derived names;
- the source of the code that checks (``check``, ``loader``, ``docx_template``, ``compiled``,
  ``filters``, ``packet``, ``errors``) and the versions of the libraries it runs (docxtpl,
  docxtpl-lint, Jinja, python-docx, lxml, jsonschema, MarkupSafe).

Change any of them and the key is new: the check runs again. Only clean outcomes are kept, so a
broken pack is checked, and reported, on every start. The cache is a folder of empty files
named by key (``$XDG_CACHE_HOME/filing-assembler/packs-check``, else ``~/.cache/...``); when it
cannot be read or written the check simply runs, as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

_SERVICE = Path(__file__).resolve().parents[1]
# The code whose outcome is remembered: a change to any of it makes every key new.
_CHECKER_SOURCES = (
    "packs/check.py",
    "packs/check_cache.py",
    "packs/loader.py",
    "rendering/docx_template.py",
    "rendering/compiled.py",
    "rendering/errors.py",
    "rendering/filters.py",
    "rendering/packet.py",
)
_CHECKER_LIBRARIES = (
    "docxtpl",
    "docxtpl-lint",
    "jinja2",
    "python-docx",
    "lxml",
    "jsonschema",
    "markupsafe",
)


def folder() -> Path:
    """Where clean outcomes are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "filing-assembler" / "packs-check"


@functools.cache
def _checker() -> str:
    digest = hashlib.sha256()
    for relative in _CHECKER_SOURCES:
        digest.update(relative.encode() + b"\0" + (_SERVICE / relative).read_bytes() + b"\0")
    for name in _CHECKER_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def key(kind: str, parts: Iterable[object]) -> str:
    """The key of one outcome: ``kind`` and ``parts`` (bytes as they are, anything else as
    JSON with sorted keys), with the checker's own code and libraries."""
    digest = hashlib.sha256(f"{kind}\0{_checker()}\0".encode())
    for part in parts:
        if isinstance(part, bytes):
            data = b"b" + part
        else:  # sets (of names) as sorted lists
            data = b"j" + json.dumps(part, sort_keys=True, default=_listed).encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"{kind}-{digest.hexdigest()}"


def _listed(value: object) -> list[object]:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} in a check cache key")


def known_clean(entry: str) -> bool:
    try:
        return (folder() / entry).is_file()
    except OSError:
        return False


def remember_clean(entry: str) -> None:
    try:
        place = folder()
        place.mkdir(parents=True, exist_ok=True)
        (place / entry).touch()
    except OSError as exc:  # read-only home, no home: the next start checks again
        log.debug("packs.check_cache.unwritable", error=str(exc))

"""The engine (everything under service/) names no pack: the petition lives in its own package."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[1] / "service"
# Third-party files copied from npm by `make assets` (htmx, Swagger UI): not the engine's words.
VENDOR = SERVICE / "web" / "static" / "vendor"

# Words only the petition's own package has a reason to say.
PETITION_WORDS = re.compile(
    r"petition|adcvd|ad/cvd|antidumping|countervailing|\bbpi\b|exhibit|commerce|"
    r"\bitc\b|officeholder|cover letter|trade law",
    re.IGNORECASE,
)


def test_no_module_of_the_engine_names_the_petition():
    found = [
        f"{path.relative_to(SERVICE.parent)}:{number}: {line.strip()}"
        for path in sorted(SERVICE.rglob("*"))
        if path.suffix in (".py", ".html", ".css", ".js", ".ini", ".mako")
        and VENDOR not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PETITION_WORDS.search(line)
    ]
    assert found == []


def test_the_check_would_see_a_petition_word():
    assert PETITION_WORDS.search("from adcvd_petition.rules import citations")
    assert PETITION_WORDS.search("a BPI item")

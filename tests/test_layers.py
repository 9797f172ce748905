"""The folders are the architecture: the web pages and authentication stand beside the JSON
API, never on it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parents[1] / "service"


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(SERVICE.parent))] = names
    return found


@pytest.mark.parametrize("folder", ["web", "auth"])
def test_imports_nothing_from_the_api(folder):
    offending = {
        module: sorted(n for n in names if n == "service.api" or n.startswith("service.api."))
        for module, names in imported_modules(SERVICE / folder).items()
    }
    assert {m: n for m, n in offending.items() if n} == {}


def test_webhooks_take_an_owner_not_an_identity():
    names = set().union(*imported_modules(SERVICE / "webhooks").values())
    # The key's table, for the join that finds who listens, is storage, not authentication.
    from_auth = {n for n in names if n == "service.auth" or n.startswith("service.auth.")}
    assert from_auth <= {"service.auth.models"}

"""The server process imports what serving needs: documents are rendered, PDFs read and pages
drawn in other processes or on first use, migrations are run by their own command, webhooks
are sent with a client made for the first delivery, and the packs check is remembered by
content."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import service.cli.serve  # what `serve` imports before uvicorn calls server_process.served_app
import service.cli.server_process
from service.app import create_app
from service.settings import Settings

app = create_app(Settings(database_url=sys.argv[1]), configure_logs=False)
assert [p.name for p in app.state.packs] == ["adcvd-petition", "federal-register-rule"]
assert not app.state.packs.unavailable
print("LOADED=" + ",".join(sorted(m for m in sys.argv[2].split(",") if m in sys.modules)))
"""
RENDERING = "docxtpl,docx,lxml,docxtpl_lint,docxcompose,babel,pypdf,PIL,pypdfium2"
# The Python JSON Schema validator checks a schema against the meta-schema (remembered like
# the templates' check) and words a refused answer; jsonschema-rs checks every answer.
SCHEMA_WORDING = "jsonschema,referencing,jsonschema_specifications"


# Alembic (with Mako) migrates, in `db upgrade` and `serve` without --no-migrate;
# advanced-alchemy's Litestar extension imports it, and Litestar's command line with
# rich-click, whichever part of it is used (service.storage.request_sessions has the part the
# app used); httpx and httpcore send webhooks; asyncpg is PostgreSQL's driver (the probe's
# server is on SQLite). Together about a quarter of a start's imports.
NOT_FOR_SERVING = (
    "alembic,mako,advanced_alchemy.extensions.litestar,advanced_alchemy.alembic.commands,"
    "litestar.cli,rich_click,httpx,httpcore,asyncpg"
)


def probe(tmp_path: Path, modules: str = RENDERING) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", modules],
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("LOADED=", 1)[1].strip()


def test_the_app_imports_no_rendering_library_once_its_packs_were_checked(tmp_path):
    # The first start checks the templates (with docxtpl) and the schemas, and remembers it.
    assert "jsonschema" in probe(tmp_path, f"{RENDERING},{SCHEMA_WORDING}").split(",")
    assert probe(tmp_path, f"{RENDERING},{SCHEMA_WORDING}") == ""


def test_the_server_imports_neither_migrations_nor_an_http_client(tmp_path):
    assert probe(tmp_path, NOT_FOR_SERVING) == ""

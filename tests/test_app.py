"""The server process imports what serving needs: documents are rendered, PDFs read and pages
drawn in other processes or on first use, and the packs check is remembered by content."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from service.app import create_app
from service.settings import Settings

app = create_app(Settings(database_url=sys.argv[1]), configure_logs=False)
assert [p.name for p in app.state.packs] == ["adcvd-petition", "federal-register-rule"]
assert not app.state.packs.unavailable
loaded = {m.split(".")[0] for m in sys.modules}
print("LOADED=" + ",".join(sorted(loaded & set(sys.argv[2].split(",")))))
"""
RENDERING = "docxtpl,docx,lxml,docxtpl_lint,docxcompose,babel,pypdf,PIL,pypdfium2"


def probe(tmp_path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", RENDERING],
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
    probe(tmp_path)  # the first start checks the templates (with docxtpl) and remembers it
    assert probe(tmp_path) == ""

"""Word is the source: the one-off generators write missing templates, never over a firm's edits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_petition_generator_keeps_an_existing_template(tmp_path):
    edited = tmp_path / "cover-letter.docx"
    edited.write_bytes(b"edited in Word")
    script = REPO / "templates" / "adcvd-petition" / "build_templates.py"
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert edited.read_bytes() == b"edited in Word"
    assert f"{edited}: exists, kept as it is" in run.stdout
    assert (tmp_path / "counsel-certification.docx").read_bytes()[:2] == b"PK"

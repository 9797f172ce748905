"""Fixtures of the pack tests."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def pack_dirs(tmp_path: Path, mini_pack_dirs: tuple[Path, Path]) -> tuple[Path, Path]:
    """A copy of the mini pack's folders that a test may edit."""
    templates, schemas = mini_pack_dirs
    shutil.copytree(templates, tmp_path / "templates")
    shutil.copytree(schemas, tmp_path / "schemas")
    return tmp_path / "templates", tmp_path / "schemas"

"""Rules any pack may use without Python of its own."""

from __future__ import annotations

from typing import Any


def answers_as_context(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers themselves are the template context: for packs that derive nothing."""
    return dict(answers)

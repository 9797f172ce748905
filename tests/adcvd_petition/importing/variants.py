"""Variants of the 2024 letter, each changing one thing, for the recogniser tests."""

from __future__ import annotations

from adcvd_petition.importing import LetterImport, import_letter

from tests.adcvd_petition.importing.letters import reference_text


def import_variant(*replacements: tuple[str, str], count: int = -1) -> LetterImport:
    """Import the reference letter with each (old, new) replaced; every old must occur."""
    text = reference_text()
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the reference letter"
        text = text.replace(old, new, count)
    return import_letter(text.encode("utf-8"), "letter.txt")


def codes(result: LetterImport) -> list[tuple[str, str, str]]:
    return [(n.path, n.code, n.severity) for n in result.notes]


def missing(result: LetterImport) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in result.not_found)

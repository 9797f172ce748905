"""Start from the last filing: read an earlier cover letter into answers of a new interview.

``import_letter`` takes the bytes of a .docx or plain-text letter and gives back what could
be recognised as answers of the AD/CVD petition pack (valid against its answers schema), what
was looked for and not found, and the inconsistencies the letter itself shows. It never
invents an answer and never raises on bad input: an unreadable file gives empty answers and
says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from adcvd_petition.importing.certifications import read_certifications
from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.heading import read_heading
from adcvd_petition.importing.layout import split_letter
from adcvd_petition.importing.parties import read_petitioners, read_product_and_countries
from adcvd_petition.importing.signature import read_consultants, read_counsel
from adcvd_petition.importing.source import read_source
from adcvd_petition.importing.volumes import read_volumes
from service.problems import Problem

T = TypeVar("T")

# The answers in the order of the schema, so that every import lists them the same way.
_ORDER = (
    "filing",
    "addressees",
    "product",
    "countries",
    "itc",
    "petitioners",
    "coalition",
    "counsel",
    "consultants",
    "volumes",
    "company_certifications",
    "representative_certification",
    "counsel_certification",
)


@dataclass(frozen=True)
class LetterImport:
    answers: dict[str, Any] = field(default_factory=dict)
    # Paths of the interview's questions that the letter answered: "filing.date", "countries",
    # "volumes[1].bpi_items".
    recognised: list[str] = field(default_factory=list)
    # "counsel.telephone: no telephone number after the firm's address".
    not_found: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def import_letter(data: bytes, filename: str) -> LetterImport:
    """Read a cover letter (.docx or text) into answers; see the module docstring."""
    source = read_source(data, filename)
    if source.unreadable:
        return LetterImport(
            not_found=[f"letter: {source.unreadable}"],
            notes=[
                Problem(path="", message=_sentence(source.unreadable), code="import.unreadable")
            ],
        )
    letter = split_letter(source)
    found = Findings()
    summaries = _guarded(found, "filing", {}, read_heading, letter, found)
    _guarded(found, "countries", None, read_product_and_countries, letter, found)
    _guarded(found, "petitioners", None, read_petitioners, letter, found)
    firm_spellings = _guarded(
        found, "company_certifications", [], read_certifications, letter, found
    )
    _guarded(found, "counsel", None, read_counsel, letter, found, firm_spellings)
    _guarded(found, "consultants", None, read_consultants, letter, found)
    _guarded(found, "volumes", None, read_volumes, letter, found, summaries)

    answers = {key: _ordered(found.answers[key]) for key in _ORDER if key in found.answers}
    notes = sorted(found.notes, key=lambda note: _section_rank(note.path))
    if source.caveat:
        notes.insert(
            0,
            Problem(
                path="",
                message=_sentence(source.caveat),
                severity="warning",
                code="import.not_docx",
            ),
        )
    if not answers:
        notes.append(
            Problem(
                path="",
                message="Nothing in the file could be read as part of an AD/CVD petition cover letter.",
                severity="warning",
                code="import.nothing_recognised",
            )
        )
    return LetterImport(
        answers=answers,
        recognised=question_paths(answers),
        not_found=sorted(found.not_found, key=_section_rank),
        notes=notes,
    )


def _guarded(found: Findings, part: str, fallback: T, read: Callable[..., T], *args: Any) -> T:
    """Run one recogniser; should it fail on a letter nobody foresaw, keep what the others
    read and say which part is left to fill in by hand, rather than lose the whole import."""
    try:
        return read(*args)
    except MemoryError:
        # Out of the import's memory budget: the whole import is refused, not one part of it.
        raise
    except Exception as error:  # noqa: BLE001 - the import must never fail as a whole
        found.note(
            part,
            f"This part of the letter could not be read ({type(error).__name__}); fill it in "
            "by hand.",
            code="import.internal_error",
        )
        return fallback


def _section_rank(path: str) -> int:
    """Where an entry's answer comes in the interview, so reports read in the letter's order."""
    section = re.split(r"[.\[:]", path, maxsplit=1)[0]
    return _ORDER.index(section) if section in _ORDER else -1


def question_paths(answers: dict[str, Any]) -> list[str]:
    """The interview questions the answers fill in: a scalar answer by its path, a group
    ("countries") once, and a group inside a group item ("volumes[1].bpi_items") per item."""
    out: list[str] = []

    def walk(node: dict[str, Any], prefix: str, inside_item: bool) -> None:
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(value, path, inside_item)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                out.append(path)
                for index, item in enumerate(value):
                    nested(item, f"{path}[{index}]")
            elif not inside_item:
                out.append(path)

    def nested(item: dict[str, Any], prefix: str) -> None:
        for key, value in item.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                out.append(f"{prefix}.{key}")

    walk(answers, "", False)
    return out


# Fields of each object in the order of the schema; keys not named keep their place after these.
_FIELD_ORDER = (
    "date",
    "total_pages",
    "version",
    "name",
    "short_name",
    "basis",
    "ad_case",
    "cvd_case",
    "has_members",
    "member_description",
    "members_basis",
    "members",
    "included",
    "firm",
    "address",
    "telephone",
    "attorneys",
    "people",
    "numeral",
    "title",
    "kind",
    "country",
    "has_bpi",
    "bpi_items",
    "paragraph",
    "pages",
    "exhibit_list",
    "exhibits",
    "company",
    "represents",
    "capacity",
)


def _ordered(value: Any) -> Any:
    """The same answers with every object's fields in schema order (certifications keep
    name, title, company, represents, date), so that JSON reads the way the interview asks."""
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    if not isinstance(value, dict):
        return value
    keys = sorted(value, key=lambda k: _rank(k, value))
    return {key: _ordered(value[key]) for key in keys}


def _rank(key: str, obj: dict[str, Any]) -> int:
    # A certification's date comes last, after who certifies; a filing's date first.
    if key == "date" and "name" in obj:
        return len(_FIELD_ORDER)
    return _FIELD_ORDER.index(key) if key in _FIELD_ORDER else len(_FIELD_ORDER) + 1


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."

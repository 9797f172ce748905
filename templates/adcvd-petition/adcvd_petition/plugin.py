"""What the petition pack adds to the engine, through the same interface as any pack's plugin
(``service.packs.plugins``): its rules, its answer types and its importer of cover letters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules import citations, officeholders, petition_checks, petition_context
from service.packs.plugins import Importer, PackPlugin, QuestionType, Unreadable


def _parse_pages(text: str, refs: Mapping[str, Any]) -> list[int]:
    try:
        return citations.parse_pages(text) if text else []
    except citations.CitationError as exc:
        raise Unreadable(str(exc)) from exc


def _parse_exhibits(text: str, refs: Mapping[str, Any]) -> list[str]:
    # "3, 4" in a volume numbered I reads as I-3, I-4.
    numeral = refs.get("numeral_from")
    try:
        return (
            citations.parse_exhibits(text, numeral if isinstance(numeral, str) else None)
            if text
            else []
        )
    except citations.CitationError as exc:
        raise Unreadable(str(exc)) from exc


def _format_pages(value: Any) -> str:
    return citations.format_pages(value) if isinstance(value, list) else str(value)


def _format_exhibits(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _list_of(item_type: str):
    return lambda s: s.get("type") == "array" and s.get("items", {}).get("type") == item_type


PAGE_LIST = QuestionType(
    name="page_list",
    fits=_list_of("integer"),
    parse=_parse_pages,
    format=_format_pages,
    blank_is_answer=True,
    hint="Type page numbers and ranges, such as 3, 4, 6-9; leave it empty for none.",
)

EXHIBIT_LIST = QuestionType(
    name="exhibit_list",
    fits=_list_of("string"),
    parse=_parse_exhibits,
    format=_format_exhibits,
    refers=("numeral_from",),
    blank_is_answer=True,
    hint="Type exhibits such as I-3, I-4, or 3, 4 within the volume; leave it empty for none.",
)


def _import_letter(data: bytes, filename: str):
    # Imported on first use: the importer is large and most processes never run it.
    from adcvd_petition.importing import import_letter

    return import_letter(data, filename)


plugin = PackPlugin(
    rules={
        "adcvd.document_context": petition_context.document_context,
        "adcvd.session_title": petition_context.session_title,
        "adcvd.checks": petition_checks.checks,
        "adcvd.commerce_secretary": officeholders.commerce_secretary,
        "adcvd.itc_secretary": officeholders.itc_secretary,
        "adcvd.product_in_text": petition_context.product_in_text,
    },
    question_types=(PAGE_LIST, EXHIBIT_LIST),
    importer=Importer(
        read=_import_letter,
        document="an earlier cover letter",
        accept=(".docx", ".txt"),
        preload=("adcvd_petition.importing",),
    ),
    derived_names=petition_context.DERIVED_NAMES,
)

"""Helpers the tests share: reading generated Word documents and answering like a person."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from docx import Document
from docx.text.paragraph import Paragraph
from lxml import etree

from service.interview import paths

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraphs(content: bytes) -> list[str]:
    """The body's paragraphs as text, read back with python-docx (tables included)."""
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def reading_order(content: bytes) -> list[Paragraph]:
    """The body's paragraphs in the order they are read, those of table cells in their place."""
    document = Document(io.BytesIO(content))
    paragraphs: list[Paragraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block)
        else:
            for row in block.rows:
                for cell in row.cells:
                    paragraphs += cell.paragraphs
    return paragraphs


def docx_text(content: bytes) -> str:
    return normalise("\n".join(docx_paragraphs(content)))


def docx_footnotes(content: bytes) -> list[str]:
    """The text of each real footnote (the separators left out)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes = []
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator"):
            continue
        notes.append(normalise("".join(t.text or "" for t in note.iter(f"{W}t"))))
    return notes


def normalise(text: str) -> str:
    # A word joiner (U+2060, held between a citation's subdivisions) is not read: "(9)(C)".
    text = (
        text.replace("\u2060", "")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2019", "'")
        .replace("\u2018", "'")
    )
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def as_typed(question: dict[str, Any], value: Any) -> str:
    """How a person would type ``value`` in answer to ``question`` in a chat."""
    kind = question["type"]
    if kind == "yesno":
        return "yes" if value else "no"
    if kind == "date":
        day = dt.date.fromisoformat(value)
        return f"{day:%B} {day.day}, {day.year}"
    if kind == "page_list":
        from adcvd_petition.rules.citations import format_pages

        return format_pages(value) if value else ""
    if kind == "exhibit_list":
        return ", ".join(value)
    if kind == "choice":
        label = next(c["label"] for c in question["choices"] if c["value"] == value)
        return label if kind == "choice" and not isinstance(value, int) else str(value)
    return str(value)


def chat_answer(question: dict[str, Any], expected: dict[str, Any]) -> str:
    """The reply that moves the conversation towards ``expected``."""
    qid = question["id"]
    if qid.endswith("#more"):
        group = qid.removesuffix("#more")
        have = len(paths.get(expected, group) or [])
        current = int(re.search(r"You have given (\d+)", question["prompt"]).group(1))
        return "yes" if have > current else "no"
    value = paths.get(expected, qid)
    if value is None or value == []:
        return "skip"
    if question.get("default") is not None and question["default"] == value:
        return "ok"
    return as_typed(question, value)

"""The 2024 reference letter and the Word files built from it for the import tests.

The reference is text with light markdown; the builders turn it into .docx files the way Word
would hold it: a paragraph per line with **bold** and *italic* runs, footnotes inline as
paragraphs or as real Word footnotes, the header block in a table.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tests.conftest import LETTER_2024

REFERENCE = LETTER_2024

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_LINE = re.compile(rf"^(?P<mark>[{_SUPERSCRIPTS}])\s+(?P<text>.+)$")
_EMPHASIS = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def reference_lines() -> list[str]:
    return reference_text().split("\n")


def _add_runs(paragraph: Paragraph, text: str) -> None:
    """Write text into a paragraph, **bold** and *italic* as formatted runs."""
    for piece in _EMPHASIS.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_inline_footnotes(lines: list[str]) -> bytes:
    """A paragraph per line of the text, footnotes left where the text prints them."""
    document = Document()
    for line in lines:
        _add_runs(document.add_paragraph(), line)
    return _save(document)


def docx_real_footnotes(lines: list[str]) -> bytes:
    """Footnotes as Word footnotes; the paragraph the page break cut in two made whole again."""
    footnotes: dict[str, str] = {}
    body: list[str] = []
    rejoin = False
    for line in lines:
        match = _FOOTNOTE_LINE.match(line)
        if match:
            footnotes[match["mark"]] = match["text"]
            rejoin = bool(body) and not re.search(r"[.:;)]$", _last_text(body))
            continue
        if rejoin:
            if not line.strip():
                continue
            index = max(i for i, text in enumerate(body) if text.strip())
            del body[index + 1 :]
            body[index] = f"{body[index]} {line}"
            rejoin = False
            continue
        body.append(line)

    document = Document()
    for line in body:
        paragraph = document.add_paragraph()
        pieces = re.split(rf"([{_SUPERSCRIPTS}])", line)
        for piece in pieces:
            if piece in footnotes:
                _footnote_reference(paragraph, _SUPERSCRIPTS.index(piece) + 1)
            elif piece:
                _add_runs(paragraph, piece)
    _add_footnotes_part(document, footnotes)
    return _save(document)


def _last_text(lines: list[str]) -> str:
    return next((line for line in reversed(lines) if line.strip()), "")


def _footnote_reference(paragraph: Paragraph, number: int) -> None:
    run = paragraph.add_run()
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    run._r.append(properties)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)


def _add_footnotes_part(document, footnotes: dict[str, str]) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for mark, text in footnotes.items():
        number = _SUPERSCRIPTS.index(mark) + 1
        escaped = text.replace("&", "&amp;").replace("<", "&lt;")
        notes.append(
            f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escaped}</w:t></w:r></w:p></w:footnote>'
        )
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">{"".join(notes)}</w:footnotes>'
    part = Part(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        blob.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def docx_header_in_table(lines: list[str]) -> bytes:
    """A law-firm layout: each address block one paragraph with line breaks, the header block
    (case numbers to the BPI summary) in the right cell of a two-column table, "PUBLIC VERSION"
    in the page header only, and no empty paragraphs anywhere."""
    re_at = next(i for i, line in enumerate(lines) if line.startswith("Re:"))
    header_start = next(i for i, line in enumerate(lines) if line.startswith("DOC Investigation"))
    blocks = _blocks(lines[:header_start])
    document = Document()
    document.sections[0].header.paragraphs[0].text = "PUBLIC VERSION"
    for block in blocks:
        paragraph = document.add_paragraph()
        for index, line in enumerate(block):
            if index:
                paragraph.add_run().add_break()
            _add_runs(paragraph, line)
    table = document.add_table(rows=1, cols=2)
    right = table.rows[0].cells[1]
    right.paragraphs[0].text = ""
    # "PUBLIC VERSION" only in the page header, as law firms often set it.
    header_block = [
        line for line in lines[header_start:re_at] if line.strip() and line != "PUBLIC VERSION"
    ]
    for index, line in enumerate(header_block):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        _add_runs(paragraph, line)
    for line in lines[re_at:]:
        if line.strip():
            _add_runs(document.add_paragraph(), line)
    return _save(document)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def replace_part(docx: bytes, name: str, data: bytes) -> bytes:
    """The same package with one part's bytes replaced."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members[name] = data
    return zip_with(members)

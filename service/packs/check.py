"""``packs check``: what would make a pack's Word templates print wrong, with file and place.

Word is where a firm edits the templates, so the check looks at them as Word leaves them:

- every variable and dotted field a template prints must be defined by the answers schema (or
  be one of the pack's derived names, or the item of a per-item document): a misspelt
  ``{{ filing.total_page }}`` would otherwise print nothing;
- every Jinja tag must parse, and docxtpl's own tags (``{%p %}``, ``{%tr %}``...) must be used
  where they work;
- no tracked change (``w:ins``, ``w:del``, ``w:moveFrom``...) and no comment may be left in a
  template: docxtpl would carry them into every generated filing.

The Jinja and schema part is docxtpl-lint's (it knows docxtpl's tags and names the table cell);
the tracked changes and comments are read here with lxml, with places counted the same way:
the n-th paragraph of a part (body, header, footer, footnotes), and the table cell it is in.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl_lint import lint
from lxml import etree

from service.rendering.docx_template import ENVIRONMENT

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
# Revision marks Word writes while "Track Changes" is on.
_TRACKED = {
    f"{_W}{name}": label
    for name, label in {
        "ins": "an insertion",
        "del": "a deletion",
        "moveFrom": "a move",
        "moveTo": "a move",
        "rPrChange": "a formatting change",
        "pPrChange": "a paragraph formatting change",
        "sectPrChange": "a section change",
        "tblPrChange": "a table change",
        "trPrChange": "a table row change",
        "tcPrChange": "a table cell change",
        "cellIns": "an inserted cell",
        "cellDel": "a deleted cell",
        "numberingChange": "a numbering change",
    }.items()
}
_SNIPPET = 80


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    file: str
    place: str
    message: str
    tag: str = ""

    def __str__(self) -> str:
        tag = f": {self.tag}" if self.tag else ""
        return f"{self.file}: {self.place}: {self.message}{tag}"


def check_template(
    path: Path, schema: dict[str, Any], opaque: frozenset[str] = frozenset()
) -> list[TemplateProblem]:
    """One template against an answers schema; ``opaque`` names are defined but not described."""
    stat = path.stat()
    return list(
        _check_file(
            path, stat.st_mtime_ns, stat.st_size, json.dumps(schema, sort_keys=True), opaque
        )
    )


@functools.lru_cache(maxsize=128)
def _check_file(
    path: Path, _mtime: int, _size: int, schema_text: str, opaque: frozenset[str]
) -> tuple[TemplateProblem, ...]:
    # Cached by file and schema: the service checks its packs on every start (and the tests
    # start it often); an edited template has a new mtime or size and is read again.
    try:
        with zipfile.ZipFile(path) as package:
            parts = {
                name: etree.fromstring(package.read(name))
                for name in package.namelist()
                if _PARTS.match(name) or name == "word/comments.xml"
            }
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        return (TemplateProblem(str(path), "the file", f"is not a readable Word document ({exc})"),)
    problems = _revisions_and_comments(str(path), parts)
    problems += _jinja_and_fields(path, parts, json.loads(schema_text), opaque)
    return tuple(problems)


# -- Jinja tags and fields (docxtpl-lint) ---------------------------------------------------------


def _jinja_and_fields(
    path: Path, parts: dict[str, Any], schema: dict[str, Any], opaque: frozenset[str]
) -> list[TemplateProblem]:
    contract = _inline_refs(schema)
    # Derived names and per-item names come from the pack's context: defined, shape unknown.
    contract.setdefault("properties", {}).update({name: {} for name in opaque})
    result = lint(str(path), schema=contract, jinja_env=ENVIRONMENT, autoescape=True)
    errors = result.errors
    if any(not issue.rule.startswith("DTL3") for issue in errors):
        # A tag that does not parse hides the loops around it: fields cannot be judged yet.
        errors = [issue for issue in errors if not issue.rule.startswith("DTL3")]
    problems = []
    for issue in errors:
        if issue.rule == "DTL304":
            field = issue.params["path"].replace("[*]", "")
            if re.split(r"[.\[]", field)[0] in opaque:
                continue
            message = f"the answers schema defines no field {field}"
        else:
            message = issue.message
        problems.append(
            TemplateProblem(str(path), _lint_place(issue.location, parts), message, issue.snippet)
        )
    return problems


def _lint_place(location: Any, parts: dict[str, Any]) -> str:
    # docxtpl-lint counts the paragraphs of a part in document order, as _place does.
    root = parts.get(f"word/{'document' if location.part == 'body' else location.part}.xml")
    paragraphs = list(root.iter(f"{_W}p")) if root is not None else []
    if 0 < location.paragraph <= len(paragraphs):
        paragraph = paragraphs[location.paragraph - 1]
        return _place(location.part, paragraph, {paragraph: location.paragraph})
    place = _part_place(location.part, location.paragraph)
    if location.cells:
        cells = ", ".join(f"table {c.table} row {c.row} cell {c.col}" for c in location.cells)
        place = f"{place} ({cells})"
    return place


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with local ``$ref``s replaced by what they point at (docxtpl-lint reads none)."""

    def resolve(node: Any, depth: int) -> Any:
        if depth > 32:  # a recursive schema: deeper levels stay open
            return {}
        if isinstance(node, list):
            return [resolve(v, depth) for v in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = schema
            for key in node["$ref"][2:].split("/"):
                target = target.get(key, {}) if isinstance(target, dict) else {}
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return resolve({**target, **rest}, depth + 1)
        return {k: resolve(v, depth) for k, v in node.items()}

    return resolve(copy.deepcopy(schema), 0)


# -- tracked changes and comments ------------------------------------------------------------------


def _revisions_and_comments(file: str, parts: dict[str, Any]) -> list[TemplateProblem]:
    comments = {
        c.get(f"{_W}id"): c
        for c in parts.get("word/comments.xml", etree.Element("x")).iter(f"{_W}comment")
    }
    referenced: set[str] = set()
    problems: list[TemplateProblem] = []
    for name, root in parts.items():
        if name == "word/comments.xml":
            continue
        part = name.removeprefix("word/").removesuffix(".xml")
        index = {p: n for n, p in enumerate(root.iter(f"{_W}p"), start=1)}
        for element in root.iter(*_TRACKED, f"{_W}commentReference"):
            paragraph = _paragraph_of(element)
            place = _place(part, paragraph, index)
            if element.tag == f"{_W}commentReference":
                comment_id = element.get(f"{_W}id")
                referenced.add(comment_id)
                comment = comments.get(comment_id)
                author = comment.get(f"{_W}author", "") if comment is not None else ""
                text = _text(comment) if comment is not None else ""
                problems.append(
                    TemplateProblem(file, place, f"a comment{_by(author)} is left in", _cut(text))
                )
                continue
            if element.getparent() is not None and element.getparent().tag in _TRACKED:
                continue  # a change inside a change is reported once, with the outer one
            problems.append(
                TemplateProblem(
                    file,
                    place,
                    f"a tracked change ({_TRACKED[element.tag]}{_by(element.get(f'{_W}author', ''))}) "
                    "is left in; accept or reject all changes",
                    _cut(_text(element)),
                )
            )
    for comment_id, comment in comments.items():
        if comment_id not in referenced:
            author = comment.get(f"{_W}author", "")
            problems.append(
                TemplateProblem(
                    file, "comments", f"a comment{_by(author)} is left in", _cut(_text(comment))
                )
            )
    return problems


def _paragraph_of(element: Any) -> Any:
    """The paragraph holding ``element``, or the first one inside it (a row or cell change)."""
    for ancestor in element.iterancestors(f"{_W}p"):
        return ancestor
    # A row or cell property change sits in the row: the row's first paragraph names it.
    for ancestor in element.iterancestors(f"{_W}tr", f"{_W}tc"):
        return next(ancestor.iter(f"{_W}p"), None)
    return next(element.iter(f"{_W}p"), None)


def _place(part: str, paragraph: Any, index: dict[Any, int]) -> str:
    if paragraph is None:
        return _part_place(part, 0)
    note = next(paragraph.iterancestors(f"{_W}footnote", f"{_W}endnote"), None)
    if note is not None:
        # Numbered as the reader sees them: the separators Word keeps there are not notes.
        notes = [n for n in note.getparent() if n.get(f"{_W}type") is None]
        kind = "footnote" if note.tag == f"{_W}footnote" else "endnote"
        number = notes.index(note) + 1 if note in notes else 0
        in_note = list(note.iter(f"{_W}p")).index(paragraph) + 1
        place = f"{kind} {number}, paragraph {in_note}"
    else:
        place = _part_place(part, index[paragraph])
    cells = []
    tables = {t: n for n, t in enumerate(paragraph.getroottree().iter(f"{_W}tbl"), start=1)}
    for cell in reversed(list(paragraph.iterancestors(f"{_W}tc"))):
        row = cell.getparent()
        table = row.getparent()
        row_number = table.findall(f"{_W}tr").index(row) + 1
        cell_number = row.findall(f"{_W}tc").index(cell) + 1
        cells.append(f"table {tables[table]} row {row_number} cell {cell_number}")
    return f"{place} ({', '.join(cells)})" if cells else place


def _part_place(part: str, paragraph: int) -> str:
    # "body" is docxtpl-lint's name for word/document.xml.
    where = {"body": "", "document": ""}.get(part, re.sub(r"(\D+)(\d+)", r"\1 \2", part))
    if where == "footnotes":
        where = "footnote"
    if not paragraph:
        return where or "body"
    return f"{where}, paragraph {paragraph}" if where else f"paragraph {paragraph}"


def _text(element: Any) -> str:
    return "".join(element.itertext()).strip()


def _by(author: str) -> str:
    return f" by {author}" if author else ""


def _cut(text: str) -> str:
    if not text:
        return ""
    return f"“{text}”" if len(text) <= _SNIPPET else f"“{text[: _SNIPPET - 1]}…”"

"""The federal-register-rule pack reproduces the 2013 SBA final rule from its example answers.

``python -m service render examples/sba-size-standards-2013.json --out DIR`` writes the rule;
read back with python-docx (paragraphs and table cells in the order of the body) its words
must be the published rule's words in the same order. The reference is the GPO text of
FR Doc. 2013-14712 (tests/fixtures/reference). Taken out of it is only what the printer adds:
the GPO header lines, page markers, the "[FR Doc. ...]" and BILLING CODE lines, rules drawn
with dashes, dot leaders and the "0" markers before amendatory instructions. Typography is
made the same on both sides (``quotes''/curly quotes, "--"/em dash, "Sec."/§, words
hyphenated at line ends joined). Column headings of a typeset table are stacked in the text
file and have no word order of their own, so each table's headings are compared as a bag of
words with the table's first row.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from service.cli import main
from tests.conftest import FEDERAL_REGISTER_RULE_2013, REPO

EXAMPLE = REPO / "examples" / "sba-size-standards-2013.json"
_PRINTER_ONLY = re.compile(r"^(\[\[Page \d+\]\]|\[FR Doc\. .*\]|BILLING CODE .*|-{20,}|0)$")
# A table's heading block runs from the dashes right under its centred title to the next dashes.
_TABLE_TITLE_INDENT = 20


def _typography(text: str) -> str:
    text = text.replace("``", '"').replace("''", '"').replace("“", '"').replace("”", '"')
    text = text.replace("--", "—").replace("\u00a0", " ").replace("\u2060", "")
    text = re.sub(r"\bSec\.\s+", "§ ", text)
    return re.sub(r"\.{2,}", " ", text)  # dot leaders (no sentence has two dots)


def reference_words() -> tuple[list[str], list[Counter]]:
    lines = FEDERAL_REGISTER_RULE_2013.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("[FR Doc No:"))
    text, headings = "", []
    in_heading = False
    previous = ""
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if in_heading:
            if stripped.startswith("-" * 20):
                in_heading = False
            else:
                headings[-1].update(_typography(stripped).split())
            continue
        if (
            stripped.startswith("-" * 20)
            and previous.startswith(" " * _TABLE_TITLE_INDENT)
            and re.search("[A-Za-z]", previous)
        ):
            in_heading = True
            headings.append(Counter())
            text += " \x00 "  # where the heading row stands in the word order
            continue
        if stripped:
            previous = line
        if _PRINTER_ONLY.match(stripped):
            continue
        # A word hyphenated at the end of a line continues on the next one.
        text += stripped if text.endswith("-") and stripped[:1].isalpha() else " " + stripped
    return _typography(text).split(), headings


def document_words(path: Path) -> tuple[list[str], list[Counter]]:
    document = Document(str(path))
    words, headings = [], []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            words += _typography(Paragraph(block, document).text).split()
        elif block.tag.endswith("}tbl"):
            rows = Table(block, document).rows
            headings.append(Counter(_typography(" ".join(c.text for c in rows[0].cells)).split()))
            words.append("\x00")
            for row in rows[1:]:
                words += _typography(" ".join(cell.text for cell in row.cells)).split()
    return words, headings


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rule")
    assert main(["render", str(EXAMPLE), "--out", str(out)]) == 0
    (path,) = out.glob("*.docx")
    return path


def test_the_rule_reads_as_published_word_for_word(rendered):
    expected, _ = reference_words()
    got, _ = document_words(rendered)
    # On a difference, show where: the first word that differs with some words around it.
    first = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), None)
    if first is not None:
        pytest.fail(
            f"word {first} differs:\n  published: {' '.join(expected[first - 8 : first + 8])}"
            f"\n  rendered:  {' '.join(got[first - 8 : first + 8])}"
        )
    assert len(got) == len(expected)
    assert len(expected) > 4000  # the whole rule, not an empty comparison


def test_each_table_has_the_published_column_headings(rendered):
    _, expected = reference_words()
    _, got = document_words(rendered)
    assert len(expected) == 2
    assert got == expected


def test_the_file_is_named_and_the_pack_found_from_the_answers(rendered):
    assert rendered.name == "Final Rule.docx"

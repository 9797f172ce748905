"""The same letter as a Word file gives the same answers, however Word holds it."""

from __future__ import annotations

import pytest
from adcvd_petition.importing import LetterImport, import_letter
from adcvd_petition.importing.source import MAX_UNPACKED_BYTES

from tests.adcvd_petition.importing.letters import (
    REFERENCE,
    docx_header_in_table,
    docx_inline_footnotes,
    docx_real_footnotes,
    reference_lines,
    replace_part,
    zip_with,
)


@pytest.fixture(scope="module")
def from_text() -> LetterImport:
    return import_letter(REFERENCE.read_bytes(), "letter.txt")


def same(a: LetterImport, b: LetterImport) -> None:
    assert a.answers == b.answers
    assert a.recognised == b.recognised
    assert a.not_found == b.not_found
    assert [(n.path, n.code, n.severity) for n in a.notes] == [
        (n.path, n.code, n.severity) for n in b.notes
    ]


class TestSameAnswersAsText:
    def test_paragraph_per_line_with_footnotes_inline(self, from_text: LetterImport) -> None:
        same(import_letter(docx_inline_footnotes(reference_lines()), "letter.docx"), from_text)

    def test_real_word_footnotes(self, from_text: LetterImport) -> None:
        same(import_letter(docx_real_footnotes(reference_lines()), "letter.docx"), from_text)

    def test_header_block_in_a_table_and_addresses_with_line_breaks(
        self, from_text: LetterImport
    ) -> None:
        same(import_letter(docx_header_in_table(reference_lines()), "letter.docx"), from_text)

    def test_type_is_read_from_the_content_not_the_name(self, from_text: LetterImport) -> None:
        same(import_letter(docx_inline_footnotes(reference_lines()), "letter.txt"), from_text)


class TestDamagedWordFiles:
    def test_corrupt_docx(self) -> None:
        data = docx_inline_footnotes(reference_lines())
        result = import_letter(data[: len(data) // 2], "letter.docx")
        assert result.answers == {}
        assert result.recognised == []
        assert any("not a valid .docx" in line for line in result.not_found)
        assert [n.code for n in result.notes] == ["import.unreadable"]

    def test_zip_that_is_not_a_word_document(self) -> None:
        result = import_letter(zip_with({"hello.txt": b"hello"}), "letter.docx")
        assert result.answers == {}
        assert any("not a Word document" in line for line in result.not_found)

    def test_broken_document_xml(self) -> None:
        data = replace_part(
            docx_inline_footnotes(["April 24, 2024"]), "word/document.xml", b"<w:document"
        )
        result = import_letter(data, "letter.docx")
        assert result.answers == {}
        assert any("not a valid .docx" in line for line in result.not_found)

    def test_named_docx_but_not_a_zip(self) -> None:
        result = import_letter(b"\x00\x01\x02 not a zip at all \xff\xfe\x00", "letter.docx")
        assert result.answers == {}
        assert any("not a valid .docx" in line for line in result.not_found)

    def test_named_docx_but_plain_text_is_read_and_flagged(self) -> None:
        result = import_letter(REFERENCE.read_bytes(), "letter.docx")
        assert result.answers["filing"]["date"] == "2024-04-24"
        assert result.notes[0].code == "import.not_docx"
        assert result.notes[0].severity == "warning"

    def test_zip_bomb_is_not_opened(self) -> None:
        # Zeros compress about a thousandfold: a small upload that would unpack past the cap.
        bomb = zip_with(
            {"[Content_Types].xml": b"", "word/document.xml": b"\0" * (MAX_UNPACKED_BYTES + 1)}
        )
        assert len(bomb) < 1024 * 1024
        result = import_letter(bomb, "letter.docx")
        assert result.answers == {}
        assert any("MB" in line for line in result.not_found)

    def test_old_word_format(self) -> None:
        result = import_letter(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "letter.doc")
        assert result.answers == {}
        assert any(".doc" in line for line in result.not_found)

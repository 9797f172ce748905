"""Reading the bytes: kind of file by content, text encodings, Word parts."""

from __future__ import annotations

from adcvd_petition.importing.source import read_source

from tests.adcvd_petition.importing.letters import docx_inline_footnotes


class TestText:
    def test_utf8_bom_is_not_part_of_the_first_line(self) -> None:
        source = read_source("\ufeffApril 24, 2024\n".encode("utf-8"), "a.txt")
        assert source.kind == "text" and source.lines[0] == "April 24, 2024"

    def test_windows_1252_curly_quotes_and_section_sign(self) -> None:
        source = read_source("(“the Committee”) § 1677".encode("cp1252"), "a.txt")
        assert source.lines == ("(“the Committee”) § 1677",)

    def test_old_mac_line_ends(self) -> None:
        assert read_source(b"a\rb\r\nc", "a.txt").lines == ("a", "b", "c")

    def test_control_characters_mean_binary(self) -> None:
        source = read_source(bytes(range(1, 32)) * 20, "a.txt")
        assert source.lines == () and source.unreadable


class TestDocx:
    def test_content_decides_not_the_name(self) -> None:
        assert read_source(docx_inline_footnotes(["Hello"]), "letter.txt").kind == "docx"

    def test_paragraphs_become_lines_and_empty_ones_blank_lines(self) -> None:
        source = read_source(docx_inline_footnotes(["One", "", "Two"]), "letter.docx")
        assert source.lines == ("One", "", "Two")

    def test_emphasis_is_only_formatting(self) -> None:
        source = read_source(docx_inline_footnotes(["Re: *Crystalline* **cells**"]), "letter.docx")
        assert source.lines == ("Re: Crystalline cells",)

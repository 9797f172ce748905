"""What Word needs besides the text: real footnotes, certifications laid out for signing,
formatting of the lists, and every part of every document well-formed XML."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree

from tests.rendering.conftest import Packet
from tests.support import docx_footnotes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _part(content: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))


def _text_before(paragraph: etree._Element, element: etree._Element) -> str:
    """The paragraph's text up to ``element``."""
    text = []
    for node in paragraph.iter():
        if node is element:
            break
        if node.tag == f"{W}t":
            text.append(node.text or "")
    return "".join(text)


class TestFootnotes:
    def test_the_package_declares_a_footnotes_part(self, packet_2024: Packet):
        content = packet_2024["cover-letter.docx"][0]
        types = _part(content, "[Content_Types].xml")
        assert any(
            o.get("PartName") == "/word/footnotes.xml" and o.get("ContentType") == FOOTNOTES_TYPE
            for o in types
        )
        rels = _part(content, "word/_rels/document.xml.rels")
        assert any(
            r.get("Type") == FOOTNOTES_REL and r.get("Target") == "footnotes.xml" for r in rels
        )
        settings = _part(content, "word/settings.xml")
        separators = settings.find(f"{W}footnotePr")
        assert [f.get(f"{W}id") for f in separators.iter(f"{W}footnote")] == ["-1", "0"]

    def test_the_footnotes_part_has_the_separators_and_the_two_notes(self, packet_2024: Packet):
        footnotes = _part(packet_2024["cover-letter.docx"][0], "word/footnotes.xml")
        kinds = [(n.get(f"{W}type"), n.get(f"{W}id")) for n in footnotes.iter(f"{W}footnote")]
        assert kinds == [
            ("separator", "-1"),
            ("continuationSeparator", "0"),
            (None, "1"),
            (None, "2"),
        ]
        for note in footnotes.iter(f"{W}footnote"):
            if note.get(f"{W}type") is None:
                assert note.find(f".//{W}footnoteRef") is not None
        notes = docx_footnotes(packet_2024["cover-letter.docx"][0])
        assert notes[0].startswith("The Committee is comprised of 4 U.S. producers")
        assert notes[1].startswith("Individual producer members of the Committee")

    def test_the_body_references_each_note_where_the_letter_does(self, packet_2024: Packet):
        body = _part(packet_2024["cover-letter.docx"][0], "word/document.xml")
        references = list(body.iter(f"{W}footnoteReference"))
        assert [r.get(f"{W}id") for r in references] == ["1", "2"]
        paragraph = next(p for p in body.iter(f"{W}p") if references[0] in p.iter())
        assert _text_before(paragraph, references[0]).endswith("(“the Committee” or “Petitioner”),")
        # The citation is held together by no-break spaces, its subdivisions by a word joiner.
        assert _text_before(paragraph, references[1]).endswith(
            "19\u00a0U.S.C.\u00a0§\u00a01677(9)\u2060(E)."
        )
        style = references[0].getparent().find(f"{W}rPr/{W}rStyle")
        assert style.get(f"{W}val") == "FootnoteReference"

    def test_no_members_no_footnotes(self, render, solar_answers):
        solar_answers["coalition"] = {"has_members": False}
        content = render(solar_answers)["cover-letter.docx"][0]
        body = _part(content, "word/document.xml")
        assert list(body.iter(f"{W}footnoteReference")) == []
        footnotes = _part(content, "word/footnotes.xml")
        assert [n.get(f"{W}type") for n in footnotes.iter(f"{W}footnote")] == [
            "separator",
            "continuationSeparator",
        ]


class TestCertifications:
    @pytest.mark.parametrize(
        ("template", "heading", "date_line"),
        [
            ("company-certification.docx", "COMPANY CERTIFICATION", "Date: April 24, 2024"),
            (
                "representative-certification.docx",
                "REPRESENTATIVE CERTIFICATION",
                "Date: April 24, 2024",
            ),
            ("counsel-certification.docx", "CERTIFICATION OF COUNSEL", "Dated: April 24, 2024"),
        ],
    )
    def test_each_begins_with_its_heading_and_ends_with_a_signature_block(
        self, packet_2024: Packet, template, heading, date_line
    ):
        for content in packet_2024[template]:
            paragraphs = [p for p in Document(io.BytesIO(content)).paragraphs if p.text.strip()]
            first = paragraphs[0]
            assert first.text == heading
            assert (
                first.style.font.bold
                and first.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
            )
            signature, name, date = paragraphs[-3:]
            assert re.fullmatch(r"Signature: _{20,}", signature.text)
            assert name.text in {
                "Hari Achuthan",
                "Jason Dymbort",
                "John Kao",
                "Grant Himes",
                "Timothy C. Brightbill",
            }
            assert date.text == date_line

    def test_each_page_carries_the_marking(self, packet_2024: Packet):
        for content in packet_2024["counsel-certification.docx"]:
            header = Document(io.BytesIO(content)).sections[0].header
            assert [p.text for p in header.paragraphs] == ["PUBLIC VERSION"]

    def test_the_business_proprietary_version_is_marked_so(self, render, solar_answers):
        solar_answers["filing"]["version"] = "bpi"
        packet = render(solar_answers)
        letter = Document(io.BytesIO(packet["cover-letter.docx"][0])).sections[0]
        assert [p.text for p in letter.first_page_header.paragraphs] == [
            "Business Proprietary Document"
        ]
        assert [p.text for p in letter.header.paragraphs][0] == "Business Proprietary Document"
        assert "PUBLIC VERSION" not in [p.text for p in letter.first_page_header.paragraphs]


class TestLetterLayout:
    def test_page_size_margins_and_font(self, packet_2024: Packet):
        document = Document(io.BytesIO(packet_2024["cover-letter.docx"][0]))
        section = document.sections[0]
        assert (section.page_width.inches, section.page_height.inches) == (8.5, 11)
        assert {
            section.left_margin.inches,
            section.right_margin.inches,
            section.top_margin.inches,
        } == {1.0}
        assert document.styles["Normal"].font.name == "Times New Roman"
        assert document.styles["Normal"].font.size.pt == 12

    def test_the_continuation_header_is_not_on_the_first_page(self, packet_2024: Packet):
        section = Document(io.BytesIO(packet_2024["cover-letter.docx"][0])).sections[0]
        assert section.different_first_page_header_footer
        assert [p.text for p in section.header.paragraphs][:4] == [
            "PUBLIC VERSION",
            "The Honorable Gina M. Raimondo",
            "The Honorable Lisa R. Barton",
            "April 24, 2024",
        ]

    def test_bpi_items_bold_citation_italic_category(self, packet_2024: Packet):
        document = Document(io.BytesIO(packet_2024["cover-letter.docx"][0]))
        item = next(p for p in document.paragraphs if p.text.startswith("(1)\tExhibit I-33"))
        bold = "".join(r.text for r in item.runs if r.bold)
        italic = "".join(r.text for r in item.runs if r.italic)
        assert bold == "Exhibit I-33:"
        assert italic == "Distribution costs (but not channels of distribution)"

    def test_re_title_and_counsel_line_in_italics(self, packet_2024: Packet):
        document = Document(io.BytesIO(packet_2024["cover-letter.docx"][0]))
        re_line = next(p for p in document.paragraphs if p.text.startswith("Re:"))
        assert "".join(r.text for r in re_line.runs if r.italic).startswith("Crystalline Silicon")
        counsel = next(p for p in document.paragraphs if p.text.startswith("Counsel to"))
        assert all(r.italic for r in counsel.runs if r.text)

    def test_economic_consultants_only_when_included(
        self, render, solar_answers, packet_2024: Packet
    ):
        def texts(content: bytes) -> list[str]:
            return [p.text for p in Document(io.BytesIO(content)).paragraphs]

        assert texts(packet_2024["cover-letter.docx"][0])[-6:] == [
            "ECONOMIC CONSULTANTS:",
            "Richard F. DiDonna",
            "Amy M. Sherman",
            "WILEY TRADE ANALYTICS GROUP",
            "2050 M Street, NW\nWashington, DC 20036",
            "(202) 719-7000",
        ]
        solar_answers["consultants"] = {"included": False}
        letter = texts(render(solar_answers)["cover-letter.docx"][0])
        assert "ECONOMIC CONSULTANTS:" not in letter
        assert letter[-1].startswith("Counsel to Petitioner,")

    def test_addresses_keep_their_lines(self, packet_2024: Packet):
        document = Document(io.BytesIO(packet_2024["cover-letter.docx"][0]))
        assert "2050 M Street, NW\nWashington, DC 20036" in [p.text for p in document.paragraphs]


def test_every_part_of_every_document_is_well_formed(packet_2024: Packet):
    for contents in packet_2024.values():
        for content in contents:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for name in archive.namelist():
                    if name.endswith((".xml", ".rels")):
                        etree.fromstring(archive.read(name))  # raises on anything malformed

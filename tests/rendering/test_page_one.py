"""Page one as filed, numbers that never break, and files that say the truth about themselves."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib

from adcvd_petition.rules.petition_context import document_context
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

from service.rendering import DocxTemplateFile
from service.rendering.nonbreaking import NBSP, hold_numbers_in_part, hold_together
from tests.rendering.conftest import TEMPLATES, Packet
from tests.support import reading_order

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(content: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\x00\x33\x66" * 2 + b"\x00" + b"\x00\x33\x66" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


class TestPageOne:
    def test_the_marking_is_at_the_top_right_of_page_one_and_of_later_pages(
        self, packet_2024: Packet
    ):
        section = Document(io.BytesIO(packet_2024["cover-letter.docx"][0])).sections[0]
        assert section.different_first_page_header_footer
        for header in (section.first_page_header, section.header):
            marking = header.paragraphs[0]
            assert marking.text == "PUBLIC VERSION"
            assert marking.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    def test_date_and_addressees_at_the_left_case_block_at_the_right_set_smaller(
        self, packet_2024: Packet
    ):
        letter = Document(io.BytesIO(packet_2024["cover-letter.docx"][0]))
        left, right = letter.tables[0].rows[0].cells
        left_text = [p.text for p in left.paragraphs]
        assert left_text[0] == "April 24, 2024"
        assert left_text[1].startswith("The Honorable Gina M. Raimondo\nSecretary of Commerce")
        assert left_text[2].startswith("The Honorable Lisa R. Barton\nSecretary\n")
        right_text = [p.text for p in right.paragraphs]
        assert right_text[0].startswith("DOC Investigation Nos. A-555-003, A-557-830")
        assert right_text[2] == "Total Pages: 13"
        assert right_text[-1].startswith("Volume V: Pages 1, 4, 6")
        assert {p.style.font.size for p in right.paragraphs} == {Pt(10)}
        # The letter itself follows the table: the Re: line comes first.
        first_after = next(p for p in letter.paragraphs if p.text.strip())
        assert first_after.text.startswith("Re:\tCrystalline Silicon Photovoltaic Cells")

    def test_a_letterhead_in_the_first_page_header_is_on_page_one_only(
        self, tmp_path, solar_answers
    ):
        firm_template = Document(str(TEMPLATES / "cover-letter.docx"))
        header = firm_template.sections[0].first_page_header
        letterhead = header.paragraphs[0].insert_paragraph_before(
            "WILEY REIN LLP · 2050 M Street NW"
        )
        letterhead.add_run().add_picture(io.BytesIO(_tiny_png()))
        path = tmp_path / "cover-letter.docx"
        firm_template.save(str(path))

        content = DocxTemplateFile(path).render(
            {**document_context(solar_answers), "packet_pages": 13}
        )
        section = Document(io.BytesIO(content)).sections[0]
        first_page = [p.text for p in section.first_page_header.paragraphs]
        assert first_page == ["WILEY REIN LLP · 2050 M Street NW", "PUBLIC VERSION"]
        assert section.first_page_header.part.rels  # the picture travelled with it
        assert "WILEY REIN" not in "\n".join(p.text for p in section.header.paragraphs)
        assert reading_order(content)[0].text == "April 24, 2024"


class TestNumbersNeverBreak:
    NUMBER_HYPHEN = re.compile(r"[0-9_]-[A-Za-z0-9_]|[A-Za-z0-9_]-[0-9_]")

    def test_no_ordinary_hyphen_inside_a_number_in_any_document(self, packet_2024: Packet):
        for documents in packet_2024.values():
            for content in documents:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    parts = [
                        n
                        for n in archive.namelist()
                        if re.match(r"word/(document|header\d*|footnotes)\.xml", n)
                    ]
                    for name in parts:
                        for text in etree.fromstring(archive.read(name)).iter(f"{W}t"):
                            assert not self.NUMBER_HYPHEN.search(text.text or ""), (name, text.text)

    def test_the_case_numbers_use_words_non_breaking_hyphen_and_still_read_as_typed(
        self, packet_2024: Packet
    ):
        content = packet_2024["cover-letter.docx"][0]
        body = _xml(content, "word/document.xml")
        assert len(list(body.iter(f"{W}noBreakHyphen"))) > 100
        text = "\n".join(p.text for p in reading_order(content))
        for number in ("A-555-003", "C-552-842", "701-TA-__", "731-TA-__", "I-33", "36-39", "V-32"):
            assert number in text

    def test_section_signs_and_citations_hold_to_their_numbers(self, packet_2024: Packet):
        text = "\n".join(p.text for p in reading_order(packet_2024["cover-letter.docx"][0]))
        assert f"19{NBSP}C.F.R.{NBSP}§§{NBSP}351.202(d)" in text
        assert f"19{NBSP}C.F.R.{NBSP}§{NBSP}201.6(b)" in text
        assert "§ " not in text and " C.F.R." not in text.replace(f"{NBSP}C.F.R.", "")
        counsel = "\n".join(
            p.text for p in reading_order(packet_2024["counsel-certification.docx"][0])
        )
        assert f"28{NBSP}U.S.C.{NBSP}§{NBSP}1746" in counsel

    def test_words_keep_their_ordinary_hyphen(self):
        part = (
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>Non-Confidential e-mail of Case A-570-010</w:t></w:r></w:p>"
            b"</w:body></w:document>"
        )
        run = etree.fromstring(hold_numbers_in_part(part)).find(f".//{W}r")
        pieces = [(etree.QName(c).localname, c.text) for c in run]
        assert pieces == [
            ("t", "Non-Confidential e-mail of Case A"),
            ("noBreakHyphen", None),
            ("t", "570"),
            ("noBreakHyphen", None),
            ("t", "010"),
        ]

    def test_a_part_with_nothing_to_hold_is_left_as_it_was(self):
        part = (
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
        assert hold_numbers_in_part(part) is part

    def test_hold_together(self):
        assert (
            hold_together("19 U.S.C. §§ 1671 and 1673")
            == f"19{NBSP}U.S.C.{NBSP}§§{NBSP}1671 and 1673"
        )
        assert hold_together("18 U.S.C. 1001") == f"18{NBSP}U.S.C.{NBSP}1001"
        # Subdivisions are joined; a space between parentheses is still a place to break.
        assert hold_together("1677(9)(C) and (a) (b)") == "1677(9)\u2060(C) and (a) (b)"

    def test_a_part_with_only_subdivisions_to_join_is_joined(self):
        part = (
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>section 201.6(b)(3)(iii)</w:t></w:r></w:p></w:body></w:document>"
        )
        text = etree.fromstring(hold_numbers_in_part(part)).find(f".//{W}t").text
        assert text == "section 201.6(b)\u2060(3)\u2060(iii)"


class TestHonestFiles:
    GENERATED = dt.datetime(2026, 11, 25, 16, 30, 5, tzinfo=dt.UTC)

    def _render(self, template: str, context: dict) -> bytes:
        context = {**context, "packet_pages": 13}
        return DocxTemplateFile(TEMPLATES / template).render(context, generated_at=self.GENERATED)

    def test_core_properties_name_the_document_the_product_the_cases_and_the_firm(
        self, solar_answers
    ):
        context = document_context(solar_answers)
        properties = Document(
            io.BytesIO(self._render("cover-letter.docx", context))
        ).core_properties
        assert properties.title == (
            "Cover Letter: Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into "
            "Modules, from Cambodia, Malaysia, Thailand, and the Socialist Republic of Vietnam"
        )
        assert properties.subject.startswith("DOC Investigation Nos. A-555-003, A-557-830")
        assert "USITC Investigation Nos. 701-TA-__ and 731-TA-__" in properties.subject
        assert properties.author == solar_answers["counsel"]["firm"]
        stamps = {properties.created.replace(tzinfo=None), properties.modified.replace(tzinfo=None)}
        assert stamps == {self.GENERATED.replace(tzinfo=None)}

    def test_core_properties_hold_only_their_own_elements(self, solar_answers):
        # docxcompose rebinds python-docx's "cp" prefix on import; a revision set through
        # python-docx then added a second <revision> in a foreign namespace.
        core = etree.fromstring(
            zipfile.ZipFile(
                io.BytesIO(
                    self._render("counsel-certification.docx", document_context(solar_answers))
                )
            ).read("docProps/core.xml")
        )
        namespaces = {etree.QName(child).namespace for child in core}
        assert namespaces <= {
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "http://purl.org/dc/elements/1.1/",
            "http://purl.org/dc/terms/",
        }
        revisions = [child for child in core if etree.QName(child).localname == "revision"]
        assert [r.text for r in revisions] == ["1"]

    def test_a_firm_name_with_an_ampersand_is_not_escaped_twice(self, solar_answers):
        solar_answers["counsel"]["firm"] = "Smith & Jones <Trade> LLP"
        context = document_context(solar_answers)
        properties = Document(
            io.BytesIO(self._render("counsel-certification.docx", context))
        ).core_properties
        assert properties.author == "Smith & Jones <Trade> LLP"

    def test_each_document_is_dated_when_it_was_generated(self, solar_answers):
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        content = DocxTemplateFile(TEMPLATES / "counsel-certification.docx").render(
            document_context(solar_answers)
        )
        properties = Document(io.BytesIO(content)).core_properties
        created, modified = (
            t.replace(tzinfo=None) for t in (properties.created, properties.modified)
        )
        assert created >= before and modified == created

    def test_current_word_no_app_xml_no_proof_state(self, packet_2024: Packet):
        for documents in packet_2024.values():
            for content in documents:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    assert "docProps/app.xml" not in archive.namelist()
                    assert b"extended-properties" not in archive.read("_rels/.rels")
                settings = _xml(content, "word/settings.xml")
                assert settings.find(f"{W}proofState") is None
                modes = [
                    s.get(f"{W}val")
                    for s in settings.iter(f"{W}compatSetting")
                    if s.get(f"{W}name") == "compatibilityMode"
                ]
                assert modes == ["15"]

"""Whatever a person types is printed as typed: never parsed as XML, never run as Jinja."""

from __future__ import annotations

import io
import zipfile

from adcvd_petition.rules.petition_context import document_context
from docx import Document
from lxml import etree

from service.rendering import DocxTemplateFile
from tests.rendering.conftest import TEMPLATES
from tests.support import docx_footnotes

ANGLES = "<w:p>Evil & Sons</w:p> <script>alert(1)</script>"
EXPRESSION = "{{ 7*7 }}"
STATEMENT = "{% for %}"
LOOP = "{% for x in range(3) %}loop{% endfor %}"
CDATA = "]]> <![CDATA[ x ]]> &amp;"
RTL = "شركة الطاقة الشمسية \u202eevil\u202c"
EMOJI = "☀️🔋 👩‍⚖️"
LONG = "Long " + "x" * 10_000


def _everything(content: bytes) -> str:
    """Body, headers and footnotes of a document, as text."""
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs]
    texts += docx_footnotes(content)
    return "\n".join(texts)


def _hostile(answers: dict) -> dict:
    answers["petitioners"][0]["name"] = f"{ANGLES} {EXPRESSION}"
    answers["petitioners"][0]["short_name"] = STATEMENT
    answers["coalition"]["members"] = [
        {"name": EXPRESSION},
        {"name": RTL},
        {"name": EMOJI},
        {"name": LOOP},
    ]
    answers["coalition"]["member_description"] = CDATA
    answers["counsel"]["address"] = f"{ANGLES}\n{CDATA}"
    answers["consultants"]["people"] = [{"name": LONG}]
    answers["volumes"][0]["title"] = "{%p endfor %} " + EXPRESSION
    answers["company_certifications"][0]["title"] = f"Chief, {EXPRESSION}"
    answers["company_certifications"][0]["company"] = RTL
    answers["representative_certification"]["name"] = EMOJI
    answers["counsel_certification"]["firm"] = LOOP
    answers["addressees"]["commerce_secretary"] = f"Gina {ANGLES}"
    return answers


class TestHostileAnswers:
    def test_every_value_appears_literally(self, render, solar_answers):
        packet = render(_hostile(solar_answers))
        letter = _everything(packet["cover-letter.docx"][0])
        for value in (ANGLES, EXPRESSION, STATEMENT, LOOP, CDATA, RTL, EMOJI, LONG):
            assert value in letter, value[:40]
        assert "Volume I ({%p endfor %} {{ 7*7 }}):" in letter
        assert f"Gina {ANGLES}" in letter  # in the continuation header too
        notes = docx_footnotes(packet["cover-letter.docx"][0])
        assert EXPRESSION in notes[0] and LOOP in notes[0] and CDATA in notes[0]
        company = _everything(packet["company-certification.docx"][0])
        assert f"currently employed as Chief, {EXPRESSION}, by {RTL}, certify" in company
        assert EMOJI in _everything(packet["representative-certification.docx"][0])
        assert f"of {LOOP}, hereby certify" in _everything(packet["counsel-certification.docx"][0])

    def test_every_document_opens_and_is_well_formed(self, render, solar_answers):
        for contents in render(_hostile(solar_answers)).values():
            for content in contents:
                Document(io.BytesIO(content))
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for name in archive.namelist():
                        if name.endswith((".xml", ".rels")):
                            etree.fromstring(archive.read(name))

    def test_characters_xml_cannot_hold_are_dropped(self, render, solar_answers):
        solar_answers["counsel"]["firm"] = "Wiley\x00 Rein\x07\x0c\x1b LLP\ufffe"
        solar_answers["counsel"]["address"] = "2050 M Street, NW\r\nWashington,\tDC 20036"
        document = Document(io.BytesIO(render(solar_answers)["cover-letter.docx"][0]))
        texts = [p.text for p in document.paragraphs]
        assert "WILEY REIN LLP" in texts
        assert "2050 M Street, NW\nWashington,\tDC 20036" in texts

    def test_footnotes_are_rendered_once_even_with_several_sections(self, tmp_path, solar_answers):
        # docxtpl renders the footnotes part once per section; a second pass would run the
        # text of the first as Jinja.
        document = Document(str(TEMPLATES / "cover-letter.docx"))
        document.add_section()
        document.add_paragraph("second section")
        path = tmp_path / "two-sections.docx"
        document.save(str(path))
        solar_answers["coalition"]["members"] = [{"name": EXPRESSION}, {"name": "B"}]
        content = DocxTemplateFile(path).render(document_context(solar_answers))
        assert docx_footnotes(content)[0].endswith(f"{EXPRESSION} and B.")

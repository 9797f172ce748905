"""The renderer: compiled once, safe from several threads, sandboxed (its speed is measured
by scripts/benchmark.py, not asserted here)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from adcvd_petition.rules.petition_context import document_context
from docx import Document

from service.rendering import DocxTemplateFile, RenderError, clean_text
from service.rendering.docx_template import ENVIRONMENT
from tests.rendering.conftest import TEMPLATES, render_packet


def _texts(packet) -> list[list[str]]:
    return [
        [p.text for p in Document(io.BytesIO(content)).paragraphs]
        for contents in packet.values()
        for content in contents
    ]


def _one_paragraph_template(tmp_path, text: str) -> DocxTemplateFile:
    document = Document()
    document.add_paragraph(text)
    path = tmp_path / "one.docx"
    document.save(str(path))
    return DocxTemplateFile(path)


class TestDocxTemplateFile:
    def test_reads_the_file_once(self, tmp_path):
        template = _one_paragraph_template(tmp_path, "Hello {{ name }}")
        (tmp_path / "one.docx").unlink()
        content = template.render({"name": "World"})
        assert [p.text for p in Document(io.BytesIO(content)).paragraphs] == ["Hello World"]

    def test_compiles_each_source_once(self, templates, solar_answers):
        render_packet(templates, solar_answers)
        before = ENVIRONMENT._compile_once.cache_info()
        solar_answers["counsel"]["firm"] = "Another Firm LLP"
        compiled = templates["cover-letter.docx"].compiled.compile(ENVIRONMENT)
        render_packet(templates, solar_answers)
        after = ENVIRONMENT._compile_once.cache_info()
        assert after.misses == before.misses
        assert templates["cover-letter.docx"].compiled.compile(ENVIRONMENT) is compiled

    def test_renders_from_several_threads_at_once(self, templates, solar_answers, packet_2024):
        expected = _texts(packet_2024)
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda _: render_packet(templates, solar_answers), range(16)))
        assert all(_texts(packet) == expected for packet in results)

    def test_a_failing_render_names_the_template(self, templates):
        with pytest.raises(RenderError, match="cover-letter.docx"):
            templates["cover-letter.docx"].render({"bpi_volumes": 5})

    def test_template_code_is_sandboxed(self, tmp_path):
        template = _one_paragraph_template(
            tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        )
        with pytest.raises(RenderError, match="SecurityError|unsafe"):
            template.render({})

    def test_the_template_itself_is_untouched(self, solar_answers):
        before = (TEMPLATES / "cover-letter.docx").read_bytes()
        DocxTemplateFile(TEMPLATES / "cover-letter.docx").render(document_context(solar_answers))
        assert (TEMPLATES / "cover-letter.docx").read_bytes() == before


class TestCleanText:
    def test_drops_what_xml_cannot_hold_and_keeps_the_rest(self):
        assert clean_text("a\x00b\x07c\x0cd\x1be\ufffef\ud800g") == "abcdefg"
        assert clean_text("tab\there ☀️ شركة") == "tab\there ☀️ شركة"

    def test_line_ends_become_line_feeds(self):
        assert clean_text("a\r\nb\rc\x0bd") == "a\nb\nc\nd"

    def test_applies_to_what_template_code_computes(self, tmp_path):
        template = _one_paragraph_template(tmp_path, "{{ a ~ b|e }}")
        content = template.render({"a": "x\x00", "b": "<y\x01>"})
        assert [p.text for p in Document(io.BytesIO(content)).paragraphs] == ["x<y>"]


def test_a_draft_prints_what_is_missing_blank_where_a_render_refuses(templates):
    letter = templates["cover-letter.docx"]
    answers = {"filing": {"date": "2024-04-24"}, "product": {"name": "Mattresses"}}
    context = {**document_context(answers), "packet_pages": None}
    with pytest.raises(RenderError, match="is undefined"):
        letter.render(context)
    text = "\n".join(
        p.text for p in Document(io.BytesIO(letter.render(context, draft=True))).paragraphs
    )
    assert "on U.S. imports of mattresses from " in text
    assert "Dear Secretary  and Secretary :" in text  # the addressees are not answered yet

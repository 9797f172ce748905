"""The startup checks the pack loader runs: every name a template reads is defined, and a
template whose Jinja does not parse is refused with the file and the place."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from adcvd_petition.rules.petition_context import DERIVED_NAMES, document_context
from docx import Document

from service.rendering import TemplateCheckError, check_template, template_variables
from service.rendering.packet import ENGINE_NAMES
from tests.rendering.conftest import REPO, TEMPLATE_NAMES, TEMPLATES


def _copy_with_paragraph(tmp_path: Path, text: str) -> Path:
    document = Document(str(TEMPLATES / "cover-letter.docx"))
    document.add_paragraph("A paragraph before.")
    document.add_paragraph(text)
    document.add_paragraph("A paragraph after.")
    path = tmp_path / "broken.docx"
    document.save(str(path))
    return path


def _copy_with_part(tmp_path: Path, name: str, old: str, new: str) -> Path:
    source = (TEMPLATES / "cover-letter.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as archive, zipfile.ZipFile(out, "w") as target:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == name:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(item, data)
    path = tmp_path / "broken-part.docx"
    path.write_bytes(out.getvalue())
    return path


class TestTemplateVariables:
    @pytest.mark.parametrize("name", TEMPLATE_NAMES)
    def test_every_name_is_defined_by_document_context(self, name, solar_answers):
        defined = set(document_context(solar_answers)) | {"certification"} | ENGINE_NAMES
        assert template_variables(TEMPLATES / name) - defined == set()

    def test_reads_headers_and_footnotes_too(self):
        assert "members_text" in template_variables(TEMPLATES / "cover-letter.docx")  # footnote 1
        # The counsel certification names its marking only in the page header.
        assert "version_marking" in template_variables(TEMPLATES / "counsel-certification.docx")

    def test_the_company_certification_reads_the_for_each_item(self):
        assert "certification" in template_variables(TEMPLATES / "company-certification.docx")

    def test_derived_names_are_what_document_context_adds(self, solar_answers):
        assert set(document_context(solar_answers)) - set(solar_answers) == DERIVED_NAMES

    def test_the_loaded_pack_knows_the_derived_names_from_its_plugin_alone(self, petition_pack):
        interview = yaml.safe_load(
            (REPO / "schemas" / "adcvd-petition" / "interview.yaml").read_text(encoding="utf-8")
        )
        assert "derived" not in interview  # kept once, in the plugin
        assert petition_pack.derived_names == DERIVED_NAMES


class TestCheckTemplate:
    @pytest.mark.parametrize("name", TEMPLATE_NAMES)
    def test_the_pack_templates_pass(self, name):
        check_template(TEMPLATES / name)

    def test_a_bad_expression_is_refused_with_its_paragraph(self, tmp_path):
        path = _copy_with_paragraph(tmp_path, "Volume {{ volume.numeral }: oops")
        with pytest.raises(TemplateCheckError) as caught:
            check_template(path)
        error = caught.value
        assert error.file == str(path)
        assert "word/document.xml" in error.place
        assert "Volume {{ volume.numeral }: oops" in error.place
        assert str(path) in str(error) and error.message in str(error)

    def test_template_variables_refuses_it_too(self, tmp_path):
        path = _copy_with_paragraph(tmp_path, "{% if %}")
        with pytest.raises(TemplateCheckError, match=r"paragraph “\{% if %\}”"):
            template_variables(path)

    def test_an_unclosed_block_names_the_file(self, tmp_path):
        path = _copy_with_paragraph(tmp_path, "{%p if letter_date %}")
        with pytest.raises(TemplateCheckError, match="endif"):
            check_template(path)

    def test_an_unknown_filter_is_refused(self, tmp_path):
        path = _copy_with_paragraph(tmp_path, "{{ letter_date|no_such_filter }}")
        with pytest.raises(TemplateCheckError, match="no_such_filter"):
            check_template(path)

    def test_a_broken_footnote_is_refused_with_its_part(self, tmp_path):
        path = _copy_with_part(
            tmp_path, "word/footnotes.xml", "{{ members_text }}", "{{ members_text }"
        )
        with pytest.raises(TemplateCheckError) as caught:
            check_template(path)
        assert caught.value.place.startswith("word/footnotes.xml")

    def test_a_file_that_is_not_a_word_document(self, tmp_path):
        path = tmp_path / "letter.docx"
        path.write_text("not a zip")
        with pytest.raises(TemplateCheckError, match="not a readable Word document"):
            check_template(path)


def test_the_build_script_makes_templates_that_pass(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_templates", TEMPLATES / "build_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    assert sorted(p.name for p in written) == sorted(TEMPLATE_NAMES)
    for path in written:
        check_template(path)
        assert template_variables(path) == template_variables(TEMPLATES / path.name)

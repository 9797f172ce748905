"""``packs check``: misspelt fields, tracked changes, comments and bad tags, each with its place;
a broken pack is left out at startup while the others keep working."""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml import parse_xml
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.cli import main
from service.packs import PackError, PackRegistry, load_checked_pack
from service.packs.check import check_template
from service.settings import Settings

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture
def pack_dirs(tmp_path: Path, mini_pack_dirs: tuple[Path, Path]) -> tuple[Path, Path]:
    """The mini pack, and a copy of it named ``spare`` that the tests leave intact."""
    templates, schemas = mini_pack_dirs
    for name in ("mini", "spare"):
        shutil.copytree(templates / "mini", tmp_path / "templates" / name)
        shutil.copytree(schemas / "mini", tmp_path / "schemas" / name)
    definition_file = tmp_path / "schemas" / "spare" / "interview.yaml"
    definition = yaml.safe_load(definition_file.read_text())
    definition["pack"] = "spare"
    definition_file.write_text(yaml.safe_dump(definition, sort_keys=False))
    return tmp_path / "templates", tmp_path / "schemas"


def letter(pack_dirs) -> Path:
    return pack_dirs[0] / "mini" / "letter.docx"


def problems(pack_dirs) -> list[str]:
    with pytest.raises(PackError) as raised:
        load_checked_pack("mini", *pack_dirs)
    return raised.value.problems


def edit(path: Path, change) -> Path:
    document = Document(str(path))
    change(document)
    document.save(str(path))
    return path


class TestFields:
    def test_a_misspelt_dotted_field_names_the_file_paragraph_and_tag(self, pack_dirs):
        path = edit(letter(pack_dirs), lambda d: d.add_paragraph("Owner: {{ owner.nmae }}"))
        assert problems(pack_dirs) == [
            (
                f"{path}: paragraph 7: the answers schema defines no field owner.nmae: "
                "{{ owner.nmae }}"
            )
        ]

    def test_a_field_of_a_loop_item_is_checked_against_the_items_schema(self, pack_dirs):
        def change(document):
            document.paragraphs[3].runs[0].text = "Pet: {{ pet.nam }} ({{ pet.kind }})"

        path = edit(letter(pack_dirs), change)
        assert problems(pack_dirs) == [
            f"{path}: paragraph 4: the answers schema defines no field pets.nam: {{{{ pet.nam }}}}"
        ]

    def test_a_misspelt_field_in_a_table_cell_names_the_cell(self, pack_dirs):
        def change(document):
            table = document.add_table(rows=2, cols=2)
            table.cell(1, 1).text = "{{ owner.phon }}"

        path = edit(letter(pack_dirs), change)
        (problem,) = problems(pack_dirs)
        assert problem.startswith(f"{path}: paragraph 10 (table 1 row 2 cell 2): ")
        assert "owner.phon" in problem

    def test_a_misspelt_field_in_a_header_names_the_header(self, pack_dirs):
        def change(document):
            document.sections[0].header.paragraphs[0].text = "File: {{ owner.nane }}"

        path = edit(letter(pack_dirs), change)
        (problem,) = problems(pack_dirs)
        assert problem.startswith(f"{path}: header 1, paragraph 1: ")
        assert problem.endswith("owner.nane: {{ owner.nane }}")

    def test_a_tag_that_does_not_parse(self, pack_dirs):
        path = edit(letter(pack_dirs), lambda d: d.add_paragraph("{{ owner.name | }}"))
        (problem,) = problems(pack_dirs)
        assert problem.startswith(f"{path}: ")
        assert "{{ owner.name | }}" in problem

    def test_the_shipped_packs_have_no_problem(self):
        assert main(["packs", "check"]) == 0


class TestRevisionsAndComments:
    def test_a_tracked_deletion_is_refused_with_its_text_and_author(self, pack_dirs):
        def change(document):
            paragraph = document.add_paragraph("Kept ")
            paragraph._p.append(
                parse_xml(
                    f'<w:del {W_NS} w:id="7" w:author="Ann Lee" w:date="2026-11-25T10:00:00Z">'
                    "<w:r><w:delText>old words</w:delText></w:r></w:del>"
                )
            )

        path = edit(letter(pack_dirs), change)
        assert problems(pack_dirs) == [
            (
                f"{path}: paragraph 7: a tracked change (a deletion by Ann Lee) is left in; "
                "accept or reject all changes: “old words”"
            )
        ]

    def test_a_tracked_insertion_in_a_table_cell(self, pack_dirs):
        def change(document):
            cell = document.add_table(rows=1, cols=2).cell(0, 1)
            cell.paragraphs[0]._p.append(
                parse_xml(f'<w:ins {W_NS} w:id="8" w:author="Bo"><w:r><w:t>new</w:t></w:r></w:ins>')
            )

        path = edit(letter(pack_dirs), change)
        (problem,) = problems(pack_dirs)
        assert problem == (
            f"{path}: paragraph 8 (table 1 row 1 cell 2): a tracked change (an insertion by Bo) "
            "is left in; accept or reject all changes: “new”"
        )

    def test_a_comment_is_refused_with_its_text(self, pack_dirs):
        def change(document):
            paragraph = document.add_paragraph("Signed by counsel.")
            document.add_comment(paragraph.runs, text="Check the date", author="Ann Lee")

        path = edit(letter(pack_dirs), change)
        assert problems(pack_dirs) == [
            f"{path}: paragraph 7: a comment by Ann Lee is left in: “Check the date”"
        ]

    def test_check_template_reads_one_file(self, tmp_path):
        path = tmp_path / "one.docx"
        document = Document()
        paragraph = document.add_paragraph("{{ rule.rin }} {{ rule.title }}")
        document.add_comment(paragraph.runs, text="ok?", author="R")
        document.save(str(path))
        schema = {"type": "object", "properties": {"rule": {"$ref": "#/$defs/rule"}}}
        schema["$defs"] = {"rule": {"type": "object", "properties": {"rin": {"type": "string"}}}}
        found = [str(p) for p in check_template(path, copy.deepcopy(schema))]
        assert found == [
            f"{path}: paragraph 1: a comment by R is left in: “ok?”",
            (
                f"{path}: paragraph 1: the answers schema defines no field rule.title: "
                "{{ rule.title }}"
            ),
        ]


class TestCommandLine:
    def test_exits_non_zero_and_prints_each_problem(self, pack_dirs, monkeypatch, capsys):
        edit(letter(pack_dirs), lambda d: d.add_paragraph("{{ owner.nmae }}"))
        monkeypatch.setenv("TEMPLATES_DIR", str(pack_dirs[0]))
        monkeypatch.setenv("SCHEMAS_DIR", str(pack_dirs[1]))
        assert main(["packs", "check"]) == 1
        out = capsys.readouterr()
        assert "spare: ok" in out.out
        assert "mini: 1 problem(s)" in out.err
        assert f"{letter(pack_dirs)}: paragraph 7: " in out.err
        assert main(["packs", "check", "spare"]) == 0
        assert main(["packs", "check", "nothing"]) == 1


class TestStartup:
    def test_a_broken_pack_is_left_out_and_listed_with_its_problems(self, pack_dirs):
        edit(letter(pack_dirs), lambda d: d.add_paragraph("{{ owner.nmae }}"))
        registry = PackRegistry.load(*pack_dirs)
        assert [pack.name for pack in registry] == ["spare"]
        assert registry.get("mini") is None
        (problem,) = registry.unavailable["mini"]
        assert "owner.nmae" in problem

    async def test_the_service_starts_and_reports_it(self, pack_dirs, database_url, admin_key):
        edit(letter(pack_dirs), lambda d: d.add_paragraph("{{ owner.nmae }}"))
        settings = Settings(
            database_url=database_url,
            templates_dir=pack_dirs[0],
            schemas_dir=pack_dirs[1],
            pdf_converter="off",  # no LibreOffice started for an app that makes no PDF
        )
        app = create_app(settings, configure_logs=False)
        async with AsyncTestClient(app=app) as client:
            health = (await client.get("/healthz")).json()
            assert health["status"] == "degraded"
            assert health["packs"] == ["spare"]
            assert "owner.nmae" in health["unavailable_packs"]["mini"][0]
            headers = {"Authorization": f"Bearer {admin_key}"}
            listed = {
                p["name"]: p for p in (await client.get("/api/packs", headers=headers)).json()
            }
            assert listed["mini"]["available"] is False
            assert "paragraph 7" in listed["mini"]["problems"][0]
            assert listed["spare"]["available"] is True
            created = await client.post("/api/sessions", json={"pack": "spare"}, headers=headers)
            assert created.status_code == 201
            refused = await client.post("/api/sessions", json={"pack": "mini"}, headers=headers)
            assert refused.status_code in (404, 422)


class TestTheShippedPacks:
    """The checks of the issue, on copies of the real packs."""

    @pytest.fixture
    def real_dirs(self, tmp_path: Path) -> tuple[Path, Path]:
        repo = Path(__file__).resolve().parents[2]
        shutil.copytree(repo / "templates", tmp_path / "templates")
        shutil.copytree(repo / "schemas", tmp_path / "schemas")
        return tmp_path / "templates", tmp_path / "schemas"

    def test_a_misspelt_total_pages_in_the_cover_letter_leaves_only_the_rule_pack(self, real_dirs):
        letter = real_dirs[0] / "adcvd-petition" / "cover-letter.docx"
        edit(letter, lambda d: d.add_paragraph("Total Pages: {{ filing.total_page }}"))
        registry = PackRegistry.load(*real_dirs)
        assert [pack.name for pack in registry] == ["federal-register-rule"]
        (problem,) = registry.unavailable["adcvd-petition"]
        assert problem.startswith(f"{letter}: paragraph ")
        assert problem.endswith(
            "the answers schema defines no field filing.total_page: {{ filing.total_page }}"
        )

    def test_a_comment_in_the_rule_template_leaves_only_the_petition(self, real_dirs):
        rule = real_dirs[0] / "federal-register-rule" / "rule.docx"

        def change(document):
            document.add_comment(document.paragraphs[3].runs, text="Shorter title?", author="Ed")

        edit(rule, change)
        registry = PackRegistry.load(*real_dirs)
        assert [pack.name for pack in registry] == ["adcvd-petition"]
        assert registry.unavailable["federal-register-rule"] == [
            f"{rule}: paragraph 4: a comment by Ed is left in: “Shorter title?”"
        ]

    def test_problems_in_footnotes_name_the_footnote(self, real_dirs):
        letter = real_dirs[0] / "adcvd-petition" / "cover-letter.docx"
        with zipfile.ZipFile(letter) as package:
            files = {name: package.read(name) for name in package.namelist()}
        notes = files["word/footnotes.xml"].decode()
        first, second = (rf'(<w:footnote w:id="{n}".*?<w:t[^>]*>)' for n in (1, 2))
        notes = re.sub(first, r"\1{{ filing.total_page }} ", notes, count=1, flags=re.DOTALL)
        deletion = '<w:del w:id="99" w:author="Ann"><w:r><w:delText>gone</w:delText></w:r></w:del>'
        notes = re.sub(
            second.replace("<w:t[^>]*>", "<w:r>"), r"\1" + deletion, notes, count=1, flags=re.DOTALL
        )
        files["word/footnotes.xml"] = notes.encode()
        with zipfile.ZipFile(letter, "w") as package:
            for name, content in files.items():
                package.writestr(name, content)
        assert PackRegistry.load(*real_dirs).unavailable["adcvd-petition"] == [
            (
                f"{letter}: footnote 2, paragraph 1: a tracked change (a deletion by Ann) is "
                "left in; accept or reject all changes: “gone”"
            ),
            (
                f"{letter}: footnote 1, paragraph 1: the answers schema defines no field "
                "filing.total_page: {{ filing.total_page }}"
            ),
        ]

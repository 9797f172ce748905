"""``python -m service render ANSWERS.json --out DIR``, through the pack loader and render_packet."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document

from service.cli import main
from tests.rendering.conftest import REPO
from tests.support import reading_order

EXAMPLE = REPO / "examples" / "solar-2024.json"


def _write(tmp_path: Path, answers: object) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


class TestRenderCommand:
    def test_writes_every_document_of_the_2024_case(self, tmp_path, capsys):
        out = tmp_path / "out"
        assert main(["render", str(EXAMPLE), "--out", str(out)]) == 0
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted(
            [
                "Cover Letter.docx",
                "Company Certification - Convalt Energy.docx",
                "Company Certification - First Solar, Inc.docx",
                "Company Certification - Hanwha Q CELLS America, Inc.docx",
                "Company Certification - Mission Solar Energy LLC.docx",
                "Representative Certification.docx",
                "Certification of Counsel.docx",
            ]
        )
        letter = reading_order((out / "Cover Letter.docx").read_bytes())
        assert letter[0].text == "April 24, 2024"
        kao = Document(
            io.BytesIO(
                (out / "Company Certification - Hanwha Q CELLS America, Inc.docx").read_bytes()
            )
        )
        assert "and representing Hanwha Q CELLS USA, Inc." in kao.paragraphs[1].text
        assert str(out / "Cover Letter.docx") in capsys.readouterr().out

    def test_prints_every_problem_and_writes_nothing(self, tmp_path, capsys, solar_answers):
        del solar_answers["filing"]["date"]
        solar_answers["countries"][0]["ad_case"] = "A-55-003"
        out = tmp_path / "out"
        assert main(["render", str(_write(tmp_path, solar_answers)), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert "countries[0].ad_case: " in err
        assert "must be an antidumping case number such as A-555-003" in err
        assert "filing.date: " in err  # a missing answer is reported along with the refused value
        assert "2 error(s); no document written" in err
        assert not out.exists()

    def test_a_missing_answer_is_an_error(self, tmp_path, capsys, solar_answers):
        del solar_answers["filing"]["date"]
        assert (
            main(["render", str(_write(tmp_path, solar_answers)), "--out", str(tmp_path / "out")])
            == 1
        )
        assert "filing.date: " in capsys.readouterr().err

    def test_answers_that_are_not_json(self, tmp_path, capsys):
        path = tmp_path / "answers.json"
        path.write_text("{not json", encoding="utf-8")
        assert main(["render", str(path), "--out", str(tmp_path / "out")]) == 1
        assert "not valid JSON" in capsys.readouterr().err

    def test_answers_that_are_not_an_object(self, tmp_path, capsys):
        assert main(["render", str(_write(tmp_path, [1, 2])), "--out", str(tmp_path / "out")]) == 1
        assert "must be a JSON object" in capsys.readouterr().err

    def test_an_unknown_pack(self, tmp_path, capsys):
        assert (
            main(["render", str(EXAMPLE), "--out", str(tmp_path / "out"), "--pack", "no-such-pack"])
            == 1
        )
        assert "no-such-pack" in capsys.readouterr().err

    def test_answers_no_single_pack_fits_ask_for_the_pack(self, tmp_path, capsys):
        for answers in ({"nothing": 1}, {}):  # no pack has the key; every pack could take {}
            assert (
                main(["render", str(_write(tmp_path, answers)), "--out", str(tmp_path / "out")])
                == 1
            )
            assert (
                "cannot tell which pack the answers are for; use --pack" in capsys.readouterr().err
            )
            assert not (tmp_path / "out").exists()


class TestDeeplyNestedAnswers:
    """The API answers such JSON with 400; the command answers with a plain line, no traceback."""

    def test_nesting_beyond_the_recursion_limit(self, tmp_path, capsys):
        path = tmp_path / "answers.json"
        path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
        assert main(["render", str(path), "--out", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert "nested too deeply; at most 32 levels" in err
        assert "Traceback" not in err and "RecursionError" not in err
        assert not (tmp_path / "out").exists()

    def test_nesting_within_python_but_beyond_the_api_bound(self, tmp_path, capsys):
        path = tmp_path / "answers.json"
        path.write_text('{"filing":' + '{"a":' * 200 + "1" + "}" * 201, encoding="utf-8")
        assert main(["render", str(path), "--out", str(tmp_path / "out")]) == 1
        assert "nested too deeply" in capsys.readouterr().err

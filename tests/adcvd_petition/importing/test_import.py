"""import_letter as a whole: the order of what it reports, the questions it names, and that
one failing recogniser does not take the others down."""

from __future__ import annotations

import pytest
from adcvd_petition.importing import import_letter, letter
from adcvd_petition.importing.letter import question_paths

from tests.adcvd_petition.importing.letters import REFERENCE


class TestQuestionPaths:
    def test_scalars_groups_and_groups_inside_items(self) -> None:
        answers = {
            "filing": {"date": "2024-04-24"},
            "countries": [{"name": "Cambodia"}],
            "volumes": [{"numeral": "I", "bpi_items": [{"paragraph": 3}]}, {"numeral": "VI"}],
            "coalition": {"has_members": True, "members": [{"name": "A"}]},
        }
        assert question_paths(answers) == [
            "filing.date",
            "countries",
            "volumes",
            "volumes[0].bpi_items",
            "coalition.has_members",
            "coalition.members",
        ]


class TestOrder:
    def test_reports_follow_the_interview(self) -> None:
        result = import_letter(b"Total Pages: 3\nWASHINGTON\n", "letter.txt")
        sections = [line.split(".")[0].split(":")[0].split("[")[0] for line in result.not_found]
        order = ["filing", "addressees", "product", "countries", "itc", "petitioners", "coalition",
                 "counsel", "consultants", "volumes", "company_certifications",
                 "representative_certification", "counsel_certification"]  # fmt: skip
        assert sections == sorted(sections, key=order.index)


class TestOneRecogniserFailing:
    def test_the_others_still_read_and_the_part_is_named(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*args: object) -> None:
            raise IndexError("list index out of range")

        monkeypatch.setattr(letter, "read_counsel", broken)
        result = import_letter(REFERENCE.read_bytes(), REFERENCE.name)
        assert "counsel" not in result.answers
        assert result.answers["consultants"]["firm"] == "Wiley Trade Analytics Group"
        [note] = [n for n in result.notes if n.code == "import.internal_error"]
        assert note.path == "counsel" and "IndexError" in note.message

from __future__ import annotations

from typing import Any

import pytest
from adcvd_petition.rules.bpi_checks import bpi_checks

from service.problems import Problem

Answers = dict[str, Any]


def found(answers: Answers, code: str) -> list[Problem]:
    return [p for p in bpi_checks(answers) if p.code == code]


def volume(numeral: str, kind: str = "AD", **more: Any) -> dict[str, Any]:
    return {"numeral": numeral, "kind": kind, "country": "Cambodia", **more}


class TestBpiChecks:
    def test_the_corrected_2024_volumes_are_clean(self, answers_2024: Answers) -> None:
        assert bpi_checks(answers_2024) == []

    @pytest.mark.parametrize(
        "answers",
        [
            {},
            {"volumes": None},
            {"volumes": [{}, None, "x"]},
            {"volumes": [{"bpi_items": [{}, None, {"paragraph": "five", "pages": "3"}]}]},
        ],
    )
    def test_partial_answers_never_raise(self, answers: Answers) -> None:
        bpi_checks(answers)


class TestCatchAllCoverage:
    def test_finds_the_letters_mistake_at_its_exact_path(
        self, original_answers_2024: Answers
    ) -> None:
        (problem,) = bpi_checks(original_answers_2024)
        assert problem.path == "volumes[0].bpi_items[2].exhibits[0]"
        assert problem.code == "bpi.not_in_summary"
        assert problem.severity == "error"
        assert problem.message == (
            "Exhibit I-24 is cited under paragraph (c)(5) of Volume I but is not in its (c)(11) "
            "list, so the header summary would not match; add it to the (c)(11) list, or remove "
            "it from this item"
        )

    def test_pages_and_the_exhibit_list_too(self) -> None:
        items = [
            {"paragraph": 4, "pages": [3, 44, 44], "exhibit_list": True, "exhibits": ["II-2"]},
            {"paragraph": 11, "pages": [3], "exhibits": ["II-2"]},
        ]
        problems = bpi_checks({"volumes": [volume("I", "general"), volume("II", bpi_items=items)]})
        assert [(p.path, p.code) for p in problems] == [
            ("volumes[1].bpi_items[0].pages[1]", "bpi.not_in_summary"),
            ("volumes[1].bpi_items[0].exhibit_list", "bpi.not_in_summary"),
        ]
        assert problems[0].message.startswith(
            "Page 44 is cited under paragraph (c)(4) of Volume II"
        )
        assert problems[1].message.startswith(
            "The Exhibit List is cited under paragraph (c)(4) of Volume II"
        )

    def test_the_catch_all_may_cite_more_than_the_others(self) -> None:
        items = [
            {"paragraph": 1, "pages": [3]},
            {"paragraph": 11, "pages": [3, 4], "exhibit_list": True, "exhibits": ["I-9"]},
        ]
        assert bpi_checks({"volumes": [volume("I", "general", bpi_items=items)]}) == []

    def test_without_a_catch_all_there_is_nothing_to_compare(self) -> None:
        items = [{"paragraph": 1, "pages": [3]}, {"paragraph": 2, "exhibits": ["I-4"]}]
        assert bpi_checks({"volumes": [volume("I", "general", bpi_items=items)]}) == []

    def test_two_catch_alls_are_read_together(self) -> None:
        items = [
            {"paragraph": 1, "pages": [3, 4]},
            {"paragraph": 11, "pages": [3]},
            {"paragraph": 11, "pages": [4]},
        ]
        problems = bpi_checks({"volumes": [volume("I", "general", bpi_items=items)]})
        assert [p.code for p in problems] == ["bpi.duplicate_paragraph"]


class TestExhibitNumerals:
    def test_an_exhibit_of_another_volume_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][1]["bpi_items"][3]["exhibits"][1] = "III-3"
        problems = bpi_checks(answers_2024)
        # Reported once, as the wrong volume, though the (c)(11) list lacks it too.
        assert [(p.path, p.code, p.severity) for p in problems] == [
            ("volumes[1].bpi_items[3].exhibits[1]", "bpi.exhibit_wrong_volume", "error")
        ]
        assert problems[0].message == (
            "Exhibit III-3 is cited in Volume II, whose exhibits are numbered II-1, II-2, ...; "
            "write II-3 if that exhibit is meant, or cite it in the list of Volume III"
        )

    def test_a_volume_whose_exhibits_all_carry_another_numeral_is_one_finding(
        self, answers_2024: Answers
    ) -> None:
        # Volume III typed as X: one finding at the numeral, not one per exhibit, and the
        # exhibits say which volume was meant.
        answers_2024["volumes"][2]["numeral"] = "X"
        problems = [p for p in bpi_checks(answers_2024) if p.code == "bpi.exhibit_wrong_volume"]
        assert [(p.path, p.severity) for p in problems] == [("volumes[2].numeral", "error")]
        assert problems[0].message == (
            "Every exhibit cited in Volume X is numbered as one of Volume III (III-1, III-4, "
            "III-18, ...); if this is Volume III, correct the volume's numeral, otherwise write "
            "its exhibits as X-1, X-2, ..."
        )

    @pytest.mark.parametrize(
        ("count", "examples"), [(3, "III-1, III-2, III-3"), (4, "III-1, III-2, III-3, ...")]
    )
    def test_the_finding_quotes_three_exhibits_at_most(self, count: int, examples: str) -> None:
        items = [{"paragraph": 1, "exhibits": [f"III-{n}" for n in range(1, count + 1)]}]
        answers = {"volumes": [volume("I", "general"), volume("X", bpi_items=items)]}
        (problem,) = [p for p in bpi_checks(answers) if p.code == "bpi.exhibit_wrong_volume"]
        assert f"numbered as one of Volume III ({examples}); if this" in problem.message

    def test_one_exhibit_of_another_volume_is_not_taken_for_a_wrong_numeral(self) -> None:
        items = [{"paragraph": 1, "exhibits": ["I-3"]}]
        (problem,) = bpi_checks(
            {"volumes": [volume("I", "general"), volume("II", bpi_items=items)]}
        )
        assert problem.path == "volumes[1].bpi_items[0].exhibits[0]"

    def test_without_a_numeral_there_is_nothing_to_compare(self) -> None:
        items = [{"paragraph": 1, "exhibits": ["III-3"]}]
        assert bpi_checks({"volumes": [{"kind": "AD", "bpi_items": items}]}) == []


class TestParagraphs:
    @pytest.mark.parametrize(
        ("kind", "paragraph", "message"),
        [
            (
                "CVD",
                7,
                "Paragraph (c)(7) (dumping margins) applies only in antidumping proceedings, "
                "but Volume II is a countervailing duty volume; choose another paragraph for "
                "this item, or move it to an antidumping volume",
            ),
            (
                "AD",
                8,
                "Paragraph (c)(8) (subsidy benefits) applies only in countervailing duty "
                "proceedings, but Volume II is an antidumping volume; choose another paragraph "
                "for this item, or move it to a countervailing duty volume",
            ),
            (
                "general",
                7,
                "Paragraph (c)(7) (dumping margins) applies only in antidumping proceedings, "
                "but Volume II is the general volume; choose another paragraph for this item, "
                "or move it to an antidumping volume",
            ),
        ],
    )
    def test_margins_and_benefits_belong_to_their_proceeding(
        self, kind: str, paragraph: int, message: str
    ) -> None:
        items = [{"paragraph": paragraph, "pages": [3]}]
        answers = {"volumes": [volume("I", "general"), volume("II", kind, bpi_items=items)]}
        (problem,) = bpi_checks(answers)
        assert problem.path == "volumes[1].bpi_items[0].paragraph"
        assert problem.code == "bpi.paragraph_wrong_proceeding"
        assert problem.message == message

    @pytest.mark.parametrize(("kind", "paragraph"), [("AD", 7), ("CVD", 8)])
    def test_in_their_own_proceeding_they_are_fine(self, kind: str, paragraph: int) -> None:
        items = [{"paragraph": paragraph, "pages": [3]}]
        assert bpi_checks({"volumes": [volume("I", kind, bpi_items=items)]}) == []

    def test_the_same_paragraph_twice_is_a_warning(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][0]["bpi_items"][1]["paragraph"] = 3
        (problem,) = bpi_checks(answers_2024)
        assert problem.path == "volumes[0].bpi_items[1].paragraph"
        assert problem.severity == "warning"
        assert problem.code == "bpi.duplicate_paragraph"
        assert problem.message.startswith("Paragraph (c)(3) already has item 1 in Volume I")


class TestEmptyItems:
    def test_an_item_citing_nothing_is_an_error(self) -> None:
        items = [{"paragraph": 3, "pages": [], "exhibit_list": False, "exhibits": []}]
        (problem,) = bpi_checks({"volumes": [volume("I", bpi_items=items)]})
        assert (problem.path, problem.code, problem.severity) == (
            "volumes[0].bpi_items[0]",
            "bpi.empty_item",
            "error",
        )
        assert problem.message == (
            "Item 1 of Volume I (paragraph (c)(3)) cites no page, exhibit or Exhibit List; add "
            "what it covers, or remove the item"
        )

    def test_an_item_not_yet_begun_is_the_interviews_to_ask(self) -> None:
        assert bpi_checks({"volumes": [volume("I", bpi_items=[{}])]}) == []

    def test_the_exhibit_list_alone_is_a_citation(self) -> None:
        items = [{"paragraph": 9, "exhibit_list": True}]
        assert bpi_checks({"volumes": [volume("I", bpi_items=items)]}) == []


class TestItemsWithoutBpi:
    def test_a_public_volume_with_items_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][5]["bpi_items"] = [{"paragraph": 1, "pages": [3]}]
        (problem,) = bpi_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "volumes[5].bpi_items",
            "bpi.items_without_bpi",
            "error",
        )
        assert problem.message == (
            "Volume VI is marked as holding no business proprietary information but lists "
            "1 BPI item; remove it, or mark the volume as holding BPI"
        )
        answers_2024["volumes"][5]["bpi_items"].append({"paragraph": 8, "pages": [4]})
        (problem,) = bpi_checks(answers_2024)
        assert problem.message.endswith(
            "lists 2 BPI items; remove them, or mark the volume as holding BPI"
        )

    def test_an_empty_list_is_fine(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][5]["bpi_items"] = []
        assert bpi_checks(answers_2024) == []


class TestNumerals:
    def test_a_numeral_given_twice_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][2]["numeral"] = "II"
        problems = found(answers_2024, "volume.duplicate_numeral")
        assert [(p.path, p.severity) for p in problems] == [("volumes[2].numeral", "error")]
        assert problems[0].message == (
            "Volume II is given twice (volumes 2 and 3); each volume needs its own numeral, so "
            "renumber one of them"
        )

    def test_a_gap_is_one_warning(self) -> None:
        answers = {"volumes": [volume("I"), volume("II"), volume("IV"), volume("V")]}
        problems = bpi_checks(answers)
        assert [(p.path, p.code, p.severity) for p in problems] == [
            ("volumes[2].numeral", "volume.numeral_out_of_order", "warning")
        ]
        assert problems[0].message == (
            "Volume IV is out of order; volumes are numbered I, II, III, ... in order, so this "
            "one would be Volume III"
        )

    def test_the_first_volume_is_one(self) -> None:
        problems = bpi_checks({"volumes": [volume("II"), volume("III")]})
        assert [(p.path, p.code) for p in problems] == [
            ("volumes[0].numeral", "volume.numeral_out_of_order")
        ]
        assert problems[0].message.startswith("Volume II is the first volume;")
        assert problems[0].message.endswith("so this one would be Volume I")

    def test_a_numeral_not_written_the_usual_way_is_an_error(self) -> None:
        problems = bpi_checks({"volumes": [volume("I"), volume("IIII")]})
        assert [(p.path, p.code, p.severity) for p in problems] == [
            ("volumes[1].numeral", "volume.numeral_invalid", "error")
        ]

    def test_a_missing_numeral_restarts_the_count(self) -> None:
        assert bpi_checks({"volumes": [volume("I"), {"kind": "AD"}, volume("III")]}) == []

    def test_a_duplicate_is_one_finding_not_a_cascade(self, answers_2024: Answers) -> None:
        # Volume III typed as II: its III-n exhibits and the volumes after it are not reported.
        answers_2024["volumes"][2]["numeral"] = "II"
        problems = bpi_checks(answers_2024)
        assert [(p.path, p.code) for p in problems] == [
            ("volumes[2].numeral", "volume.duplicate_numeral")
        ]

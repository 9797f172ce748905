from __future__ import annotations

from typing import Any

import pytest
from adcvd_petition.rules.case_checks import case_checks

from service.problems import Problem

Answers = dict[str, Any]


def found(answers: Answers, code: str) -> list[Problem]:
    return [p for p in case_checks(answers) if p.code == code]


class TestCaseChecks:
    def test_the_2024_case_numbers_are_clean(self, answers_2024: Answers) -> None:
        assert case_checks(answers_2024) == []

    @pytest.mark.parametrize("answers", [{}, {"countries": None}, {"countries": [{}, "x", None]}])
    def test_partial_answers_say_nothing(self, answers: Answers) -> None:
        assert case_checks(answers) == []


class TestCountryCodes:
    def test_a_verified_code_that_does_not_match_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["countries"][0]["ad_case"] = "A-557-003"
        (problem,) = found(answers_2024, "case.country_code_mismatch")
        assert problem.path == "countries[0].ad_case"
        assert problem.severity == "error"
        assert problem.message == (
            "A-557-003 has country code 557 (Malaysia), but the code of Cambodia is 555; "
            "correct the number (such as A-555-003) or the country"
        )

    def test_the_formal_name_is_understood(self, answers_2024: Answers) -> None:
        answers_2024["countries"][3]["cvd_case"] = "C-555-842"
        (problem,) = found(answers_2024, "case.country_code_mismatch")
        assert problem.path == "countries[3].cvd_case"
        assert "the code of the Socialist Republic of Vietnam is 552" in problem.message

    def test_an_unverified_code_gives_a_warning(self) -> None:
        answers = {"countries": [{"name": "Poland", "ad_case": "A-999-001"}]}
        (problem,) = found(answers, "case.country_code_mismatch")
        assert problem.severity == "warning"
        assert problem.message.startswith(
            "A-999-001 has country code 999, which is not a known country code, but the code "
            "of Poland is 455; the code 455 for Poland is not yet verified"
        )

    def test_an_unknown_country_gives_no_finding(self) -> None:
        answers = {"countries": [{"name": "Freedonia", "ad_case": "A-555-003"}]}
        assert found(answers, "case.country_code_mismatch") == []

    def test_a_malformed_number_is_left_to_the_schema(self) -> None:
        answers = {"countries": [{"name": "Cambodia", "ad_case": "A-55-003"}]}
        assert case_checks(answers) == []


class TestSerials:
    def test_non_consecutive_serials_give_a_warning(self, answers_2024: Answers) -> None:
        answers_2024["countries"][1]["cvd_case"] = "C-557-835"
        (problem,) = found(answers_2024, "case.serials_not_consecutive")
        assert problem.path == "countries[1].cvd_case"
        assert problem.severity == "warning"
        assert problem.message.startswith("A-557-830 and C-557-835 of Malaysia are not consecutive")

    @pytest.mark.parametrize(
        ("ad", "cvd"), [("A-570-999", "C-570-000"), ("A-570-017", "C-570-016")]
    )
    def test_wrapping_and_either_order_are_fine(self, ad: str, cvd: str) -> None:
        answers = {"countries": [{"name": "China", "ad_case": ad, "cvd_case": cvd}]}
        assert case_checks(answers) == []

    def test_a_country_with_one_case_has_nothing_to_compare(self) -> None:
        answers = {"countries": [{"name": "China", "ad_case": "A-570-016"}]}
        assert case_checks(answers) == []


class TestDuplicates:
    def test_the_second_use_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["countries"][2]["ad_case"] = "A-555-003"
        answers_2024["countries"][2]["name"] = "Cambodia"
        problems = found(answers_2024, "case.duplicate")
        assert [(p.path, p.severity) for p in problems] == [("countries[2].ad_case", "error")]
        assert problems[0].message == (
            "A-555-003 is already the antidumping case of Cambodia; each case has its own number, "
            "so correct one of the two"
        )

    def test_the_same_number_typed_differently_is_still_the_same(self) -> None:
        answers = {
            "countries": [
                {"name": "Cambodia", "cvd_case": "C-555-004"},
                {"name": "Cambodia", "cvd_case": "c-555-004 "},
            ]
        }
        assert [p.path for p in found(answers, "case.duplicate")] == ["countries[1].cvd_case"]


class TestVolumesForCases:
    def test_a_cvd_case_without_a_cvd_volume_is_an_error(self, answers_2024: Answers) -> None:
        del answers_2024["volumes"][6]  # Volume VII, Malaysia CVD
        (problem,) = found(answers_2024, "case.volume_missing")
        assert problem.path == "countries[1].cvd_case"
        assert problem.severity == "error"
        assert problem.message == (
            "Malaysia has the countervailing duty case C-557-831, but no volume is the CVD "
            "allegation for Malaysia; add that volume, or remove the case number"
        )

    def test_an_ad_volume_of_another_kind_does_not_count(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][1]["kind"] = "CVD"  # Volume II, Cambodia
        paths = [p.path for p in found(answers_2024, "case.volume_missing")]
        assert paths == ["countries[0].ad_case"]

    def test_without_volumes_there_is_nothing_to_say(self, answers_2024: Answers) -> None:
        del answers_2024["volumes"]
        assert found(answers_2024, "case.volume_missing") == []

    def test_a_country_named_with_the_starts_the_sentence_capitalised(
        self, answers_2024: Answers
    ) -> None:
        answers_2024["volumes"][4]["kind"] = "CVD"  # Volume V, Vietnam
        (problem,) = found(answers_2024, "case.volume_missing")
        assert problem.message.startswith(
            "The Socialist Republic of Vietnam has the antidumping case A-552-841, but no volume "
            "is the AD allegation for the Socialist Republic of Vietnam;"
        )


class TestCasesForVolumes:
    def test_a_volume_for_a_country_not_petitioned(self, answers_2024: Answers) -> None:
        answers_2024["volumes"][4]["country"] = "Indonesia"
        problems = case_checks(answers_2024)
        assert [(p.path, p.code, p.severity) for p in problems] == [
            ("countries[3].ad_case", "case.volume_missing", "error"),
            ("volumes[4].country", "volume.case_missing", "warning"),
        ]
        assert problems[1].message == (
            "Volume V is the AD allegation for Indonesia, but Indonesia is not among the "
            "countries of the petitions; add the country, or correct the volume's country"
        )

    def test_a_volume_for_a_country_without_that_case(self, answers_2024: Answers) -> None:
        del answers_2024["countries"][0]["cvd_case"]
        (problem,) = found(answers_2024, "volume.case_missing")
        assert problem.path == "volumes[5].country"
        assert problem.message.endswith(
            "but Cambodia has no countervailing duty case number; add it under Cambodia in the "
            "countries, or correct the volume's country"
        )


class TestItcCounts:
    @pytest.mark.parametrize(
        ("cvd", "ad"), [("701-TA-722-725", "731-TA-1690-1693"), ("701-TA-__", "731-TA-__")]
    )
    def test_four_numbers_for_four_countries(
        self, answers_2024: Answers, cvd: str, ad: str
    ) -> None:
        answers_2024["itc"] = {"cvd_numbers": cvd, "ad_numbers": ad}
        assert case_checks(answers_2024) == []

    def test_a_range_that_does_not_fit_gives_a_warning(self, answers_2024: Answers) -> None:
        answers_2024["itc"] = {"cvd_numbers": "701-TA-722-724", "ad_numbers": "731-TA-1690"}
        problems = found(answers_2024, "itc.count_mismatch")
        assert [(p.path, p.severity) for p in problems] == [
            ("itc.cvd_numbers", "warning"),
            ("itc.ad_numbers", "warning"),
        ]
        assert problems[0].message == (
            "701-TA-722-724 covers 3 investigations, but 4 countries have a countervailing duty "
            "case; give one number per country, such as 701-TA-722-725, or 701-TA-__ until the "
            "Commission assigns the numbers"
        )
        assert "4 countries have an antidumping case" in problems[1].message

    def test_counts_only_countries_with_that_kind_of_case(self, answers_2024: Answers) -> None:
        del answers_2024["countries"][3]["cvd_case"]
        del answers_2024["volumes"][8]
        answers_2024["itc"]["cvd_numbers"] = "701-TA-722-724"
        assert case_checks(answers_2024) == []

    def test_before_any_case_number_every_country_counts(self) -> None:
        answers = {
            "countries": [{"name": "Cambodia"}, {"name": "Malaysia"}],
            "itc": {"ad_numbers": "731-TA-1690-1692"},
        }
        (problem,) = case_checks(answers)
        assert problem.message == (
            "731-TA-1690-1692 covers 3 investigations, but the petitions name 2 countries; give "
            "one number per country, such as 731-TA-1690-1691, or 731-TA-__ until the "
            "Commission assigns the numbers"
        )

    def test_without_countries_there_is_nothing_to_count(self) -> None:
        assert case_checks({"itc": {"ad_numbers": "731-TA-1690-1693"}}) == []

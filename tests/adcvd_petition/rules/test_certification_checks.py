from __future__ import annotations

from typing import Any

import pytest
from adcvd_petition.rules.certification_checks import (
    certification_checks,
    company_key,
    person_key,
    petitioning_companies,
)

from service.interview import paths
from service.problems import Problem

Answers = dict[str, Any]


def found(answers: Answers, code: str) -> list[Problem]:
    return [p for p in certification_checks(answers) if p.code == code]


class TestCertificationChecks:
    def test_the_corrected_2024_certifications_are_clean(self, answers_2024: Answers) -> None:
        assert certification_checks(answers_2024) == []

    @pytest.mark.parametrize(
        "answers",
        [
            {},
            {"coalition": None, "company_certifications": None},
            {"coalition": {"has_members": True, "members": [None, {}]}},
            {"representative_certification": "x", "counsel": {"attorneys": "x"}},
            {"filing": {"date": "soon"}, "company_certifications": [{"date": 5}]},
        ],
    )
    def test_partial_answers_say_nothing(self, answers: Answers) -> None:
        assert certification_checks(answers) == []


class TestCompanyKey:
    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("First Solar, Inc.", "first solar inc"),
            ("First Solar, Inc.", "First Solar"),
            ("Mission Solar Energy LLC", "Mission Solar Energy, L.L.C."),
            ("Hanwha Q CELLS USA, Inc.", "HANWHA Q CELLS USA INC."),
        ],
    )
    def test_ignores_case_punctuation_and_legal_form(self, first: str, second: str) -> None:
        assert company_key(first) == company_key(second)

    def test_keeps_different_companies_apart(self) -> None:
        assert company_key("Hanwha Q CELLS America, Inc.") != company_key(
            "Hanwha Q CELLS USA, Inc."
        )

    def test_a_name_that_is_only_a_legal_form_stays(self) -> None:
        assert company_key("Company") == "company"


class TestPersonKey:
    def test_ignores_periods_and_esq(self) -> None:
        assert person_key("Timothy C Brightbill, Esq.") == person_key("Timothy C. Brightbill")
        assert person_key("Laura El-Sabaawi") != person_key("Laura El Sabaawi")


class TestPetitioningCompanies:
    def test_the_members_of_a_coalition(self, answers_2024: Answers) -> None:
        assert petitioning_companies(answers_2024) == [
            "Convalt Energy",
            "First Solar, Inc.",
            "Hanwha Q CELLS USA, Inc.",
            "Mission Solar Energy LLC",
        ]

    def test_the_petitioners_otherwise(self, answers_2024: Answers) -> None:
        answers_2024["coalition"]["has_members"] = False
        assert petitioning_companies(answers_2024) == [
            "The American Alliance for Solar Manufacturing Trade Committee"
        ]

    def test_unknown_until_the_coalition_question_is_answered(self, answers_2024: Answers) -> None:
        del answers_2024["coalition"]["has_members"]
        assert petitioning_companies(answers_2024) is None


class TestCompanyCoverage:
    def test_a_member_without_a_certification_is_an_error(self, answers_2024: Answers) -> None:
        del answers_2024["company_certifications"][1]
        (problem,) = certification_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "company_certifications",
            "certification.company_missing",
            "error",
        )
        assert problem.message == (
            "No company certification is given for First Solar, Inc.; add one, since every "
            "petitioning company certifies (19 C.F.R. § 351.303(g)(1))"
        )

    def test_one_error_per_company(self, answers_2024: Answers) -> None:
        answers_2024["company_certifications"] = []
        problems = found(answers_2024, "certification.company_missing")
        assert len(problems) == 4
        assert {p.path for p in problems} == {"company_certifications"}

    def test_represents_counts_for_an_affiliate(self, answers_2024: Answers) -> None:
        del answers_2024["company_certifications"][2]["represents"]
        problems = certification_checks(answers_2024)
        assert [(p.path, p.code) for p in problems] == [
            ("company_certifications", "certification.company_missing"),
            ("company_certifications[2].company", "certification.not_a_petitioner"),
        ]
        assert "Hanwha Q CELLS USA, Inc." in problems[0].message
        assert problems[1].severity == "warning"
        assert problems[1].message.startswith(
            "Hanwha Q CELLS America, Inc. is not among the petitioning companies"
        )

    def test_names_match_ignoring_punctuation(self, answers_2024: Answers) -> None:
        answers_2024["company_certifications"][1]["company"] = "FIRST SOLAR INC"
        assert certification_checks(answers_2024) == []

    def test_without_members_the_petitioner_certifies(self, answers_2024: Answers) -> None:
        answers_2024["coalition"] = {"has_members": False}
        problems = certification_checks(answers_2024)
        assert [p.code for p in problems] == ["certification.company_missing"] + [
            "certification.not_a_petitioner"
        ] * 4
        assert (
            "The American Alliance for Solar Manufacturing Trade Committee" in problems[0].message
        )

    def test_a_missing_list_is_the_interviews_to_ask(self, answers_2024: Answers) -> None:
        del answers_2024["company_certifications"]
        assert certification_checks(answers_2024) == []


class TestCapacity:
    @pytest.mark.parametrize("capacity", ["counsel", "adviser", "preparer", "reviewer"])
    def test_the_four_capacities(self, answers_2024: Answers, capacity: str) -> None:
        answers_2024["representative_certification"]["capacity"] = capacity
        assert certification_checks(answers_2024) == []

    def test_the_2024_blank_is_left_to_the_interview(self, original_answers_2024: Answers) -> None:
        # Absent (as in the fixture) or "", the capacity is a missing answer, reported once by
        # the interview's required-answer check, not twice.
        assert found(original_answers_2024, "certification.capacity_invalid") == []
        original_answers_2024["representative_certification"]["capacity"] = ""
        assert found(original_answers_2024, "certification.capacity_invalid") == []

    def test_a_blank_of_spaces_is_an_error(self, answers_2024: Answers) -> None:
        answers_2024["representative_certification"]["capacity"] = "  "
        (problem,) = certification_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "representative_certification.capacity",
            "certification.capacity_invalid",
            "error",
        )
        assert '"In my capacity as, I certify"' in problem.message

    @pytest.mark.parametrize("capacity", ["Counsel", "counsel to petitioner", "lawyer", 3])
    def test_any_other_value_is_an_error(self, answers_2024: Answers, capacity: object) -> None:
        answers_2024["representative_certification"]["capacity"] = capacity
        (problem,) = certification_checks(answers_2024)
        assert problem.path == "representative_certification.capacity"
        assert problem.message == (
            f"{capacity!r} is not a capacity of 19 C.F.R. § 351.303(g)(2); choose counsel, "
            "adviser, preparer or reviewer"
        )


class TestCertifyingCounsel:
    @pytest.mark.parametrize("key", ["representative_certification", "counsel_certification"])
    def test_a_signer_who_is_not_counsel_is_an_error(self, answers_2024: Answers, key: str) -> None:
        answers_2024[key]["name"] = "Jane Q. Public"
        (problem,) = certification_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            f"{key}.name",
            "certification.counsel_not_attorney",
            "error",
        )
        assert problem.message.startswith("Jane Q. Public signs the ")
        assert "(Timothy C. Brightbill, Laura El-Sabaawi," in problem.message
        assert problem.message.endswith(
            "Patrick D. Griffo); choose one of them, or add Jane Q. Public to the attorneys"
        )

    def test_another_attorney_of_the_letter_may_sign(self, answers_2024: Answers) -> None:
        answers_2024["counsel_certification"]["name"] = "stephanie m bell"
        assert certification_checks(answers_2024) == []

    def test_without_attorneys_there_is_nothing_to_compare(self, answers_2024: Answers) -> None:
        answers_2024["counsel"]["attorneys"] = []
        answers_2024["counsel_certification"]["name"] = "Jane Q. Public"
        assert certification_checks(answers_2024) == []


class TestDates:
    def test_a_certification_signed_earlier_is_an_error_until_confirmed(
        self, answers_2024: Answers
    ) -> None:
        # Mr. Achuthan's e-signature is stamped Apr 15, 2024 in the letter.
        answers_2024["company_certifications"][0]["date"] = "2024-04-15"
        (problem,) = certification_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "company_certifications[0].date",
            "certification.date_unconfirmed",
            "error",
        )
        assert problem.message == (
            "The company certification of Hari Achuthan (Convalt Energy) is dated April 15, 2024, "
            "not the filing date April 24, 2024; change it to April 24, 2024, or confirm "
            "April 15, 2024 by answering yes to “Is that date right?” (date_confirmed)"
        )

    @pytest.mark.parametrize(
        "base",
        ["company_certifications[2]", "representative_certification", "counsel_certification"],
    )
    def test_a_confirmed_date_is_no_finding(self, answers_2024: Answers, base: str) -> None:
        certification = paths.get(answers_2024, base)
        certification["date"] = "2024-04-23"
        assert [p.path for p in certification_checks(answers_2024)] == [f"{base}.date"]
        certification["date_confirmed"] = True
        assert certification_checks(answers_2024) == []

    def test_a_date_said_to_be_wrong_must_be_changed(self, answers_2024: Answers) -> None:
        answers_2024["representative_certification"].update(date="2023-04-24", date_confirmed=False)
        (problem,) = certification_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "representative_certification.date",
            "certification.date_unconfirmed",
            "error",
        )
        assert problem.message == (
            "The representative certification is dated April 24, 2023, not the filing date "
            "April 24, 2024; you answered that this date is not right, so change it to April 24, 2024"
        )

    def test_a_confirmation_of_the_filing_date_is_harmless(self, answers_2024: Answers) -> None:
        answers_2024["counsel_certification"]["date_confirmed"] = False
        assert certification_checks(answers_2024) == []

    def test_every_certification_is_compared(self, answers_2024: Answers) -> None:
        answers_2024["filing"]["date"] = "2024-04-25"
        paths_found = [p.path for p in found(answers_2024, "certification.date_unconfirmed")]
        assert paths_found == [
            "company_certifications[0].date",
            "company_certifications[1].date",
            "company_certifications[2].date",
            "company_certifications[3].date",
            "representative_certification.date",
            "counsel_certification.date",
        ]

    def test_without_a_filing_date_there_is_nothing_to_compare(self, answers_2024: Answers) -> None:
        del answers_2024["filing"]["date"]
        answers_2024["counsel_certification"]["date"] = "2024-01-01"
        assert certification_checks(answers_2024) == []

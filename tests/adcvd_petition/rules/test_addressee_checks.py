from __future__ import annotations

from typing import Any

import pytest
from adcvd_petition.rules.addressee_checks import addressee_checks

Answers = dict[str, Any]


class TestAddresseeChecks:
    def test_the_2024_addressees_are_clean(self, answers_2024: Answers) -> None:
        assert addressee_checks(answers_2024) == []

    def test_a_secretary_no_longer_in_office_gives_a_warning(self, answers_2024: Answers) -> None:
        answers_2024["filing"]["date"] = "2025-03-03"
        (problem,) = addressee_checks(answers_2024)
        assert (problem.path, problem.code, problem.severity) == (
            "addressees.commerce_secretary",
            "addressee.not_officeholder",
            "warning",
        )
        assert problem.message == (
            "Gina M. Raimondo is named as Secretary of Commerce, but on March 3, 2025 the "
            "Secretary of Commerce was Howard Lutnick; address the letter to Howard Lutnick, or "
            "check the filing date"
        )

    def test_the_itc_secretary_too(self, answers_2024: Answers) -> None:
        answers_2024["addressees"]["itc_secretary"] = "Marilyn R. Abbott"
        (problem,) = addressee_checks(answers_2024)
        assert problem.path == "addressees.itc_secretary"
        assert problem.message.startswith("Marilyn R. Abbott is named as Secretary of the U.S.")
        assert "was Lisa R. Barton; address the letter to Lisa R. Barton" in problem.message

    @pytest.mark.parametrize("name", ["Gina Raimondo", "gina m raimondo", "Gina M. Raimondo "])
    def test_another_form_of_the_same_name_is_fine(self, answers_2024: Answers, name: str) -> None:
        answers_2024["addressees"]["commerce_secretary"] = name
        assert addressee_checks(answers_2024) == []

    def test_a_different_first_name_with_the_same_surname_is_not(
        self, answers_2024: Answers
    ) -> None:
        answers_2024["addressees"]["itc_secretary"] = "Robert L. Barton"
        assert [p.path for p in addressee_checks(answers_2024)] == ["addressees.itc_secretary"]

    def test_while_an_acting_secretary_served_nothing_is_known(self, answers_2024: Answers) -> None:
        answers_2024["filing"]["date"] = "2025-02-03"
        answers_2024["addressees"]["commerce_secretary"] = "Jeremy Pelter"
        assert addressee_checks(answers_2024) == []

    @pytest.mark.parametrize(
        "answers",
        [
            {},
            {"addressees": {"commerce_secretary": "Nobody"}},
            {"filing": {"date": "2024-04-24"}},
            {"filing": {"date": "2024-04-24"}, "addressees": {"commerce_secretary": "  "}},
            {"filing": {"date": "not a date"}, "addressees": {"commerce_secretary": "Nobody"}},
        ],
    )
    def test_missing_inputs_say_nothing(self, answers: Answers) -> None:
        assert addressee_checks(answers) == []

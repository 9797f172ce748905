from __future__ import annotations

import re

import pytest
from adcvd_petition.rules.bpi_categories import CATCH_ALL, CATEGORIES, UnknownCategory, category

from .letter_2024 import ITEMS

# The italic text of every item of the 2024 letter, with the paragraph it cites.
LETTER_TEXT = """
(1) Business or trade secrets concerning the nature of a product or production process
(2) Production costs (but not the identity of the production components unless a particular component is a trade secret)
(3) Distribution costs (but not channels of distribution)
(4) Terms of sale (but not terms of sale offered to the public)
(5) Prices of individual sales, likely sales, or other offers (but not components of prices, such as transportation, if based on published schedules, dates of sale, product descriptions (other than business or trade secrets described in paragraph (c)(1) of this section), or order numbers)
(6) Names of particular customers, distributors, or suppliers (but not destination of sale or designation of type of customer, distributor, or supplier, unless the destination or designation would reveal the name)
(9) The names of particular persons from whom business proprietary information was obtained
(10) The position of a domestic producer or workers regarding a petition
(11) Any other specific business information the release of which to the public would cause substantial harm to the competitive position of the submitter
"""  # noqa: E501
LETTER_TEXTS = {
    int(m.group(1)): m.group(2) for m in re.finditer(r"^\((\d+)\) (.+)$", LETTER_TEXT, re.M)
}


class TestCategories:
    def test_has_the_eleven_paragraphs_in_order(self) -> None:
        assert [c.number for c in CATEGORIES] == list(range(1, 12))

    @pytest.mark.parametrize("number", sorted(LETTER_TEXTS))
    def test_text_is_exactly_the_letters(self, number: int) -> None:
        assert category(number).text == LETTER_TEXTS[number]
        assert category(number).verified

    @pytest.mark.parametrize("number", [7, 8])
    def test_paragraphs_the_letter_never_cites_are_marked_unverified(self, number: int) -> None:
        assert not category(number).verified

    def test_every_paragraph_the_letter_cites_is_known(self) -> None:
        cited = {paragraph for items in ITEMS.values() for paragraph, _ in items}
        assert cited <= set(LETTER_TEXTS)

    def test_labels_are_short_and_distinct(self) -> None:
        labels = [c.label for c in CATEGORIES]
        assert len(set(labels)) == 11
        assert all(len(label) <= 40 for label in labels)

    def test_catch_all_is_eleven(self) -> None:
        assert category(CATCH_ALL).text.startswith("Any other specific business information")


class TestCategory:
    @pytest.mark.parametrize("number", [0, 12, -1, True])
    def test_refuses_paragraphs_that_do_not_exist(self, number: int) -> None:
        with pytest.raises(UnknownCategory, match=r"has no paragraph"):
            category(number)

    def test_regulation(self) -> None:
        assert category(5).regulation == "19 C.F.R. § 351.105(c)(5)"


class TestAllowedIn:
    @pytest.mark.parametrize(
        ("number", "kind", "allowed"),
        [
            (7, "AD", True),
            (7, "CVD", False),
            (7, "general", False),
            (8, "CVD", True),
            (8, "AD", False),
            (8, "general", False),
            (11, "general", True),
            (1, "CVD", True),
        ],
    )
    def test_dumping_and_subsidy_paragraphs_belong_to_their_proceeding(
        self, number: int, kind: str, allowed: bool
    ) -> None:
        assert category(number).allowed_in(kind) is allowed

    def test_applies_to(self) -> None:
        assert {c.number: c.applies_to for c in CATEGORIES if c.applies_to != "all"} == {
            7: "AD",
            8: "CVD",
        }

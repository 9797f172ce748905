"""The categories of business proprietary information of 19 C.F.R. § 351.105(c).

Each item of a volume's BPI list falls under one paragraph; the letter prints the paragraph's
text in italics followed by "(19 C.F.R. § 351.105(c)(n))". Texts are as the 2024 cover letter
prints them; the letter never cites (7) or (8), so their wording comes from the domain notes
and is marked unverified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Proceeding = Literal["all", "AD", "CVD"]

CATCH_ALL = 11


class UnknownCategory(ValueError):
    """A paragraph number that § 351.105(c) does not have."""


@dataclass(frozen=True, slots=True)
class BpiCategory:
    number: int
    text: str
    applies_to: Proceeding
    label: str
    # False where the wording has not been checked against the regulation or a filed letter.
    verified: bool = True

    @property
    def regulation(self) -> str:
        """``"19 C.F.R. § 351.105(c)(5)"``, as the letter cites it."""
        return f"19 C.F.R. § 351.105(c)({self.number})"

    def allowed_in(self, kind: str) -> bool:
        """Whether an item of this category may appear in a volume of ``kind``.

        (7) is about dumping margins and (8) about subsidy benefits, so each belongs only in a
        volume of its own kind of proceeding; the general volume has neither.
        """
        return self.applies_to == "all" or self.applies_to == kind


CATEGORIES: tuple[BpiCategory, ...] = (
    BpiCategory(
        1,
        "Business or trade secrets concerning the nature of a product or production process",
        "all",
        "Trade secrets",
    ),
    BpiCategory(
        2,
        "Production costs (but not the identity of the production components unless a "
        "particular component is a trade secret)",
        "all",
        "Production costs",
    ),
    BpiCategory(
        3,
        "Distribution costs (but not channels of distribution)",
        "all",
        "Distribution costs",
    ),
    BpiCategory(
        4,
        "Terms of sale (but not terms of sale offered to the public)",
        "all",
        "Terms of sale",
    ),
    BpiCategory(
        5,
        "Prices of individual sales, likely sales, or other offers (but not components of "
        "prices, such as transportation, if based on published schedules, dates of sale, "
        "product descriptions (other than business or trade secrets described in paragraph "
        "(c)(1) of this section), or order numbers)",
        "all",
        "Prices",
    ),
    BpiCategory(
        6,
        "Names of particular customers, distributors, or suppliers (but not destination of "
        "sale or designation of type of customer, distributor, or supplier, unless the "
        "destination or designation would reveal the name)",
        "all",
        "Customers, distributors, suppliers",
    ),
    BpiCategory(
        7,
        "In an antidumping proceeding, the exact amount of the dumping margin on individual sales",
        "AD",
        "Dumping margins",
        verified=False,
    ),
    BpiCategory(
        8,
        "In a countervailing duty proceeding, the exact amount of the benefit applied for or "
        "received by a person from each of the programs under investigation or review (but "
        "not descriptions of the operations of the programs, or the amount if included in "
        "official public statements or documents or publications, or the ad valorem "
        "countervailable subsidy rate calculated for each person under a program)",
        "CVD",
        "Subsidy benefits",
        verified=False,
    ),
    BpiCategory(
        9,
        "The names of particular persons from whom business proprietary information was obtained",
        "all",
        "Sources of BPI",
    ),
    BpiCategory(
        10,
        "The position of a domestic producer or workers regarding a petition",
        "all",
        "Position on the petition",
    ),
    BpiCategory(
        11,
        "Any other specific business information the release of which to the public would "
        "cause substantial harm to the competitive position of the submitter",
        "all",
        "Other business information (catch-all)",
    ),
)

_BY_NUMBER = {c.number: c for c in CATEGORIES}


def category(number: int) -> BpiCategory:
    """The category of paragraph ``number`` of § 351.105(c).

    Raises UnknownCategory for a number outside 1-11 (and for a bool, which is not a number
    a person meant).
    """
    if isinstance(number, bool) or number not in _BY_NUMBER:
        raise UnknownCategory(f"19 C.F.R. § 351.105(c) has no paragraph ({number})")
    return _BY_NUMBER[number]

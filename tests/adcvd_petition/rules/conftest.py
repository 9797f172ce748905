"""The 2024 petition (c-Si PV cells and modules from Cambodia, Malaysia, Thailand and Vietnam)
as answers to the interview, built from the public version of its cover letter.

``answers_2024`` is the packet as it should have been: Exhibit I-24 is taken out of Volume I
item (3), which makes every list agree with the letter's header, and the representative
certifies as counsel. ``original_answers_2024`` is the packet as filed, with both mistakes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from adcvd_petition.rules.citations import parse_citation

from .letter_2024 import ITEMS

COUNTRIES = ["Cambodia", "Malaysia", "Thailand", "Vietnam"]
ATTORNEYS = [
    "Timothy C. Brightbill",
    "Laura El-Sabaawi",
    "Stephanie M. Bell",
    "Adam M. Teslik",
    "Kimberly A. Reynolds",
    "Paul A. Devamithran",
    "Patrick D. Griffo",
]


def bpi_items(numeral: str) -> list[dict[str, Any]]:
    items = []
    for paragraph, printed in ITEMS[numeral]:
        citation = parse_citation(printed)
        items.append(
            {
                "paragraph": paragraph,
                "pages": list(citation.pages),
                "exhibit_list": citation.exhibit_list,
                "exhibits": list(citation.exhibits),
            }
        )
    return items


def volumes() -> list[dict[str, Any]]:
    found = [
        {
            "numeral": "I",
            "title": "General Information and Injury",
            "kind": "general",
            "has_bpi": True,
            "bpi_items": bpi_items("I"),
        }
    ]
    for numeral, country in zip(["II", "III", "IV", "V"], COUNTRIES):
        found.append(
            {
                "numeral": numeral,
                "title": f"{country} AD Allegation",
                "kind": "AD",
                "country": country,
                "has_bpi": True,
                "bpi_items": bpi_items(numeral),
            }
        )
    for numeral, country in zip(["VI", "VII", "VIII", "IX"], COUNTRIES):
        found.append(
            {
                "numeral": numeral,
                "title": f"{country} CVD Allegation",
                "kind": "CVD",
                "country": country,
                "has_bpi": False,
            }
        )
    return found


def company_certification(name: str, title: str, company: str, **more: str) -> dict[str, str]:
    return {"name": name, "title": title, "company": company, "date": "2024-04-24", **more}


def original() -> dict[str, Any]:
    return {
        "filing": {"date": "2024-04-24", "total_pages": 13, "version": "public"},
        "addressees": {"commerce_secretary": "Gina M. Raimondo", "itc_secretary": "Lisa R. Barton"},
        "product": {
            "name": "Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into Modules",
            "short_name": "c-Si PV cells and modules",
        },
        "countries": [
            {"name": "Cambodia", "ad_case": "A-555-003", "cvd_case": "C-555-004"},
            {"name": "Malaysia", "ad_case": "A-557-830", "cvd_case": "C-557-831"},
            {"name": "Thailand", "ad_case": "A-549-851", "cvd_case": "C-549-852"},
            {
                "name": "the Socialist Republic of Vietnam",
                "ad_case": "A-552-841",
                "cvd_case": "C-552-842",
            },
        ],
        "itc": {"cvd_numbers": "701-TA-__", "ad_numbers": "731-TA-__"},
        "petitioners": [
            {
                "name": "The American Alliance for Solar Manufacturing Trade Committee",
                "short_name": "the Committee",
                "basis": "E",
            }
        ],
        "coalition": {
            "has_members": True,
            "member_description": (
                "U.S. producers of crystalline silicon photovoltaic cells and modules"
            ),
            "members_basis": "C",
            "members": [
                {"name": "Convalt Energy"},
                {"name": "First Solar, Inc."},
                {"name": "Hanwha Q CELLS USA, Inc."},
                {"name": "Mission Solar Energy LLC"},
            ],
        },
        "counsel": {
            "firm": "Wiley Rein LLP",
            "address": "2050 M Street, NW\nWashington, DC 20036",
            "telephone": "(202) 719-7000",
            "attorneys": [{"name": name} for name in ATTORNEYS],
        },
        "consultants": {
            "included": True,
            "firm": "Wiley Trade Analytics Group",
            "address": "2050 M Street, NW\nWashington, DC 20036",
            "telephone": "(202) 719-7000",
            "people": [{"name": "Richard F. DiDonna"}, {"name": "Amy M. Sherman"}],
        },
        "volumes": volumes(),
        "company_certifications": [
            company_certification(
                "Hari Achuthan",
                "Founder, President, and Chief Executive Officer",
                "Convalt Energy",
            ),
            company_certification(
                "Jason Dymbort", "General Counsel and Secretary", "First Solar, Inc."
            ),
            company_certification(
                "John Kao",
                "Vice President and General Counsel",
                "Hanwha Q CELLS America, Inc.",
                represents="Hanwha Q CELLS USA, Inc.",
            ),
            company_certification("Grant Himes", "Counsel", "Mission Solar Energy LLC"),
        ],
        # The letter reads "In my capacity as, I certify": no capacity was given.
        "representative_certification": {
            "name": "Timothy C. Brightbill",
            "firm": "Wiley Rein LLP",
            "date": "2024-04-24",
        },
        "counsel_certification": {
            "name": "Timothy C. Brightbill",
            "firm": "Wiley Rein LLP",
            "date": "2024-04-24",
        },
    }


def corrected() -> dict[str, Any]:
    answers = original()
    item = answers["volumes"][0]["bpi_items"][2]
    assert item["paragraph"] == 5 and item["exhibits"] == ["I-24", "I-33"]
    item["exhibits"] = ["I-33"]
    answers["representative_certification"]["capacity"] = "counsel"
    return answers


@pytest.fixture
def answers_2024() -> dict[str, Any]:
    """The 2024 packet with its two mistakes corrected; a fresh copy for every test."""
    return copy.deepcopy(corrected())


@pytest.fixture
def original_answers_2024() -> dict[str, Any]:
    """The 2024 packet as filed: Exhibit I-24 outside the (c)(11) list, and no capacity."""
    return copy.deepcopy(original())

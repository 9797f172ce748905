"""The petition's rule families as cases: changes to the corrected 2024 answers, and what
each should make the checks find (or not find). Used as plain functions of the pack in
tests/packs/test_petition_rules.py, and a few of them over HTTP in tests/api/test_rules.py."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from service.interview import paths

DELETE = object()
Change = tuple[str, Any]


def merge_patch(answers: dict[str, Any], changes: tuple[Change, ...]) -> dict[str, Any]:
    """The JSON merge patch that makes ``changes`` to ``answers``: a list is sent whole (merge
    patch replaces lists), anything else by its own path (None removes it)."""
    changed = copy.deepcopy(answers)
    patch: dict[str, Any] = {}
    for path, value in changes:
        keys = paths.split(path)
        if value is DELETE:
            paths.remove(changed, keys)
        else:
            paths.assign(changed, keys, value)
        first_index = next((i for i, key in enumerate(keys) if isinstance(key, int)), None)
        if first_index is None:
            paths.assign(patch, keys, None if value is DELETE else value)
        else:
            list_keys = keys[:first_index]
            paths.assign(patch, list_keys, paths.get(changed, list_keys))
    return patch


def filed_on(day: str, commerce: str) -> tuple[Change, ...]:
    """A later filing date, with every certification left to take it by default."""
    return (
        ("filing.date", day),
        ("addressees.commerce_secretary", commerce),
        *((f"company_certifications[{i}].date", DELETE) for i in range(4)),
        ("representative_certification.date", DELETE),
        ("counsel_certification.date", DELETE),
    )


@dataclass(frozen=True)
class Finding:
    changes: tuple[Change, ...]
    path: str
    severity: str
    code: str


CAMBODIA_AS_CHILE = (
    ("countries[0].name", "Chile"),
    ("volumes[1].country", "Chile"),
    ("volumes[5].country", "Chile"),
)

FINDINGS = {
    # -- facts the rule library has not verified: warnings that say so ---------------------
    "an unverified code that matches": Finding(
        (
            *CAMBODIA_AS_CHILE,
            ("countries[0].ad_case", "A-337-003"),
            ("countries[0].cvd_case", "C-337-004"),
        ),
        "countries[0].ad_case",
        "warning",
        "case.country_code_unverified",
    ),
    "(c)(8) in a CVD volume that holds BPI (unverified wording)": Finding(
        (("volumes[5].has_bpi", True), ("volumes[5].bpi_items", [{"paragraph": 8, "pages": [3]}])),
        "volumes[5].bpi_items[0].paragraph",
        "warning",
        "bpi.wording_unverified",
    ),
    "(c)(7) in an AD volume (unverified wording)": Finding(
        (("volumes[1].bpi_items[8]", {"paragraph": 7, "pages": [3]}),),
        "volumes[1].bpi_items[8].paragraph",
        "warning",
        "bpi.wording_unverified",
    ),
    "one person certifying for two companies": Finding(
        (("company_certifications[1].name", "Hari Achuthan"),),
        "company_certifications[1].name",
        "warning",
        "certification.person_for_two_companies",
    ),
    # -- case numbers ---------------------------------------------------------------------
    "country code of another country (verified code)": Finding(
        (("countries[0].ad_case", "A-557-003"),),
        "countries[0].ad_case",
        "error",
        "case.country_code_mismatch",
    ),
    "country code of a country whose code is unverified": Finding(
        (
            *CAMBODIA_AS_CHILE,
            ("countries[0].ad_case", "A-338-003"),
            ("countries[0].cvd_case", "C-337-004"),
        ),
        "countries[0].ad_case",
        "warning",
        "case.country_code_mismatch",
    ),
    "AD and CVD serials not consecutive": Finding(
        (("countries[0].cvd_case", "C-555-010"),),
        "countries[0].cvd_case",
        "warning",
        "case.serials_not_consecutive",
    ),
    "a case number used twice": Finding(
        (("countries[1].ad_case", "A-555-003"),),
        "countries[1].ad_case",
        "error",
        "case.duplicate",
    ),
    "a CVD case without a CVD volume": Finding(
        (("volumes[5].country", "Malaysia"),),
        "countries[0].cvd_case",
        "error",
        "case.volume_missing",
    ),
    "an AD case without an AD volume": Finding(
        (("volumes[4].kind", "CVD"),),
        "countries[3].ad_case",
        "error",
        "case.volume_missing",
    ),
    "a CVD volume without a CVD case": Finding(
        (("countries[0].cvd_case", DELETE),),
        "volumes[5].country",
        "warning",
        "volume.case_missing",
    ),
    # -- ITC numbers ----------------------------------------------------------------------
    "three CVD investigations for four countries": Finding(
        (("itc.cvd_numbers", "701-TA-722-724"),),
        "itc.cvd_numbers",
        "warning",
        "itc.count_mismatch",
    ),
    "one AD investigation for four countries": Finding(
        (("itc.ad_numbers", "731-TA-1690"),),
        "itc.ad_numbers",
        "warning",
        "itc.count_mismatch",
    ),
    # -- BPI --------------------------------------------------------------------------------
    "an exhibit of Volume I cited in Volume II": Finding(
        (("volumes[1].bpi_items[0].exhibits", ["II-1", "I-4", "II-18"]),),
        "volumes[1].bpi_items[0].exhibits[1]",
        "error",
        "bpi.exhibit_wrong_volume",
    ),
    "the 2024 letter's Exhibit I-24": Finding(
        (("volumes[0].bpi_items[2].exhibits", ["I-24", "I-33"]),),
        "volumes[0].bpi_items[2].exhibits[0]",
        "error",
        "bpi.not_in_summary",
    ),
    "a page outside the (c)(11) list": Finding(
        (("volumes[0].bpi_items[2].pages", [43, 44, 60]),),
        "volumes[0].bpi_items[2].pages[2]",
        "error",
        "bpi.not_in_summary",
    ),
    "(c)(7) in a CVD volume": Finding(
        (("volumes[5].has_bpi", True), ("volumes[5].bpi_items", [{"paragraph": 7, "pages": [3]}])),
        "volumes[5].bpi_items[0].paragraph",
        "error",
        "bpi.paragraph_wrong_proceeding",
    ),
    "(c)(8) in an AD volume": Finding(
        (("volumes[1].bpi_items[8]", {"paragraph": 8, "pages": [3]}),),
        "volumes[1].bpi_items[8].paragraph",
        "error",
        "bpi.paragraph_wrong_proceeding",
    ),
    "(c)(8) in the general volume": Finding(
        (("volumes[0].bpi_items[7]", {"paragraph": 8, "pages": [3]}),),
        "volumes[0].bpi_items[7].paragraph",
        "error",
        "bpi.paragraph_wrong_proceeding",
    ),
    "BPI items in a volume marked public-only": Finding(
        (("volumes[5].bpi_items", [{"paragraph": 8, "pages": [3]}]),),
        "volumes[5].bpi_items",
        "error",
        "bpi.items_without_bpi",
    ),
    "an item citing nothing": Finding(
        (("volumes[0].bpi_items[7]", {"paragraph": 2, "pages": [], "exhibits": []}),),
        "volumes[0].bpi_items[7]",
        "error",
        "bpi.empty_item",
    ),
    # -- certifications -------------------------------------------------------------------
    "a member company without a certification": Finding(
        (("company_certifications[1]", DELETE),),
        "company_certifications",
        "error",
        "certification.company_missing",
    ),
    "no capacity for the representative": Finding(
        (("representative_certification.capacity", DELETE),),
        "representative_certification.capacity",
        "error",
        "required",
    ),
    "a representative who does not sign the letter": Finding(
        (("representative_certification.name", "Jane Q. Public"),),
        "representative_certification.name",
        "error",
        "certification.counsel_not_attorney",
    ),
    "certifying counsel who does not sign the letter": Finding(
        (("counsel_certification.name", "Jane Q. Public"),),
        "counsel_certification.name",
        "error",
        "certification.counsel_not_attorney",
    ),
    "a company certification dated before the filing": Finding(
        (("company_certifications[0].date", "2024-04-15"),),
        "company_certifications[0].date",
        "error",
        "certification.date_unconfirmed",
    ),
    "a representative certification dated after the filing": Finding(
        (("representative_certification.date", "2024-04-25"),),
        "representative_certification.date",
        "error",
        "certification.date_unconfirmed",
    ),
    "a date the user said is not right": Finding(
        (
            ("counsel_certification.date", "2023-04-24"),
            ("counsel_certification.date_confirmed", False),
        ),
        "counsel_certification.date",
        "error",
        "certification.date_unconfirmed",
    ),
    "every certification dated otherwise after the filing date moved": Finding(
        (("filing.date", "2024-04-25"),),
        "company_certifications[3].date",
        "error",
        "certification.date_unconfirmed",
    ),
    # -- addressees -----------------------------------------------------------------------
    "Raimondo after Lutnick took office": Finding(
        filed_on("2025-03-03", "Gina M. Raimondo"),
        "addressees.commerce_secretary",
        "warning",
        "addressee.not_officeholder",
    ),
    "Raimondo on Lutnick's first day": Finding(
        filed_on("2025-02-21", "Gina M. Raimondo"),
        "addressees.commerce_secretary",
        "warning",
        "addressee.not_officeholder",
    ),
    "Lutnick in 2024": Finding(
        (("addressees.commerce_secretary", "Howard Lutnick"),),
        "addressees.commerce_secretary",
        "warning",
        "addressee.not_officeholder",
    ),
    "someone else for the ITC": Finding(
        (("addressees.itc_secretary", "Someone Else"),),
        "addressees.itc_secretary",
        "warning",
        "addressee.not_officeholder",
    ),
}

CLEAN = {
    # -- case numbers ---------------------------------------------------------------------
    "the country named as petitions write it": (("countries[0].name", "the Kingdom of Cambodia"),),
    "other consecutive serials": (
        ("countries[0].ad_case", "A-555-010"),
        ("countries[0].cvd_case", "C-555-011"),
    ),
    "serials that wrap": (
        ("countries[0].ad_case", "A-555-999"),
        ("countries[0].cvd_case", "C-555-000"),
    ),
    "a volume naming its country another way": (("volumes[5].country", "Kingdom of Cambodia"),),
    # -- ITC numbers ----------------------------------------------------------------------
    "the numbers the Commission assigned": (
        ("itc.cvd_numbers", "701-TA-722-725"),
        ("itc.ad_numbers", "731-TA-1690-1693"),
    ),
    # -- BPI --------------------------------------------------------------------------------
    "Exhibit I-24 in the (c)(11) list as well": (
        ("volumes[0].bpi_items[2].exhibits", ["I-24", "I-33"]),
        (
            "volumes[0].bpi_items[6].exhibits",
            [
                "I-3",
                "I-4",
                "I-7",
                "I-15",
                "I-16",
                "I-19",
                "I-24",
                "I-25",
                "I-30",
                "I-31",
                "I-33",
                "I-34",
            ],
        ),
    ),
    "a volume marked public-only without items": (
        ("volumes[1].has_bpi", False),
        ("volumes[1].bpi_items", DELETE),
    ),
    "an item citing only the Exhibit List": (
        ("volumes[0].bpi_items[7]", {"paragraph": 2, "exhibit_list": True}),
    ),
    # -- certifications -------------------------------------------------------------------
    "a company named without its punctuation": (
        ("company_certifications[1].company", "FIRST SOLAR INC"),
    ),
    "the representative certifies as adviser": (
        ("representative_certification.capacity", "adviser"),
    ),
    "another attorney of the letter certifies": (
        ("counsel_certification.name", "Stephanie M. Bell"),
    ),
    "a company certification dated earlier, confirmed": (
        ("company_certifications[0].date", "2024-04-15"),
        ("company_certifications[0].date_confirmed", True),
    ),
    "a representative certification dated later, confirmed": (
        ("representative_certification.date", "2024-04-25"),
        ("representative_certification.date_confirmed", True),
    ),
    "a confirmation left over from an earlier date": (
        ("counsel_certification.date_confirmed", False),
    ),
    # -- addressees -----------------------------------------------------------------------
    "Lutnick on his first day": filed_on("2025-02-21", "Howard Lutnick"),
    "Lutnick later in 2025": filed_on("2025-06-02", "Howard Lutnick"),
    "Raimondo in December 2024": filed_on("2024-12-02", "Gina M. Raimondo"),
    "a name the table does not know, while an acting secretary served": filed_on(
        "2025-02-03", "Jeremy Pelter"
    ),
    "Raimondo without her middle initial": (("addressees.commerce_secretary", "Gina Raimondo"),),
}


REFUSED = {
    "an ITC CVD number of four digits": (
        {"itc": {"cvd_numbers": "701-TA-7220"}},
        "itc.cvd_numbers",
        "value.pattern",
    ),
    "an ITC AD number of three digits": (
        {"itc": {"ad_numbers": "731-TA-169"}},
        "itc.ad_numbers",
        "value.pattern",
    ),
    "AD numbers in the CVD field": (
        {"itc": {"cvd_numbers": "731-TA-__"}},
        "itc.cvd_numbers",
        "value.pattern",
    ),
    "a capacity the rule does not know": (
        {"representative_certification": {"capacity": "lawyer"}},
        "representative_certification.capacity",
        "value.enum",
    ),
    "a date confirmation that is not yes or no": (
        {"counsel_certification": {"date_confirmed": "yes"}},
        "counsel_certification.date_confirmed",
        "value.type",
    ),
}

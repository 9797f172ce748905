"""Facts the rule library holds but has not verified (a country code, the wording of a
paragraph of 19 C.F.R. § 351.105(c)): used as defaults, and said so wherever they are used,
so that a person checks them before filing. All findings are warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.bpi_categories import BpiCategory, UnknownCategory, category
from adcvd_petition.rules.case_numbers import CaseNumberError, parse_commerce_case
from adcvd_petition.rules.countries import by_code
from adcvd_petition.rules.partial import entries, text
from service.packs.plugins import reads
from service.problems import Problem


@reads("countries[*].ad_case", "countries[*].cvd_case", "volumes[*].bpi_items[*].paragraph")
def unverified_checks(answers: Mapping[str, Any]) -> list[Problem]:
    """Codes: case.country_code_unverified, bpi.wording_unverified (warnings)."""
    return [*_country_codes(answers), *_bpi_wording(answers)]


def _country_codes(answers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for index, country in entries(answers.get("countries")):
        for key in ("ad_case", "cvd_case"):
            number = text(country.get(key))
            try:
                case = parse_commerce_case(number) if number else None
            except CaseNumberError:
                continue
            holder = by_code(case.country_code) if case else None
            if holder is None or holder.verified:
                continue
            problems.append(
                Problem(
                    path=f"countries[{index}].{key}",
                    message=(
                        f"The country code {holder.code} for {holder.name} in {case} is not "
                        "verified in this service's tables; check the number against Commerce's "
                        "case list before filing"
                    ),
                    severity="warning",
                    code="case.country_code_unverified",
                )
            )
    return problems


def _bpi_wording(answers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    warned: set[int] = set()
    for v, volume in entries(answers.get("volumes")):
        for i, item in entries(volume.get("bpi_items")):
            paragraph = _paragraph(item.get("paragraph"))
            if paragraph is None or paragraph.verified or paragraph.number in warned:
                continue
            warned.add(paragraph.number)  # once per paragraph: the letter words it once
            problems.append(
                Problem(
                    path=f"volumes[{v}].bpi_items[{i}].paragraph",
                    message=(
                        f"The wording of 19 C.F.R. § 351.105(c)({paragraph.number}) that the "
                        "letter quotes is not verified in this service's tables; check it "
                        "against the current regulation before filing"
                    ),
                    severity="warning",
                    code="bpi.wording_unverified",
                )
            )
    return problems


def _paragraph(value: Any) -> BpiCategory | None:
    try:
        return category(value)  # type: ignore[arg-type]
    except (UnknownCategory, TypeError, ValueError):
        return None

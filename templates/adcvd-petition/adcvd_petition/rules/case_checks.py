"""Cross-field rules on case numbers: Commerce's (A-555-003) against the countries and the
volumes, and the ITC's (701-TA-722-725) against the number of countries.

The schema has already checked each number's shape; a number it would refuse is skipped here,
so that one mistake gives one message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.case_numbers import (
    CaseNumberError,
    CommerceCase,
    ItcNumbers,
    consecutive,
    parse_commerce_case,
    parse_itc_numbers,
)
from adcvd_petition.rules.countries import by_code, lookup, same_country
from adcvd_petition.rules.partial import entries, section, text
from service.packs.plugins import reads
from service.problems import Problem

_KINDS = (("ad_case", "AD", "antidumping"), ("cvd_case", "CVD", "countervailing duty"))


@reads(
    "countries[*].name",
    "countries[*].ad_case",
    "countries[*].cvd_case",
    "volumes[*].kind",
    "volumes[*].country",
    "volumes[*].numeral",
    "itc.ad_numbers",
    "itc.cvd_numbers",
)
def case_checks(answers: Mapping[str, Any]) -> list[Problem]:
    """Every finding on case numbers, in the order of the answers.

    Codes: case.country_code_mismatch (error, or warning for a code not yet verified),
    case.serials_not_consecutive (warning), case.duplicate (error), case.volume_missing (error),
    volume.case_missing (warning), itc.count_mismatch (warning).
    """
    problems: list[Problem] = []
    problems += _country_codes(answers)
    problems += _serials(answers)
    problems += _duplicates(answers)
    problems += _volumes_for_cases(answers)
    problems += _cases_for_volumes(answers)
    problems += _itc_counts(answers)
    return problems


def _cases(answers: Mapping[str, Any]):
    """(index, country item, key, kind, words, parsed case) for every well-formed case."""
    for index, country in entries(answers.get("countries")):
        for key, kind, words in _KINDS:
            number = text(country.get(key))
            if number is None:
                continue
            try:
                case = parse_commerce_case(number)
            except CaseNumberError:
                continue
            yield index, country, key, kind, words, case


def _country_codes(answers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for index, country_item, key, _kind, _words, case in _cases(answers):
        name = text(country_item.get("name"))
        country = lookup(name) if name else None
        if country is None or case.country_code == country.code:
            continue
        holder = by_code(case.country_code)
        belongs = f" ({holder.name})" if holder else ", which is not a known country code"
        meant = CommerceCase(case.kind, country.code, case.serial)
        message = (
            f"{case} has country code {case.country_code}{belongs}, "
            f"but the code of {name} is {country.code}"
        )
        if country.verified:
            message += f"; correct the number (such as {meant}) or the country"
        else:
            message += (
                f"; the code {country.code} for {country.name} is not yet verified, "
                "so check which is right"
            )
        problems.append(
            Problem(
                path=f"countries[{index}].{key}",
                message=message,
                severity="error" if country.verified else "warning",
                code="case.country_code_mismatch",
            )
        )
    return problems


def _serials(answers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for index, country in entries(answers.get("countries")):
        ad = _parsed(country.get("ad_case"))
        cvd = _parsed(country.get("cvd_case"))
        # Cases of two different countries are the code check's business, not this one's.
        if ad is None or cvd is None or ad.country_code != cvd.country_code:
            continue
        if consecutive(ad, cvd):
            continue
        name = text(country.get("name")) or f"country {index + 1}"
        problems.append(
            Problem(
                path=f"countries[{index}].cvd_case",
                message=(
                    f"{ad} and {cvd} of {name} are not consecutive; a country's antidumping and "
                    f"countervailing duty cases usually take neighbouring serials "
                    f"(such as A-555-003 and C-555-004), so check both numbers"
                ),
                severity="warning",
                code="case.serials_not_consecutive",
            )
        )
    return problems


def _duplicates(answers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    first_use: dict[CommerceCase, str] = {}
    for index, country, key, _kind, words, case in _cases(answers):
        name = text(country.get("name")) or f"country {index + 1}"
        if case in first_use:
            problems.append(
                Problem(
                    path=f"countries[{index}].{key}",
                    message=(
                        f"{case} is already the {first_use[case]}; each case has its own "
                        "number, so correct one of the two"
                    ),
                    code="case.duplicate",
                )
            )
        else:
            first_use[case] = f"{words} case of {name}"
    return problems


def _volumes_for_cases(answers: Mapping[str, Any]) -> list[Problem]:
    volumes = answers.get("volumes")
    # Without volumes there is nothing to compare; the interview asks for them.
    if not isinstance(volumes, list) or not volumes:
        return []
    problems = []
    for index, country in entries(answers.get("countries")):
        name = text(country.get("name"))
        if name is None:
            continue
        for key, kind, words in _KINDS:
            number = text(country.get(key))
            if number is None:
                continue
            if any(
                volume.get("kind") == kind and same_country(name, volume.get("country") or "")
                for _, volume in entries(volumes)
            ):
                continue
            problems.append(
                Problem(
                    path=f"countries[{index}].{key}",
                    message=(
                        f"{_capitalised(name)} has the {words} case {number}, but no volume is "
                        f"the {kind} allegation for {name}; add that volume, or remove the "
                        "case number"
                    ),
                    code="case.volume_missing",
                )
            )
    return problems


def _cases_for_volumes(answers: Mapping[str, Any]) -> list[Problem]:
    countries = answers.get("countries")
    if not isinstance(countries, list) or not countries:
        return []
    problems = []
    for index, volume in entries(answers.get("volumes")):
        kind = volume.get("kind")
        name = text(volume.get("country"))
        if kind not in ("AD", "CVD") or name is None:
            continue
        key, _, words = _KINDS[0] if kind == "AD" else _KINDS[1]
        matching = [c for _, c in entries(countries) if same_country(name, c.get("name") or "")]
        if matching and any(text(c.get(key)) for c in matching):
            continue
        numeral = text(volume.get("numeral"))
        label = f"Volume {numeral}" if numeral else f"Volume {index + 1}"
        why = (
            f"{name} has no {words} case number; add it under {name} in the countries, or "
            "correct the volume's country"
            if matching
            else f"{name} is not among the countries of the petitions; add the country, or "
            "correct the volume's country"
        )
        problems.append(
            Problem(
                path=f"volumes[{index}].country",
                message=f"{label} is the {kind} allegation for {name}, but {why}",
                severity="warning",
                code="volume.case_missing",
            )
        )
    return problems


def _itc_counts(answers: Mapping[str, Any]) -> list[Problem]:
    countries = [c for _, c in entries(answers.get("countries"))]
    if not countries:
        return []
    problems = []
    itc = section(answers, "itc")
    any_case = any(text(c.get(key)) for c in countries for key, _, _ in _KINDS)
    for itc_key, case_key, words in (
        ("cvd_numbers", "cvd_case", "countervailing duty"),
        ("ad_numbers", "ad_case", "antidumping"),
    ):
        value = text(itc.get(itc_key))
        if value is None:
            continue
        try:
            numbers = parse_itc_numbers(value)
        except CaseNumberError:
            continue
        if not numbers.assigned:
            continue
        # Before any Commerce number is typed, every country is taken to have both petitions.
        if any_case:
            expected = sum(1 for c in countries if text(c.get(case_key)))
            have = "country has" if expected == 1 else "countries have"
            whom = f"{expected} {have} {_article(words)} {words} case"
        else:
            expected = len(countries)
            whom = f"the petitions name {expected} {'country' if expected == 1 else 'countries'}"
        if numbers.count == expected:
            continue
        covers = f"{numbers.count} investigation{'s' if numbers.count != 1 else ''}"
        placeholder = ItcNumbers(numbers.kind)
        if expected:
            fitting = ItcNumbers(numbers.kind, numbers.first, numbers.first + expected - 1)
            advice = f"give one number per country, such as {fitting}, or {placeholder} until "
        else:
            advice = f"use {placeholder} until "
        problems.append(
            Problem(
                path=f"itc.{itc_key}",
                message=(
                    f"{numbers} covers {covers}, but {whom}; {advice}the Commission assigns "
                    "the numbers"
                ),
                severity="warning",
                code="itc.count_mismatch",
            )
        )
    return problems


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _capitalised(name: str) -> str:
    # "the Socialist Republic of Vietnam" starts a sentence as "The Socialist Republic ...".
    return name[:1].upper() + name[1:]


def _parsed(value: Any) -> CommerceCase | None:
    number = text(value)
    if number is None:
        return None
    try:
        return parse_commerce_case(number)
    except CaseNumberError:
        return None

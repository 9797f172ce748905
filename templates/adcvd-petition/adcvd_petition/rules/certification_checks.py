"""Cross-field rules on the certifications: one per petitioning company, a capacity for the
representative, counsel who sign the letter, and on every one of them the filing date or a
date the user has confirmed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.dates import long_date, parse_iso_date
from adcvd_petition.rules.partial import entries, section, text
from service.packs.plugins import reads
from service.problems import Problem

CAPACITIES = ("counsel", "adviser", "preparer", "reviewer")

# Legal forms that do not change which company is meant ("First Solar" is "First Solar, Inc.").
_LEGAL_FORMS = frozenset(
    "inc incorporated llc llp lp ltd limited corp corporation co company plc pllc pc".split()
)


def company_key(name: str) -> str:
    """A company's name with case, punctuation and a trailing legal form ignored.

    "First Solar, Inc." and "first solar inc" give the same key; "Hanwha Q CELLS America,
    Inc." and "Hanwha Q CELLS USA, Inc." do not.
    """
    # Periods go without a trace so that "L.L.C." reads as "LLC"; other marks separate words.
    words = re.sub(r"[^\w\s&]+", " ", name.casefold().replace(".", "")).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def person_key(name: str) -> str:
    """A person's name with case, punctuation and "Esq." ignored: "Timothy C Brightbill, Esq."
    is Timothy C. Brightbill."""
    words = re.sub(r"[^\w\s-]+", " ", name.casefold()).split()
    while len(words) > 1 and words[-1] in ("esq", "jr", "sr"):
        words.pop()
    return " ".join(words)


def petitioning_companies(answers: Mapping[str, Any]) -> list[str] | None:
    """The companies that must each certify: the coalition's members when it has members,
    otherwise the petitioners. None while it is not yet known which applies."""
    has_members = section(answers, "coalition").get("has_members")
    if has_members is True:
        source = section(answers, "coalition").get("members")
    elif has_members is False:
        source = answers.get("petitioners")
    else:
        return None
    return [name for _, item in entries(source) if (name := text(item.get("name")))]


@reads(
    "coalition.has_members",
    "coalition.members[*].name",
    "petitioners[*].name",
    "company_certifications",
    "representative_certification",
    "counsel_certification",
    "counsel.attorneys[*].name",
    "filing.date",
)
def certification_checks(answers: Mapping[str, Any]) -> list[Problem]:
    """Every finding on the certifications.

    Codes: certification.company_missing (error), certification.not_a_petitioner (warning),
    certification.capacity_invalid (error), certification.counsel_not_attorney (error),
    certification.date_unconfirmed (error), certification.person_for_two_companies (warning).
    """
    return [
        *_company_coverage(answers),
        *_one_person_two_companies(answers),
        *_capacity(answers),
        *_certifying_counsel(answers),
        *_dates(answers),
    ]


def _company_coverage(answers: Mapping[str, Any]) -> list[Problem]:
    companies = petitioning_companies(answers)
    certifications = answers.get("company_certifications")
    # A missing list is the interview's to ask for; an empty one is a finding.
    if companies is None or not isinstance(certifications, list):
        return []
    certified: dict[str, int] = {}
    for index, certification in entries(certifications):
        for key in ("company", "represents"):
            name = text(certification.get(key))
            if name:
                certified.setdefault(company_key(name), index)
    problems = []
    for company in companies:
        if company_key(company) not in certified:
            problems.append(
                Problem(
                    path="company_certifications",
                    message=(
                        f"No company certification is given for {company}; add one, since "
                        "every petitioning company certifies (19 C.F.R. § 351.303(g)(1))"
                    ),
                    code="certification.company_missing",
                )
            )
    wanted = {company_key(c) for c in companies}
    if not wanted:
        return problems
    for index, certification in entries(certifications):
        names = [n for key in ("company", "represents") if (n := text(certification.get(key)))]
        if names and not any(company_key(n) in wanted for n in names):
            problems.append(
                Problem(
                    path=f"company_certifications[{index}].company",
                    message=(
                        f"{' and '.join(names)} is not among the petitioning companies; "
                        "name the petitioner it represents, or remove the certification"
                    ),
                    severity="warning",
                    code="certification.not_a_petitioner",
                )
            )
    return problems


def _one_person_two_companies(answers: Mapping[str, Any]) -> list[Problem]:
    """The same person signing company certifications for two different companies: possible
    (an officer of two affiliates), but more often a name copied into the wrong row."""
    first: dict[str, tuple[int, str]] = {}
    problems = []
    for index, certification in entries(answers.get("company_certifications")):
        person, company = text(certification.get("name")), text(certification.get("company"))
        if not person or not company:
            continue
        seen = first.setdefault(person_key(person), (index, company))
        if seen[0] == index or company_key(seen[1]) == company_key(company):
            continue
        problems.append(
            Problem(
                path=f"company_certifications[{index}].name",
                message=(
                    f"{person} also certifies for {seen[1]} (company certification {seen[0] + 1}); "
                    f"one person certifying for two companies is unusual, so check that "
                    f"{person} really signs for {company}"
                ),
                severity="warning",
                code="certification.person_for_two_companies",
            )
        )
    return problems


def _capacity(answers: Mapping[str, Any]) -> list[Problem]:
    capacity = section(answers, "representative_certification").get("capacity")
    # An absent or empty capacity is a missing answer, which the interview reports.
    if capacity is None or capacity == "" or capacity in CAPACITIES:
        return []
    if isinstance(capacity, str) and not capacity.strip():
        message = (
            'The capacity is blank, so the certification would read "In my capacity as, I '
            'certify"; choose counsel, adviser, preparer or reviewer'
        )
    else:
        message = (
            f"{capacity!r} is not a capacity of 19 C.F.R. § 351.303(g)(2); choose counsel, "
            "adviser, preparer or reviewer"
        )
    return [
        Problem(
            path="representative_certification.capacity",
            message=message,
            code="certification.capacity_invalid",
        )
    ]


def _certifying_counsel(answers: Mapping[str, Any]) -> list[Problem]:
    attorneys = [
        name
        for _, item in entries(section(answers, "counsel").get("attorneys"))
        if (name := text(item.get("name")))
    ]
    if not attorneys:
        return []
    known = {person_key(a) for a in attorneys}
    problems = []
    for key, what in (
        ("representative_certification", "the representative certification"),
        ("counsel_certification", "the certification of counsel"),
    ):
        name = text(section(answers, key).get("name"))
        if name is None or person_key(name) in known:
            continue
        problems.append(
            Problem(
                path=f"{key}.name",
                message=(
                    f"{name} signs {what} but is not among the attorneys who sign the letter "
                    f"({', '.join(attorneys)}); choose one of them, or add {name} to the "
                    "attorneys"
                ),
                code="certification.counsel_not_attorney",
            )
        )
    return problems


def _dates(answers: Mapping[str, Any]) -> list[Problem]:
    """A certification dated otherwise than the filing is an error until the user confirms
    the date (``date_confirmed``): a date copied from last year's packet is the usual slip."""
    filed = parse_iso_date(section(answers, "filing").get("date"))
    if filed is None:
        return []
    dated: list[tuple[str, str, Mapping[str, Any]]] = [
        (f"company_certifications[{index}]", _company_label(item), item)
        for index, item in entries(answers.get("company_certifications"))
    ]
    dated.append(
        (
            "representative_certification",
            "The representative certification",
            section(answers, "representative_certification"),
        )
    )
    dated.append(
        (
            "counsel_certification",
            "The certification of counsel",
            section(answers, "counsel_certification"),
        )
    )
    problems = []
    for base, what, certification in dated:
        day = parse_iso_date(certification.get("date"))
        confirmed = certification.get("date_confirmed")
        if day is None or day == filed or confirmed is True:
            continue
        signed, filing = long_date(day), long_date(filed)
        if confirmed is False:
            advice = f"you answered that this date is not right, so change it to {filing}"
        else:
            advice = (
                f"change it to {filing}, or confirm {signed} by answering yes to "
                "“Is that date right?” (date_confirmed)"
            )
        problems.append(
            Problem(
                path=f"{base}.date",
                message=f"{what} is dated {signed}, not the filing date {filing}; {advice}",
                code="certification.date_unconfirmed",
            )
        )
    return problems


def _company_label(certification: Mapping[str, Any]) -> str:
    who = text(certification.get("name"))
    company = text(certification.get("company"))
    if who and company:
        return f"The company certification of {who} ({company})"
    if who or company:
        return f"The company certification of {who or company}"
    return "A company certification"

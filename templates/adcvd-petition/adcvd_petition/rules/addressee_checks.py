"""Cross-field rules on the addressees: the secretaries named should be the ones in office on
the filing date, when the dated table of officeholders knows who that was."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.certification_checks import person_key
from adcvd_petition.rules.dates import long_date
from adcvd_petition.rules.officeholders import filing_date, officeholder, surname
from adcvd_petition.rules.partial import section, text
from service.packs.plugins import reads
from service.problems import Problem

_OFFICES = (
    ("commerce_secretary", "Secretary of Commerce"),
    ("itc_secretary", "Secretary of the U.S. International Trade Commission"),
)


@reads("filing.date", "addressees.commerce_secretary", "addressees.itc_secretary")
def addressee_checks(answers: Mapping[str, Any]) -> list[Problem]:
    """A warning for each secretary named who was not in office on the filing date.

    Silent without a filing date, without a name, or when no holder is known for the date
    (an acting secretary). "Gina Raimondo" for "Gina M. Raimondo" is not a finding: the first
    name and surname agree, and the salutation uses the surname.

    Code: addressee.not_officeholder (warning).
    """
    day = filing_date(answers)
    if day is None:
        return []
    addressees = section(answers, "addressees")
    problems = []
    for key, title in _OFFICES:
        named = text(addressees.get(key))
        holder = officeholder(key, day)
        if named is None or holder is None or _same_person(named, holder):
            continue
        problems.append(
            Problem(
                path=f"addressees.{key}",
                message=(
                    f"{named} is named as {title}, but on {long_date(day)} the {title} "
                    f"was {holder}; address the letter to {holder}, or check the filing date"
                ),
                severity="warning",
                code="addressee.not_officeholder",
            )
        )
    return problems


def _same_person(named: str, holder: str) -> bool:
    if person_key(named) == person_key(holder):
        return True
    first_named, first_holder = person_key(named).split()[:1], person_key(holder).split()[:1]
    return first_named == first_holder and person_key(surname(named)) == person_key(surname(holder))

"""Who held the offices a petition is addressed to, on a given date.

Officeholders change, so they are dated data here rather than text in a template. A date on
which no holder is known (the weeks between Secretary Raimondo leaving and Secretary Lutnick
being sworn in, when an acting secretary served) gives None, so the person filing types the
name instead of getting a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from adcvd_petition.rules.dates import parse_iso_date
from adcvd_petition.rules.partial import section
from service.packs.plugins import reads

Office = Literal["commerce_secretary", "itc_secretary"]
OFFICES: tuple[Office, ...] = ("commerce_secretary", "itc_secretary")


class UnknownOffice(ValueError):
    """An office this module keeps no holders for."""


@dataclass(frozen=True, slots=True)
class Term:
    office: Office
    name: str
    start: date
    # The first day the person no longer held the office; None while no end is known.
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


TERMS: tuple[Term, ...] = (
    # Sworn in 3 March 2021; left at noon on 20 January 2025. That day is left to the user,
    # since a filing on it could be addressed either way.
    Term("commerce_secretary", "Gina M. Raimondo", date(2021, 3, 3), date(2025, 1, 20)),
    Term("commerce_secretary", "Howard Lutnick", date(2025, 2, 21)),
    # Secretary to the Commission since the early 2010s; the start is the earliest date we are
    # sure of, not the day of appointment, so older filings ask the user.
    Term("itc_secretary", "Lisa R. Barton", date(2013, 1, 1)),
)


def officeholder(office: str, on: date) -> str | None:
    """The name of whoever held ``office`` on the day ``on``, or None when no one is known.

    Raises UnknownOffice for an office other than "commerce_secretary" or "itc_secretary".
    """
    if office not in OFFICES:
        raise UnknownOffice(f"no officeholders are kept for {office!r}")
    for term in TERMS:
        if term.office == office and term.covers(on):
            return term.name
    return None


def filing_date(answers: Mapping[str, Any]) -> date | None:
    """``answers["filing"]["date"]`` as a date; None when missing or not an ISO date."""
    return parse_iso_date(section(answers, "filing").get("date"))


@reads("filing.date")
def commerce_secretary(answers: Mapping[str, Any]) -> str | None:
    """The Secretary of Commerce on the filing date; None without a date or a known holder."""
    day = filing_date(answers)
    return officeholder("commerce_secretary", day) if day else None


@reads("filing.date")
def itc_secretary(answers: Mapping[str, Any]) -> str | None:
    """The Secretary of the ITC on the filing date; None without a date or a known holder."""
    day = filing_date(answers)
    return officeholder("itc_secretary", day) if day else None


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "esq", "phd", "md"}
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "st"}


def surname(name: str) -> str:
    """The surname for the salutation: "Gina M. Raimondo" → "Raimondo".

    Drops suffixes ("Jr.", "III", "Esq.") and keeps lower-case particles ("van Buren").
    An empty name gives "".
    """
    words = [w for w in re.split(r"[\s,]+", name.strip()) if w] if isinstance(name, str) else []
    while len(words) > 1 and words[-1].lower().strip(".") in _SUFFIXES:
        words.pop()
    if not words:
        return ""
    start = len(words) - 1
    # A lower-case particle is never a given name: "de la Cruz" alone is all surname.
    while start > 0 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[start:])


def salutation(commerce_secretary_name: str, itc_secretary_name: str) -> str:
    """``"Dear Secretary Raimondo and Secretary Barton:"``."""
    return (
        f"Dear Secretary {surname(commerce_secretary_name)} "
        f"and Secretary {surname(itc_secretary_name)}:"
    )

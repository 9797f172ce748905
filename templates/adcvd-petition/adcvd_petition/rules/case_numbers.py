"""Case numbers of Commerce (A-555-003, C-555-004) and investigation numbers of the ITC
(701-TA-722, 731-TA-1690-1693, or the placeholder 701-TA-__ before they are assigned).

Commerce: A (antidumping) or C (countervailing), the three-digit country code, a three-digit
serial. A country's AD and CVD cases in one filing usually take consecutive serials, and the
serial wraps from 999 to 000. ITC: 701-TA- and three digits for CVD, 731-TA- and four digits
for AD, one number per country, so several countries give a range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["AD", "CVD"]

_SERIALS = 1000
_COMMERCE = re.compile(r"^([AC])-(\d{3})-(\d{3})$")
_ITC = re.compile(r"^(701|731)-TA-(?:(__)|(\d+)(?:-(\d+))?)$")
_ITC_DIGITS = {"701": 3, "731": 4}
_ITC_KIND: dict[str, Kind] = {"701": "CVD", "731": "AD"}
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")


class CaseNumberError(ValueError):
    """A case or investigation number that is not written the way the agencies write it."""


@dataclass(frozen=True, slots=True)
class CommerceCase:
    kind: Kind
    country_code: str
    serial: int

    def __str__(self) -> str:
        letter = "A" if self.kind == "AD" else "C"
        return f"{letter}-{self.country_code}-{self.serial:03d}"


@dataclass(frozen=True, slots=True)
class ItcNumbers:
    """The ITC's numbers for one kind of investigation; ``first`` is None until assigned."""

    kind: Kind
    first: int | None = None
    last: int | None = None

    @property
    def assigned(self) -> bool:
        return self.first is not None

    @property
    def count(self) -> int:
        """How many investigations the numbers cover: 0 for the placeholder."""
        if self.first is None:
            return 0
        return (self.last if self.last is not None else self.first) - self.first + 1

    def __str__(self) -> str:
        prefix = "731" if self.kind == "AD" else "701"
        if self.first is None:
            return f"{prefix}-TA-__"
        digits = _ITC_DIGITS[prefix]
        text = f"{prefix}-TA-{self.first:0{digits}d}"
        if self.last is not None and self.last != self.first:
            text += f"-{self.last:0{digits}d}"
        return text


def _clean(text: str) -> str:
    # People paste numbers from Word, which turns hyphens into dashes.
    return _DASHES.sub("-", text).strip().upper() if isinstance(text, str) else ""


def parse_commerce_case(text: str) -> CommerceCase:
    """``"A-555-003"`` → CommerceCase("AD", "555", 3). Lower case and typographic dashes pass.

    Raises CaseNumberError for anything not A- or C-, three digits, a hyphen, three digits.
    """
    match = _COMMERCE.match(_clean(text))
    if match is None:
        raise CaseNumberError(
            f"{text!r} is not a Commerce case number such as A-555-003 or C-555-004"
        )
    letter, code, serial = match.groups()
    return CommerceCase("AD" if letter == "A" else "CVD", code, int(serial))


def is_commerce_case(text: str) -> bool:
    try:
        parse_commerce_case(text)
    except CaseNumberError:
        return False
    return True


def consecutive(first: CommerceCase, second: CommerceCase) -> bool:
    """Whether two cases of one country take neighbouring serials, in either order.

    The serial wraps, so 999 and 000 are neighbours.
    """
    if first.country_code != second.country_code:
        return False
    step = (second.serial - first.serial) % _SERIALS
    return step in (1, _SERIALS - 1)


def parse_itc_numbers(text: str) -> ItcNumbers:
    """``"701-TA-722-725"`` → ItcNumbers("CVD", 722, 725); ``"731-TA-__"`` → unassigned.

    Raises CaseNumberError for:
    - a prefix other than 701-TA- (CVD) or 731-TA- (AD);
    - a number of the wrong length (three digits for 701, four for 731);
    - a range that runs backwards.
    """
    cleaned = _clean(text)
    match = _ITC.match(cleaned)
    if match is None:
        raise CaseNumberError(
            f"{text!r} is not an ITC investigation number such as 701-TA-722, "
            "731-TA-1690-1693 or the placeholder 701-TA-__"
        )
    prefix, placeholder, first, last = match.groups()
    kind = _ITC_KIND[prefix]
    if placeholder:
        return ItcNumbers(kind)
    digits = _ITC_DIGITS[prefix]
    for number in (first, last):
        if number is not None and len(number) != digits:
            raise CaseNumberError(
                f"{text!r}: {prefix}-TA- numbers have {digits} digits, as in "
                f"{'701-TA-722' if prefix == '701' else '731-TA-1690'}"
            )
    start = int(first)
    end = int(last) if last is not None else None
    if end is not None and end < start:
        raise CaseNumberError(f"{text!r} is a range that runs backwards")
    return ItcNumbers(kind, start, end)


def order_case_numbers(countries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The letter's order: every AD case in the order of the countries, then every CVD case.

    Reads the answers' ``countries`` items ({name, ad_case, cvd_case}); a country without one
    of the cases is skipped for that kind. Numbers are given back as typed, without checking.
    """
    items = [c for c in countries if isinstance(c, Mapping)]
    ordered = []
    for key in ("ad_case", "cvd_case"):
        for country in items:
            number = country.get(key)
            if isinstance(number, str) and number.strip():
                ordered.append(number.strip())
    return ordered


def join_case_numbers(numbers: Iterable[str]) -> str:
    """``"A-555-003, A-557-830, ..., and C-552-842"``; two give ``"A-555-003 and C-555-004"``.

    The letter writes a series with a comma before "and"; two numbers take no comma, as in its
    "701-TA-__ and 731-TA-__". No numbers give "".
    """
    items = list(numbers)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return f"{', '.join(items[:-1])}, and {items[-1]}"

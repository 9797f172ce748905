"""Generic Jinja filters and tests for Word templates, so that a pack needs no Python to format.

Every filter takes answers as the JSON gives them (ISO date strings, numbers, lists, text) and
returns text that the environment then escapes for XML, so what a person typed stays literal.
The one exception is ``paragraphs``, which returns ``Markup`` built from text it escaped itself:
it has to emit Word's own line breaks.

Missing answers (None, Jinja's Undefined) print as nothing rather than failing the render; an
unknown style or a value of the wrong kind is a template mistake and raises ``ValueError``
(``TypeError`` for a value that is not even text or a number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup, escape

DATE_STYLES: dict[str, Callable[[dt.date], str]] = {
    "long": lambda d: f"{d:%B} {d.day}, {d.year}",  # June 13, 2013
    "short": lambda d: f"{d.month}-{d.day}-{d:%y}",  # 6-19-13
    "slashes": lambda d: f"{d.month}/{d.day}/{d.year}",  # 6/19/2013
    "month_year": lambda d: f"{d:%B} {d.year}",  # June 2013
    "day_month_year": lambda d: f"{d.day} {d:%B} {d.year}",  # 13 June 2013
    "iso": lambda d: d.isoformat(),  # 2013-06-13
}

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_LINE_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')


def _missing(value: Any) -> bool:
    return value is None or isinstance(value, Undefined) or value == ""


def format_date(value: Any, style: str = "long") -> str:
    """``"2013-06-13"|date`` → "June 13, 2013"; ``|date("short")`` → "6-13-13".

    Styles: long, short, slashes, month_year, day_month_year, iso.
    """
    if _missing(value):
        return ""
    if style not in DATE_STYLES:
        raise ValueError(f"date style {style!r} is unknown; known: {', '.join(DATE_STYLES)}")
    if isinstance(value, dt.datetime):
        value = value.date()
    elif not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return DATE_STYLES[style](value)


def _join(conjunction: str) -> Callable[..., str]:
    def join(values: Any, serial_comma: bool = True) -> str:
        items = [str(v) for v in _as_list(values) if not _missing(v)]
        if len(items) <= 2:
            return f" {conjunction} ".join(items)
        comma = "," if serial_comma else ""
        return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"

    join.__doc__ = (
        f'``["A", "B", "C"]|join_{conjunction}`` → "A, B, {conjunction} C" (the serial comma; '
        f'``serial_comma=False`` leaves it out); two items → "A {conjunction} B".'
    )
    return join


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """``3|plural("industry", "industries")`` → "industries"; a list counts by its length.

    Without a plural form, "s" is added to the singular.
    """
    n = len(count) if isinstance(count, (list, tuple, dict)) else _number(count)
    return singular if n == 1 else (plural_form if plural_form is not None else singular + "s")


def ordinal(value: Any) -> str:
    """``1|ordinal`` → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd"."""
    if _missing(value):
        return ""
    n = int(_number(value))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roman(value: Any, lower: bool = False) -> str:
    """``4|roman`` → "IV"; ``14|roman(lower=true)`` → "xiv". Only 1 to 3999 have numerals."""
    if _missing(value):
        return ""
    n = int(_number(value))
    if not 0 < n < 4000:
        raise ValueError(f"{n} has no roman numeral (1 to 3999 only)")
    out = []
    for amount, numeral in _ROMAN:
        count, n = divmod(n, amount)
        out.append(numeral * count)
    text = "".join(out)
    return text.lower() if lower else text


def money(value: Any, places: int = 2, symbol: str = "$") -> str:
    """``1234.5|money`` → "$1,234.50"; ``35.5|money(1)`` → "$35.5"; ``2e6|money(0)`` → "$2,000,000".

    Rounds half up, as people do, not to even.
    """
    if _missing(value):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.{places}f}"


def paragraphs(value: Any) -> list[Markup]:
    """A multi-line answer as a list of Word paragraphs, for ``{%p for p in text|paragraphs %}``.

    A blank line starts a new paragraph (each one repeats the template's paragraph, with its
    style); a single line break inside a paragraph stays a line break. Leading and trailing
    blank lines are dropped; text is escaped here, so it stays literal.
    """
    if _missing(value):
        return []
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return [
        _LINE_BREAK.join(escape(line) for line in block.split("\n"))
        for block in _BLANK_LINES.split(text)
        if block.strip()
    ]


def cells(value: Any, separator: str = "|") -> list[str]:
    """``"NAICS code | Title"|cells`` → ["NAICS code", "Title"]: one row of a table typed as a line.

    A list is returned as it is.
    """
    if isinstance(value, (list, tuple)):
        return list(value)
    if _missing(value):
        return []
    return [cell.strip() for cell in str(value).split(separator)]


def rows(value: Any, separator: str = "|") -> list[list[str]]:
    """A table typed as lines of cells (``"213112 | Oil and Gas | $35.5"``, one row a line) as
    a list of rows, for ``{%tr for row in table.rows|rows %}``; blank lines are skipped.

    A list of rows is returned as it is; its rows may be lines to split too.
    """
    if _missing(value):
        return []
    lines = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    return [cells(line, separator) for line in lines if not _missing(line) and str(line).strip()]


def _as_list(values: Any) -> list[Any]:
    if _missing(values):
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        return [values]
    return list(values)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise TypeError(f"{value!r} is not a number")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


FILTERS: dict[str, Callable[..., Any]] = {
    "date": format_date,
    "join_and": _join("and"),
    "join_or": _join("or"),
    "plural": plural,
    "ordinal": ordinal,
    "roman": roman,
    "money": money,
    "paragraphs": paragraphs,
    "cells": cells,
    "rows": rows,
}

# Jinja tests: ``{% if industries is singular %}``, ``{% if note is blank %}``.
TESTS: dict[str, Callable[..., bool]] = {
    "singular": lambda value: (len(value) if isinstance(value, (list, tuple)) else value) == 1,
    "blank": lambda value: _missing(value) or (isinstance(value, str) and not value.strip()),
}

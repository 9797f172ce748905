"""Dates as answers hold them (ISO strings) and as letters print them ("April 24, 2024")."""

from __future__ import annotations

from datetime import date
from typing import Any


def parse_iso_date(value: Any) -> date | None:
    """``"2024-04-24"`` → date(2024, 4, 24); None for anything that is not an ISO date string,
    since answers may be partial and a rule without its date says nothing."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def long_date(day: date) -> str:
    """``date(2024, 4, 5)`` → ``"April 5, 2024"``, without a leading zero, as letters print it."""
    return f"{day:%B} {day.day}, {day.year}"

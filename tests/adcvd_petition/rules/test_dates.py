from __future__ import annotations

from datetime import date

import pytest
from adcvd_petition.rules.dates import long_date, parse_iso_date


class TestParseIsoDate:
    def test_reads_iso(self) -> None:
        assert parse_iso_date("2024-04-24") == date(2024, 4, 24)
        assert parse_iso_date(" 2024-04-24 ") == date(2024, 4, 24)

    @pytest.mark.parametrize("value", [None, "", "April 24, 2024", "2024-02-30", 20240424, [], {}])
    def test_anything_else_is_none(self, value: object) -> None:
        assert parse_iso_date(value) is None


class TestLongDate:
    @pytest.mark.parametrize(
        ("day", "text"),
        [(date(2024, 4, 24), "April 24, 2024"), (date(2024, 4, 5), "April 5, 2024")],
    )
    def test_prints_as_letters_do(self, day: date, text: str) -> None:
        assert long_date(day) == text

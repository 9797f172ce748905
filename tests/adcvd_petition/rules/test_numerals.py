from __future__ import annotations

import pytest
from adcvd_petition.rules.numerals import NumeralError, int_to_roman, is_roman, roman_to_int


class TestIntToRoman:
    @pytest.mark.parametrize(
        ("number", "numeral"),
        [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (99, "XCIX")],
    )
    def test_writes_numerals(self, number: int, numeral: str) -> None:
        assert int_to_roman(number) == numeral

    @pytest.mark.parametrize("number", [0, -3, 4000])
    def test_refuses_numbers_without_a_numeral(self, number: int) -> None:
        with pytest.raises(NumeralError) as refused:
            int_to_roman(number)
        assert str(refused.value) == f"{number} cannot be written as a Roman numeral"

    def test_the_largest_numeral_is_written(self) -> None:
        assert int_to_roman(3999) == "MMMCMXCIX"


class TestRomanToInt:
    @pytest.mark.parametrize(
        ("numeral", "number"), [("I", 1), ("iv", 4), ("IX", 9), ("XIV", 14), (" V ", 5)]
    )
    def test_reads_numerals(self, numeral: str, number: int) -> None:
        assert roman_to_int(numeral) == number

    def test_round_trips(self) -> None:
        assert all(roman_to_int(int_to_roman(n)) == n for n in range(1, 400))

    @pytest.mark.parametrize("numeral", ["", "IIII", "VX", "IC", "A", "I V", "VV"])
    def test_refuses_what_is_not_written_the_usual_way(self, numeral: str) -> None:
        with pytest.raises(NumeralError):
            roman_to_int(numeral)

    def test_is_roman(self) -> None:
        assert is_roman("XII")
        assert not is_roman("XIIII")

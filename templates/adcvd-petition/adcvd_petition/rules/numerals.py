"""Roman numerals, as volumes and exhibits are numbered (Volume IV, Exhibit IV-3)."""

from __future__ import annotations

import functools
import re

_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_LETTERS = re.compile(r"^[IVXLCDM]+$")


class NumeralError(ValueError):
    """A string that is not a Roman numeral written the usual way."""


def int_to_roman(number: int) -> str:
    """``4`` → ``"IV"``.

    Raises NumeralError for a number below 1 or above 3999, which Roman numerals do not write.
    """
    if not 1 <= number <= 3999:
        raise NumeralError(f"{number} cannot be written as a Roman numeral")
    out = []
    for value, letters in _VALUES:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


# The checks and the documents compare the same exhibit numerals hundreds of times a request.
@functools.lru_cache(maxsize=4096)
def roman_to_int(numeral: str) -> int:
    """``"IV"`` → ``4``; lower case is accepted.

    Raises NumeralError for an empty string, letters that are not numerals, or a numeral not
    written the usual way ("IIII", "VX"), since a volume called "IIII" is a typing mistake.
    """
    text = numeral.strip().upper()
    if not text or not _LETTERS.match(text):
        raise NumeralError(f"{numeral!r} is not a Roman numeral")
    total = 0
    letters = {letters: value for value, letters in _VALUES if len(letters) == 1}
    for index, letter in enumerate(text):
        value = letters[letter]
        following = letters[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    if total < 1 or int_to_roman(total) != text:
        raise NumeralError(f"{numeral!r} is not a Roman numeral written the usual way")
    return total


def is_roman(numeral: str) -> bool:
    try:
        roman_to_int(numeral)
    except NumeralError:
        return False
    return True

"""Small readers of the way letters write things: dates, telephone numbers, firm names in
capitals, lists of company names."""

from __future__ import annotations

import re
from datetime import date

from service.interview.fields import MONTHS

_DATE = re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b")
_PHONE = re.compile(
    r"^(?:(?:tel(?:ephone)?|phone|t)\s*[.:]?\s*)?(?P<number>\+?1?[ .-]?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4})$",
    re.IGNORECASE,
)


def find_date(text: str) -> date | None:
    """The first date written as "April 24, 2024" (or "Apr. 24, 2024") in the text."""
    for match in _DATE.finditer(text):
        parsed = _to_date(match)
        if parsed:
            return parsed
    return None


def whole_date(text: str) -> date | None:
    """The date when the text is nothing but a date ("April 24, 2024")."""
    match = _DATE.fullmatch(text.strip().rstrip("."))
    return _to_date(match) if match else None


def _to_date(match: re.Match[str]) -> date | None:
    month = MONTHS.get(match.group("month").lower())
    if month is None:
        return None
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def telephone(line: str) -> str | None:
    """The telephone number when the line is one ("(202) 719-7000", "Tel. 202.719.7000")."""
    match = _PHONE.match(line.strip())
    return match.group("number").strip() if match else None


def is_capitals(line: str) -> bool:
    """Whether a line is set in capitals ("WILEY REIN LLP", also "McDERMOTT WILL & EMERY LLP")."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)


# Words that stay in capitals when a firm's name is taken out of a capitals block.
_KEEP_UPPER = {
    "LLP",
    "LLC",
    "PLLC",
    "LP",
    "L.L.P.",
    "L.L.C.",
    "L.P.",
    "P.C.",
    "PC",
    "P.A.",
    "PA",
    "US",
    "U.S.",
    "USA",
    "(USA)",
    "II",
    "III",
    "IV",
    "N.A.",
    "S.A.",
    "AG",
    "NV",
    "BV",
    "PLC",
}
_KEEP_LOWER = {"and", "of", "the", "for", "at", "in", "on", "&"}


def firm_case(capitals: str) -> str:
    """ "WILEY REIN LLP" → "Wiley Rein LLP": how a firm's name reads outside a capitals block.

    Only a guess for names such as "McDERMOTT"; a spelling found elsewhere in the letter
    should be preferred (see ``prefer_spelling``).
    """
    words = capitals.split()
    out = []
    for index, word in enumerate(words):
        if word.upper() in _KEEP_UPPER:
            out.append(word.upper())
        elif index and word.lower() in _KEEP_LOWER:
            out.append(word.lower())
        else:
            out.append("-".join(_word_case(part) for part in word.split("-")))
    return " ".join(out)


def _word_case(word: str) -> str:
    # A lower-case letter inside a capitals block was typed on purpose: "McDERMOTT" keeps
    # "Mc" and goes on as "Dermott".
    last_lower = max((i for i, ch in enumerate(word) if ch.islower()), default=-1)
    head, rest = word[: last_lower + 1], word[last_lower + 1 :]
    if not head:
        return rest[:1].upper() + rest[1:].lower()
    return head + rest[:1].upper() + rest[1:].lower()


def prefer_spelling(firm: str, spellings: list[str]) -> str:
    """The firm's name as the letter spells it elsewhere when that is the same name, else
    the name as the signature block has it, taken out of capitals."""
    key = _letters(firm)
    for spelling in spellings:
        if spelling and _letters(spelling) == key:
            return spelling
    return firm_case(firm) if is_capitals(firm) else firm


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9&]", "", text.lower())


# Corporate endings that follow a comma inside one company's name ("First Solar, Inc.").
_CORPORATE_ENDING = re.compile(
    r"^(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Co|Corp|Corporation|L\.P|LP|LLP|N\.A|S\.A|"
    r"PLC|GmbH|AG|S\.A\. de C\.V|Jr|Sr)\.?$",
    re.IGNORECASE,
)
_ENDS_WITH_ABBREVIATION = re.compile(
    r"\b(?:Inc|Co|Corp|Ltd|L\.P|L\.L\.C|N\.A|S\.A|Jr|Sr)\.$", re.IGNORECASE
)


def split_names(text: str) -> list[str]:
    """ "Convalt Energy, First Solar, Inc., and Mission Solar Energy LLC." → the three names.

    A comma before a corporate ending ("Inc.", "LLC") is part of the name, not a separator.
    """
    text = text.strip()
    if text.endswith(".") and not _ENDS_WITH_ABBREVIATION.search(text):
        text = text[:-1]
    pieces = [piece.strip() for piece in re.split(r",|;", text)]
    names: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if names and _CORPORATE_ENDING.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
            continue
        names.append(re.sub(r"^and\s+", "", piece))
    if names and " and " in names[-1]:
        # "Acme LLC and Beta Corp.": the last two names joined without a comma. Only a
        # corporate ending says where the first stops ("Procter and Gamble" is one name).
        first, _, second = names[-1].rpartition(" and ")
        words = first.split()
        if words and second.strip() and _CORPORATE_ENDING.match(words[-1]):
            names[-1:] = [first.strip(), second.strip()]
    return names


def strip_esquire(name: str) -> str:
    return re.sub(r",?\s*Esq\.?$", "", name.strip()).strip()

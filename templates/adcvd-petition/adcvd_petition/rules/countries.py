"""Commerce's three-digit country codes, as they appear in case numbers (A-555-003: Cambodia).

Two tables, kept apart: codes seen in real case numbers, and codes gathered but not yet checked
against one (a finding that relies on those is a warning, not an error). Names are looked up
the way petitions write them: "the Socialist Republic of Vietnam", "Republic of Korea",
"Türkiye".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Code -> name; seen in real case numbers.
VERIFIED_CODES: dict[str, str] = {
    "122": "Canada",
    "201": "Mexico",
    "351": "Brazil",
    "357": "Argentina",
    "401": "Sweden",
    "412": "United Kingdom",
    "421": "Netherlands",
    "423": "Belgium",
    "427": "France",
    "428": "Germany",
    "469": "Spain",
    "475": "Italy",
    "484": "Greece",
    "489": "Turkey",
    "520": "United Arab Emirates",
    "523": "Oman",
    "533": "India",
    "549": "Thailand",
    "552": "Vietnam",
    "553": "Laos",
    "555": "Cambodia",
    "557": "Malaysia",
    "560": "Indonesia",
    "570": "China",
    "580": "Korea",
    "583": "Taiwan",
    "588": "Japan",
    "602": "Australia",
    "791": "South Africa",
    "821": "Russia",
    "822": "Belarus",
    "823": "Ukraine",
}

# Code -> name; gathered from public sources but not yet seen in a case number.
UNVERIFIED_CODES: dict[str, str] = {
    "274": "Trinidad and Tobago",
    "301": "Colombia",
    "331": "Ecuador",
    "337": "Chile",
    "403": "Norway",
    "405": "Finland",
    "433": "Austria",
    "441": "Switzerland",
    "455": "Poland",
    "471": "Portugal",
    "485": "Romania",
    "508": "Israel",
    "517": "Saudi Arabia",
    "525": "Bahrain",
    "535": "Pakistan",
    "559": "Singapore",
    "565": "Philippines",
    "729": "Egypt",
    "801": "Serbia",
    "834": "Kazakhstan",
    "841": "Moldova",
}


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    verified: bool


COUNTRIES: tuple[Country, ...] = tuple(
    [Country(code, name, True) for code, name in VERIFIED_CODES.items()]
    + [Country(code, name, False) for code, name in UNVERIFIED_CODES.items()]
)

_BY_CODE = {c.code: c for c in COUNTRIES}
_BY_KEY: dict[str, Country] = {}  # filled below, once _key is defined

# Forms that generic stripping of "Republic of" would get wrong or cannot reach.
# None marks a name that must not resolve to a neighbour's code.
_ALIASES: dict[str, str | None] = {
    "viet nam": "Vietnam",
    "south korea": "Korea",
    "korea south": "Korea",
    "north korea": None,
    "democratic peoples republic of korea": None,
    "dprk": None,
    "korea democratic peoples republic of": None,
    "republic of china": "Taiwan",
    "chinese taipei": "Taiwan",
    "prc": "China",
    "turkiye": "Turkey",
    "uk": "United Kingdom",
    "great britain": "United Kingdom",
    "britain": "United Kingdom",
    "united kingdom of great britain and northern ireland": "United Kingdom",
    "uae": "United Arab Emirates",
    "emirates": "United Arab Emirates",
    "holland": "Netherlands",
    "lao pdr": "Laos",
    "lao": "Laos",
    "lao peoples democratic republic": "Laos",
    "russian federation": "Russia",
    "united mexican states": "Mexico",
    "hellenic republic": "Greece",
    "argentine republic": "Argentina",
    "italian republic": "Italy",
    "french republic": "France",
    "portuguese republic": "Portugal",
    "swiss confederation": "Switzerland",
    "usa": None,
    "united states": None,
}

# "the Socialist Republic of", "Kingdom of the", "Federative Republic of", ...
_FORMAL_PREFIX = re.compile(
    r"^(?:(?:socialist|islamic|federal|federative|democratic|peoples|arab|oriental|"
    r"bolivarian|plurinational|grand)\s+)*"
    r"(?:republic|kingdom|state|sultanate|commonwealth|federation|confederation|duchy)"
    r"\s+of\s+(?:the\s+)?"
)
# The index form of the same: "Korea, Republic of".
_FORMAL_SUFFIX = re.compile(
    r"\s+(?:(?:socialist|islamic|federal|federative|democratic|peoples|arab)\s+)*"
    r"(?:republic|kingdom|state|sultanate|commonwealth|federation|confederation)\s+of(?:\s+the)?$"
)


# Names are few and the checks ask about each many times per set of answers: remembered.
@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    # Diacritics, case, punctuation and a leading "the" never change which country is meant.
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ").replace("\u2019", "").replace("'", "")
    plain = re.sub(r"[^a-z0-9 ]+", " ", plain)
    plain = re.sub(r"\s+", " ", plain).strip()
    return re.sub(r"^the\s+", "", plain)


for _country in COUNTRIES:
    _BY_KEY[_key(_country.name)] = _country


def lookup(name: str) -> Country | None:
    """The country a petition's name for it means, or None when the table does not know it.

    "the Socialist Republic of Vietnam", "Viet Nam" → Vietnam (552); "Korea", "Republic of
    Korea" → Korea (580); "Türkiye", "Turkey" → Turkey (489). Names that would otherwise be
    read as a neighbour ("Republic of China" is Taiwan; North Korea is not Korea) are handled
    explicitly. Never raises; an empty or unknown name gives None.
    """
    if not isinstance(name, str):
        return None
    return _lookup(name)


@functools.lru_cache(maxsize=4096)
def _lookup(name: str) -> Country | None:
    key = _key(name)
    if not key:
        return None
    for candidate in (key, _FORMAL_PREFIX.sub("", key), _FORMAL_SUFFIX.sub("", key)):
        if candidate in _ALIASES:
            alias = _ALIASES[candidate]
            return _BY_KEY[_key(alias)] if alias else None
        if candidate in _BY_KEY:
            return _BY_KEY[candidate]
    return None


def country_code(name: str) -> str | None:
    """The three-digit code of a country's name, or None when it is not known."""
    country = lookup(name)
    return country.code if country else None


def by_code(code: str) -> Country | None:
    """The country of a three-digit code, or None when the table does not have the code."""
    return _BY_CODE.get(code)


def same_country(first: str, second: str) -> bool:
    """Whether two names mean one country: "Vietnam" and "the Socialist Republic of Vietnam".

    Names the table knows are compared by code; others by their text, ignoring case,
    punctuation and a leading "the". An empty name is never the same as anything.
    """
    if not isinstance(first, str) or not isinstance(second, str):
        return False
    one, other = lookup(first), lookup(second)
    if one is not None and other is not None:
        return one.code == other.code
    return bool(_key(first)) and _key(first) == _key(second)

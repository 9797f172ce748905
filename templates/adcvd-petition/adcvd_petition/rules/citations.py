"""Citations of business proprietary information, as lawyers write them.

A citation names pages of a volume, its Exhibit List, and exhibits:
"Pages 3, 4, 6-9, Exhibit List, and Exhibits I-3, I-4". Pages are ints; exhibits are strings
of the volume's numeral, a hyphen and the exhibit's number ("I-3").

Parsing is forgiving about how a person types ("p. 3", "Pages 3 and 4", "6–9", "I-3 to I-5");
printing is strict and reproduces the 2024 cover letter character for character.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adcvd_petition.rules.numerals import NumeralError, roman_to_int

# The answers schema allows pages up to 100000 and exhibit numbers of four digits; holding
# parsing to the same bounds keeps "1-99999999" from building a list of a hundred million.
MAX_PAGE = 100_000
MAX_EXHIBIT = 9_999
# As many pages and exhibits as one list of the answers schema holds. A list is counted before
# its ranges are expanded, so 400 ranges of "1-100000" cost a count, not forty million ints.
MAX_LIST_PAGES = 5_000
MAX_LIST_EXHIBITS = 2_000


class CitationError(ValueError):
    """Text that cannot be read as pages or exhibits; the message is for the person who typed it."""


@dataclass(frozen=True)
class Citation:
    """Pages, Exhibit List and exhibits of one volume; kept sorted and without repeats."""

    pages: tuple[int, ...] = ()
    exhibit_list: bool = False
    exhibits: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Sorting here makes two citations of the same things equal however they were built.
        object.__setattr__(self, "pages", tuple(sorted(set(self.pages))))
        object.__setattr__(self, "exhibit_list", bool(self.exhibit_list))
        object.__setattr__(self, "exhibits", tuple(sort_exhibits(self.exhibits)))

    @property
    def is_empty(self) -> bool:
        return not self.pages and not self.exhibit_list and not self.exhibits

    def covers(self, other: Citation) -> bool:
        """Whether everything ``other`` cites is cited here too."""
        return (
            set(other.pages) <= set(self.pages)
            and (self.exhibit_list or not other.exhibit_list)
            and set(other.exhibits) <= set(self.exhibits)
        )


# --- parsing -------------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212]")
_RANGE_JOIN = re.compile(r"\s*-\s*|\s+(?:to|through|thru)\s+", re.IGNORECASE)
_TOKEN = re.compile(
    r"""
      (?P<list>(?:the\s+)?exhibit\s+list\b)
    | (?P<exhibit_word>(?:exhibits?|exhs?\.?|exs?\.)(?![a-z]))
    | (?P<page_word>(?:pages?|pp\.?|pgs?\.?|p\.?)(?![a-z]))
    | (?P<exhibit>[IVXLC]+-\d+(?:-(?:[IVXLC]+-)?\d+)?)(?![-\w])
    | (?P<number>\d+(?:-\d+)?)(?![-\w])
    | (?P<separator>,|;|&|:|\band\b)
    | (?P<space>\s+)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_EXHIBIT = re.compile(r"^([IVXLC]+)-(\d+)$", re.IGNORECASE)
_EXHIBIT_RANGE = re.compile(r"^([IVXLC]+)-(\d+)-(?:([IVXLC]+)-)?(\d+)$", re.IGNORECASE)


def parse_pages(text: str) -> list[int]:
    """Pages of a citation: ``"3, 4, 6-9"`` → ``[3, 4, 6, 7, 8, 9]``, sorted, without repeats.

    Accepts "Pages 3 and 4", "p. 3", "pp. 6 - 9", en dashes and "6 to 9". Empty text gives [].

    Raises CitationError for:
    - a range that runs backwards ("'6-2' is a range that runs backwards");
    - page 0, or a page beyond 100000;
    - an exhibit or "Exhibit List" where pages were asked for;
    - anything else that is not a page number.
    """
    citation = _parse(text, numeral=None, wanted="pages")
    return list(citation.pages)


def parse_exhibits(text: str, numeral: str | None = None) -> list[str]:
    """Exhibits of a citation: ``"I-3, I-4, Exhibits I-7"`` → ``["I-3", "I-4", "I-7"]``.

    With ``numeral`` given, bare numbers belong to that volume: ``"3, 4"`` with ``"I"`` →
    ``["I-3", "I-4"]``. Ranges "I-3 to I-5", "I-3-I-5" and "I-3-5" are expanded. The result
    is sorted by exhibit number, without repeats; numbers lose leading zeros ("I-03" → "I-3").
    An exhibit of another volume is kept as typed: whether it belongs is a check, not a parse.

    Raises CitationError for:
    - a bare number when no numeral is given;
    - a numeral that is not a Roman numeral, or a range whose ends are in different volumes;
    - a range that runs backwards, exhibit 0, or an exhibit number above 9999;
    - pages, "Exhibit List", or anything else that is not an exhibit.
    """
    citation = _parse(text, numeral=numeral, wanted="exhibits")
    return list(citation.exhibits)


def parse_citation(text: str, numeral: str | None = None) -> Citation:
    """A whole citation: ``"Page 23, and Exhibits II-1, II-18"``.

    Numbers before any "Exhibit" are pages; after "Exhibit(s)" a bare number is an exhibit of
    ``numeral``. "Exhibit List" sets the flag. Empty text gives an empty citation.

    Raises CitationError for everything parse_pages and parse_exhibits refuse.
    """
    return _parse(text, numeral=numeral, wanted="citation")


def _parse(text: str, numeral: str | None, wanted: str) -> Citation:
    normalized = _RANGE_JOIN.sub("-", _DASHES.sub("-", text or "")).strip()
    volume = _checked_numeral(numeral) if numeral else None
    pages: list[int] = []
    exhibits: list[str] = []
    exhibit_list = False
    # Bare numbers are pages until the word "Exhibit" is seen (in parse_exhibits, always exhibits).
    in_exhibits = wanted == "exhibits"
    position = 0
    budget = _ListBudget()
    while position < len(normalized):
        match = _TOKEN.match(normalized, position)
        if match is None or match.end() == position:
            raise CitationError(f"{_bad_chunk(normalized, position)!r} is not a page or an exhibit")
        position = match.end()
        kind = match.lastgroup
        token = match.group()
        if kind in ("space", "separator"):
            continue
        if kind == "list":
            if wanted != "citation":
                raise CitationError(_not_wanted("the Exhibit List", wanted))
            exhibit_list = True
        elif kind == "exhibit_word":
            if wanted == "pages":
                raise CitationError(_not_wanted("an exhibit", wanted))
            in_exhibits = True
        elif kind == "page_word":
            if wanted == "exhibits":
                raise CitationError(_not_wanted("pages", wanted))
            in_exhibits = False
        elif kind == "exhibit":
            if wanted == "pages":
                raise CitationError(f"{token!r} is an exhibit, not a page")
            exhibits.extend(_exhibit_range(token, budget))
        elif in_exhibits:
            if volume is None:
                raise CitationError(
                    f"{token!r} has no volume numeral; write the exhibit as, for example, I-{token}"
                )
            exhibits.extend(_exhibit_range(f"{volume}-{token}", budget))
        else:
            pages.extend(_page_range(token, budget))
    return Citation(tuple(pages), exhibit_list, tuple(exhibits))


def _bad_chunk(text: str, position: int) -> str:
    rest = text[position:]
    return re.split(r"[,;\s]", rest, maxsplit=1)[0] or rest


def _not_wanted(what: str, wanted: str) -> str:
    return f"{what} cannot be given here, only {wanted}"


class _ListBudget:
    """Counts what a list names before any range of it is expanded."""

    def __init__(self) -> None:
        self.pages = 0
        self.exhibits = 0

    def take_pages(self, count: int) -> None:
        self.pages += count
        if self.pages > MAX_LIST_PAGES:
            raise CitationError(
                f"the list names more than {MAX_LIST_PAGES:,} pages; cite at most "
                f"{MAX_LIST_PAGES:,} pages in one list"
            )

    def take_exhibits(self, count: int) -> None:
        self.exhibits += count
        if self.exhibits > MAX_LIST_EXHIBITS:
            raise CitationError(
                f"the list names more than {MAX_LIST_EXHIBITS:,} exhibits; cite at most "
                f"{MAX_LIST_EXHIBITS:,} exhibits in one list"
            )


def _page_range(token: str, budget: _ListBudget) -> range:
    first, _, last = token.partition("-")
    start = _page(first, token)
    end = _page(last, token) if last else start
    if end < start:
        raise CitationError(f"{token!r} is a range that runs backwards")
    budget.take_pages(end - start + 1)
    return range(start, end + 1)


def _page(digits: str, token: str) -> int:
    number = int(digits)
    if number < 1:
        raise CitationError(f"{token!r}: pages are numbered from 1")
    if number > MAX_PAGE:
        raise CitationError(f"{token!r}: no petition has more than {MAX_PAGE} pages")
    return number


def _exhibit_range(token: str, budget: _ListBudget) -> list[str]:
    single = _EXHIBIT.match(token)
    if single:
        numeral = _checked_numeral(single.group(1))
        budget.take_exhibits(1)
        return [f"{numeral}-{_exhibit_number(single.group(2), token)}"]
    ranged = _EXHIBIT_RANGE.match(token)
    if ranged is None:
        raise CitationError(f"{token!r} is not an exhibit such as I-3")
    numeral = _checked_numeral(ranged.group(1))
    last_numeral = _checked_numeral(ranged.group(3)) if ranged.group(3) else numeral
    if last_numeral != numeral:
        raise CitationError(f"{token!r} is a range that runs from one volume into another")
    start = _exhibit_number(ranged.group(2), token)
    end = _exhibit_number(ranged.group(4), token)
    if end < start:
        raise CitationError(f"{token!r} is a range that runs backwards")
    budget.take_exhibits(end - start + 1)
    return [f"{numeral}-{n}" for n in range(start, end + 1)]


def _exhibit_number(digits: str, token: str) -> int:
    number = int(digits)
    if number < 1:
        raise CitationError(f"{token!r}: exhibits are numbered from 1")
    if number > MAX_EXHIBIT:
        raise CitationError(f"{token!r}: exhibit numbers have at most four digits")
    return number


def _checked_numeral(numeral: str) -> str:
    try:
        roman_to_int(numeral)
    except NumeralError as error:
        raise CitationError(str(error)) from None
    return numeral.strip().upper()


# --- ordering ------------------------------------------------------------------------------


# Sorting the exhibits of every volume asks for the same few keys again and again.
@functools.lru_cache(maxsize=4096)
def exhibit_sort_key(exhibit: str) -> tuple[int, int, str]:
    """Volume, then exhibit number: I-3 < I-25 < II-1. Malformed strings sort last, as typed."""
    match = _EXHIBIT.match(exhibit.strip())
    if match:
        try:
            return (roman_to_int(match.group(1)), int(match.group(2)), "")
        except NumeralError:
            pass
    return (10**9, 0, exhibit)


def sort_exhibits(exhibits: Iterable[str]) -> list[str]:
    return sorted(set(exhibits), key=exhibit_sort_key)


# --- printing ------------------------------------------------------------------------------


def format_pages(pages: Iterable[int]) -> str:
    """``[3, 4, 6, 7, 8, 9]`` → ``"3, 4, 6-9"``.

    Ascending, without repeats. A run of three or more consecutive pages is printed as a
    range; a run of two stays listed ("6, 7"), as in every list of the 2024 letter.
    """
    ordered = sorted(set(pages))
    parts: list[str] = []
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - index >= 2:
            parts.append(f"{ordered[index]}-{ordered[end]}")
        else:
            parts.extend(str(page) for page in ordered[index : end + 1])
        index = end + 1
    return ", ".join(parts)


def format_citation(citation: Citation) -> str:
    """The citation as the letter prints it.

    "Page 23" or "Pages 1, 3"; "Exhibit List"; "Exhibit I-33" or "Exhibits I-25, I-33".
    Two or more parts are joined with ", and" before the last one, even when there are only
    two ("Pages 43, 44, and Exhibits I-24, I-33"), because the letter always does so.
    An empty citation prints as "".
    """
    parts: list[str] = []
    if citation.pages:
        word = "Page" if len(citation.pages) == 1 else "Pages"
        parts.append(f"{word} {format_pages(citation.pages)}")
    if citation.exhibit_list:
        parts.append("Exhibit List")
    if citation.exhibits:
        word = "Exhibit" if len(citation.exhibits) == 1 else "Exhibits"
        parts.append(f"{word} {', '.join(sort_exhibits(citation.exhibits))}")
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])}, and {parts[-1]}"


# --- summaries -----------------------------------------------------------------------------


def union(citations: Iterable[Citation]) -> Citation:
    """Everything any of the citations cites: the per-volume summary of the letter's header."""
    pages: set[int] = set()
    exhibits: set[str] = set()
    exhibit_list = False
    for citation in citations:
        pages.update(citation.pages)
        exhibits.update(citation.exhibits)
        exhibit_list = exhibit_list or citation.exhibit_list
    return Citation(tuple(pages), exhibit_list, tuple(exhibits))


def item_citation(item: Mapping[str, Any]) -> Citation:
    """The citation of one ``bpi_items`` answer ({paragraph, pages, exhibit_list, exhibits}).

    Missing, null or mistyped keys count as citing nothing, since answers arrive over many
    sittings and rules run before the schema has passed every value.
    """
    pages = item.get("pages")
    exhibits = item.get("exhibits")
    pages = pages if isinstance(pages, (list, tuple)) else ()
    exhibits = exhibits if isinstance(exhibits, (list, tuple)) else ()
    return Citation(
        tuple(p for p in pages if isinstance(p, int) and not isinstance(p, bool)),
        item.get("exhibit_list") is True,
        tuple(e for e in exhibits if isinstance(e, str)),
    )


def summarize_volume(items: Iterable[Mapping[str, Any]]) -> Citation:
    """The header summary of one volume: the union of its BPI items' citations."""
    return union(item_citation(item) for item in items if isinstance(item, Mapping))

"""The first page above the "Re:" line: date, addressees and the header block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from adcvd_petition.importing.citing import read_citation
from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.layout import Letter
from adcvd_petition.importing.wording import whole_date
from adcvd_petition.rules.citations import Citation, CitationError
from adcvd_petition.rules.officeholders import surname

CASE_NUMBER = re.compile(r"\b(?P<kind>[AC])-(?P<code>\d{3})-(?P<serial>\d{3})\b")
_ITC_CVD = re.compile(r"\b701-TA-(?P<number>_{2,}|\d{3}(?:-\d{3})?)(?!\d)")
_ITC_AD = re.compile(r"\b731-TA-(?P<number>_{2,}|\d{4}(?:-\d{4})?)(?!\d)")
_TOTAL_PAGES = re.compile(r"^Total Pages\s*:\s*(?P<pages>\d{1,6})\b", re.IGNORECASE)
_PUBLIC = re.compile(r"^PUBLIC VERSION$", re.IGNORECASE)
_PROPRIETARY = re.compile(
    r"^(?:BUSINESS PROPRIETARY (?:DOCUMENT|VERSION)|PROPRIETARY VERSION|BPI VERSION)\b",
    re.IGNORECASE,
)
_HONORABLE = re.compile(r"^(?:The\s+)?Honorable\s+(?P<name>\S.*?)\s*,?$", re.IGNORECASE)
_SUMMARY_START = re.compile(r"^Volume\s+(?P<numeral>[IVXLC]+)\s*:\s*(?P<rest>.*)$")
# A wrapped summary goes on with more pages, "List, and Exhibits ...", or exhibits.
_SUMMARY_GOES_ON = re.compile(
    r"^(?:and\s+)?(?:Pages?\b|Exhibits?\b|List\b|\d|[IVXLC]+-\d)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Summary:
    """One volume's line of the header summary of BPI removed."""

    numeral: str
    text: str
    citation: Citation | None
    error: str | None = None


def read_heading(letter: Letter, found: Findings) -> dict[str, Summary]:
    """Record the filing, addressees, ITC numbers; return the header summary by numeral."""
    heading = [line for line in letter.heading if line]
    _filing_date(heading, found)
    _addressees(heading, letter.body, found)
    _itc_numbers(heading, found)
    _total_pages(heading, found)
    _version([*heading, *letter.page_header_lines], found)
    return _summaries(heading)


def case_numbers(letter: Letter) -> list[re.Match[str]]:
    """The Commerce case numbers of the header block, in the order written."""
    return list(CASE_NUMBER.finditer(" ".join(letter.heading)))


def _filing_date(heading: list[str], found: Findings) -> None:
    for line in heading:
        day = whole_date(line)
        if day:
            found.put("filing.date", day.isoformat())
            return
    found.missing("filing.date", "no date line at the top of the letter")


def _addressees(heading: list[str], body: tuple[str, ...], found: Findings) -> None:
    for index, line in enumerate(heading):
        match = _HONORABLE.match(line)
        if not match:
            continue
        following = " ".join(heading[index + 1 : index + 4]).lower()
        office = heading[index + 1].lower() if index + 1 < len(heading) else ""
        # "Secretary" may carry "Acting"; the agency is named on one of the next lines.
        if "secretary of commerce" in office or (
            "secretary" in office and "department of commerce" in following
        ):
            found.put("addressees.commerce_secretary", match.group("name"))
        elif "secretary" in office and "international trade commission" in following:
            found.put("addressees.itc_secretary", match.group("name"))
    if found.get("addressees.commerce_secretary") is None:
        found.missing(
            "addressees.commerce_secretary",
            'no "The Honorable ..." followed by "Secretary of Commerce" in the address block',
        )
    if found.get("addressees.itc_secretary") is None:
        found.missing(
            "addressees.itc_secretary",
            'no "The Honorable ..." followed by "Secretary" of the U.S. International Trade '
            "Commission in the address block",
        )
    _salutation(body, found)


def _salutation(body: tuple[str, ...], found: Findings) -> None:
    """The salutation names the secretaries again; a surname that differs is a slip."""
    line = next((line for line in body if line.startswith("Dear ")), None)
    if line is None:
        return
    for path in ("addressees.commerce_secretary", "addressees.itc_secretary"):
        name = found.get(path)
        if name and f"Secretary {surname(name)}" not in line:
            found.note(
                path,
                f'The address block names {name}, but the salutation "{line}" does not.',
                code="letter.salutation_mismatch",
                severity="warning",
            )


def _itc_numbers(heading: list[str], found: Findings) -> None:
    text = " ".join(heading)
    for path, pattern, prefix, word in (
        ("itc.cvd_numbers", _ITC_CVD, "701-TA-", "countervailing duty (701-TA-)"),
        ("itc.ad_numbers", _ITC_AD, "731-TA-", "antidumping (731-TA-)"),
    ):
        match = pattern.search(text)
        if match:
            number = match.group("number")
            found.put(path, prefix + ("__" if number.startswith("_") else number))
        else:
            found.missing(path, f"no USITC {word} investigation number in the header block")


def _total_pages(heading: list[str], found: Findings) -> None:
    for line in heading:
        match = _TOTAL_PAGES.match(line)
        if match and 1 <= int(match.group("pages")) <= 100000:
            found.put("filing.total_pages", int(match.group("pages")))
            return
    found.missing("filing.total_pages", 'no "Total Pages: N" line in the header block')


def _version(lines: list[str], found: Findings) -> None:
    public = any(_PUBLIC.match(line) for line in lines)
    proprietary = any(_PROPRIETARY.match(line) for line in lines)
    if public and proprietary:
        found.note(
            "filing.version",
            'The letter is marked both "PUBLIC VERSION" and business proprietary.',
            code="letter.version_conflict",
        )
    elif public:
        found.put("filing.version", "public")
    elif proprietary:
        found.put("filing.version", "bpi")
    else:
        found.missing(
            "filing.version",
            'no "PUBLIC VERSION" or "Business Proprietary Document" marking in the header block',
        )


def _summaries(heading: list[str]) -> dict[str, Summary]:
    summaries: dict[str, Summary] = {}
    index = 0
    while index < len(heading):
        match = _SUMMARY_START.match(heading[index])
        index += 1
        if not match:
            continue
        parts = [match.group("rest")]
        while index < len(heading) and _SUMMARY_GOES_ON.match(heading[index]):
            parts.append(heading[index])
            index += 1
        numeral = match.group("numeral")
        text = " ".join(parts).strip().rstrip(".")
        try:
            summary = Summary(numeral, text, read_citation(text, numeral))
        except CitationError as error:
            summary = Summary(numeral, text, None, str(error))
        summaries.setdefault(numeral, summary)
    return summaries

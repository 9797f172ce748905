"""The certifications attached to the letter: one per company, the representative's, and
the certification of counsel for the Commission."""

from __future__ import annotations

import re

from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.heading import CASE_NUMBER
from adcvd_petition.importing.layout import Letter
from adcvd_petition.importing.wording import find_date, whole_date

_COMPANY = re.compile(
    r"^I,\s+(?P<name>[^,]{1,200}?),\s+(?:currently\s+)?employed\s+"
    r"(?P<rest>(?:as|by)\s+[^\n]{1,500}?),?\s+certify\b"
)
_REPRESENTS = re.compile(
    r"^(?P<employed>.{1,500}?),?\s+and representing\s+(?P<represents>.{1,200})$"
)
_BY = re.compile(r",?\s+\b(?:by|with|at)\s+")
_OF = re.compile(r",?\s+of\s+")
_BY_AS = re.compile(r"^by\s+(?P<company>.{1,200}?),?\s+as\s+(?P<title>.{1,300})$")
_INFORMATION_OF = re.compile(
    r"business proprietary information of\s+(?P<companies>.{1,500}?)\s+contained in\b"
)
_DATE_LINE = re.compile(r"^Dated?\s*:\s*(?P<date>.+)$", re.IGNORECASE)
# An e-signature stamp: "Hari Achuthan (Apr 15, 2024 11:58 EDT)".
_STAMP = re.compile(r"\((?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s+\d{1,2}:\d{2}")
_REPRESENTATIVE = re.compile(
    r"^I,\s+(?P<name>[^,]{1,200}?),\s+(?:with|of)\s+(?P<firm>[^,]{1,200}?),\s+"
    r"(?:counsel|attorneys?|representatives?)\s+(?:to|for)\s+(?P<client>.{1,300}?),\s+certify\b"
)
_CAPACITY = re.compile(r"\bIn my capacity as\b(?P<capacity>[^,.]*)[,.]", re.IGNORECASE)
_CAPACITIES = {
    "counsel": "counsel",
    "adviser": "adviser",
    "advisor": "adviser",
    "preparer": "preparer",
    "reviewer": "reviewer",
}
_COUNSEL = re.compile(
    r"\bI,\s+(?P<name>[^,]{1,200}?),\s+(?:of|with)\s+(?P<firm>[^,]{1,200}?),\s+(?:hereby\s+)?certify\b"
)
_SUBMISSION_DATED = re.compile(r"\),\s+dated\s+(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})")


def read_certifications(letter: Letter, found: Findings) -> list[str]:
    """Record the certifications; return the firm names they spell, for the signature block."""
    _company_certifications(letter, found)
    firms = []
    firms += _representative(letter, found)
    firms += _counsel(letter, found)
    return firms


def _company_certifications(letter: Letter, found: Findings) -> None:
    if not letter.company_certifications:
        found.missing("company_certifications", 'no "COMPANY CERTIFICATION" after the letter')
        return
    certifications = []
    for index, section in enumerate(letter.company_certifications):
        here = f"company_certifications[{index}]"
        entry: dict[str, str] = {}
        statement = next((line for line in section if line.startswith("I, ")), "")
        match = _COMPANY.match(statement)
        if match:
            entry["name"] = match["name"].strip()
            entry.update(_employment(match["rest"], statement))
        else:
            found.missing(
                f"{here}.name",
                'no "I, <name>, currently employed as <title> by <company>, certify" sentence',
            )
        for key, words in (("title", "title"), ("company", "employer")):
            if match and key not in entry:
                found.missing(
                    f"{here}.{key}",
                    f"the certification of {entry['name']} gives no {words} that can be told apart",
                )
        day = _dated(section)
        if day:
            entry["date"] = day
            _check_stamp(here, section, entry, found)
        else:
            found.missing(f"{here}.date", 'no "Date:" line in the certification')
        _check_submission(here, statement, letter, found)
        certifications.append(entry)
    found.put("company_certifications", certifications)


def _employment(rest: str, statement: str) -> dict[str, str]:
    """ "Vice President and General Counsel of Hanwha Q CELLS America, Inc. and representing
    Hanwha Q CELLS USA, Inc." → title, company and the company represented.

    The employer is told apart from the title by "by" (or "with", "at"), else by "of". When
    the certification later names whose information it vouches for, that name settles where
    the title ends.
    """
    out: dict[str, str] = {}
    employed = rest.strip()
    if match := _REPRESENTS.match(employed):
        employed, out["represents"] = match["employed"].strip(), match["represents"].strip()
    if match := _BY_AS.match(employed):
        # "employed by Acme Corp. as Chief Financial Officer"
        title, company = match["title"], match["company"]
    else:
        employed = re.sub(r"^as\s+", "", employed)
        companies = _INFORMATION_OF.search(statement)
        named = companies["companies"] if companies else ""
        by, of = list(_BY.finditer(employed)), list(_OF.finditer(employed))
        # The split whose company is the first one the certification vouches for, else the
        # last "by" ("Founder, President, and CEO, by Convalt Energy"), else the first "of".
        chosen = next(
            (
                split
                for split in by + of
                if employed[split.end() :].strip()
                and named.startswith(employed[split.end() :].strip())
            ),
            by[-1] if by else (of[0] if of else None),
        )
        if chosen is None:
            return out
        title, company = employed[: chosen.start()], employed[chosen.end() :]
    title, company = title.strip().rstrip(","), company.strip().rstrip(",")
    if title:
        out["title"] = title
    if company:
        out["company"] = company
    return out


def _dated(section: tuple[str, ...]) -> str | None:
    for line in section:
        if match := _DATE_LINE.match(line):
            day = whole_date(match["date"])
            return day.isoformat() if day else None
    return None


def _check_stamp(
    here: str, section: tuple[str, ...], entry: dict[str, str], found: Findings
) -> None:
    for line in section:
        stamp = _STAMP.search(line)
        if not stamp:
            continue
        signed = find_date(stamp["date"])
        if signed and signed.isoformat() != entry["date"]:
            found.note(
                f"{here}.date",
                f"The electronic signature of {entry.get('name', 'the certifier')} is stamped "
                f"{stamp['date']}, but the certification is dated {_spoken(entry['date'])}.",
                code="certification.signed_on_other_date",
                severity="warning",
            )
        return


def _spoken(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return f"{months[month - 1]} {day}, {year}"


def _check_submission(here: str, statement: str, letter: Letter, found: Findings) -> None:
    """A certification repeats the case numbers and date of the letter; they must agree."""
    numbers = [m.group(0) for m in CASE_NUMBER.finditer(statement)]
    header = [m.group(0) for m in CASE_NUMBER.finditer(" ".join(letter.heading))]
    if numbers and header and set(numbers) != set(header):
        found.note(
            here,
            f"The certification cites case numbers {', '.join(numbers)}, but the letter's "
            f"header gives {', '.join(header)}.",
            code="certification.case_numbers",
            severity="warning",
        )
    dated = _SUBMISSION_DATED.search(statement)
    filed = found.get("filing.date")
    if dated and filed:
        day = find_date(dated["date"])
        if day and day.isoformat() != filed:
            found.note(
                here,
                f"The certification describes the submission as dated {dated['date']}, but the "
                f"letter is dated {_spoken(filed)}.",
                code="certification.submission_date",
                severity="warning",
            )


def _representative(letter: Letter, found: Findings) -> list[str]:
    section = letter.representative_certification
    if section is None:
        found.missing(
            "representative_certification", 'no "REPRESENTATIVE CERTIFICATION" after the letter'
        )
        return []
    here = "representative_certification"
    statement = next((line for line in section if line.startswith("I, ")), "")
    firms = []
    if match := _REPRESENTATIVE.match(statement):
        found.put(f"{here}.name", match["name"].strip())
        found.put(f"{here}.firm", match["firm"].strip())
        firms.append(match["firm"].strip())
        petitioners = [p.get("name") for p in found.get("petitioners") or []]
        if petitioners and match["client"].strip() not in petitioners:
            found.note(
                here,
                f"The representative certifies as counsel to {match['client'].strip()}, which is "
                "not the petitioner the letter names.",
                code="certification.client",
                severity="warning",
            )
    else:
        found.missing(
            f"{here}.name", 'no "I, <name>, with <firm>, counsel to <petitioner>, certify" sentence'
        )
    capacity = _CAPACITY.search(statement)
    if capacity is None:
        found.missing(f"{here}.capacity", 'no "In my capacity as ..., I certify" sentence')
    else:
        # "In my capacity as ____," is as blank as "In my capacity as,".
        stated = capacity["capacity"].replace("_", " ").strip()
        words = re.sub(r"^(?:an?|the)\s+", "", stated, flags=re.IGNORECASE).lower()
        first = words.split()[0] if words else ""
        written = f"{capacity.group(0).rstrip(',.')}, I certify"
        if not words:
            found.note(
                f"{here}.capacity",
                f'The representative certification reads "{written}": the capacity (counsel, '
                "adviser, preparer or reviewer) is blank.",
                code="certification.capacity_blank",
            )
        elif first in _CAPACITIES:
            found.put(f"{here}.capacity", _CAPACITIES[first])
        else:
            found.note(
                f"{here}.capacity",
                f'The representative certifies "in my capacity as {stated}", which is not one of '
                "counsel, adviser, preparer or reviewer (19 C.F.R. § 351.303(g)(2)).",
                code="certification.capacity_unknown",
            )
    _date(here, section, found)
    _check_submission(here, statement, letter, found)
    return firms


def _counsel(letter: Letter, found: Findings) -> list[str]:
    section = letter.counsel_certification
    if section is None:
        found.missing("counsel_certification", 'no "CERTIFICATION OF COUNSEL" after the letter')
        return []
    here = "counsel_certification"
    firms = []
    for line in section:
        if match := _COUNSEL.search(line):
            found.put(f"{here}.name", match["name"].strip())
            found.put(f"{here}.firm", match["firm"].strip())
            firms.append(match["firm"].strip())
            break
    else:
        found.missing(f"{here}.name", 'no "I, <name>, of <firm>, hereby certify" sentence')
    _date(here, section, found)
    return firms


def _date(here: str, section: tuple[str, ...], found: Findings) -> None:
    day = _dated(section)
    if day:
        found.put(f"{here}.date", day)
    else:
        found.missing(f"{here}.date", 'no "Date:" line in the certification')

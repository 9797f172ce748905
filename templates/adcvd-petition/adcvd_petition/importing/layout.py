"""The parts of a cover letter, found by the words that open them.

A letter is read as lines (a paragraph of a .docx is a line; a soft line break starts a new
one). The parts come in a fixed order — heading up to the "Re:" line, the letter body, the
signature block, the economic consultants, then the certifications — and each is found by
its opening words, so a part that is missing leaves the others readable.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from adcvd_petition.importing.source import Source

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_LINE = re.compile(rf"^[{_SUPERSCRIPTS}]+\s*(?P<text>\S.*)$")
_SUPERSCRIPT_RUN = re.compile(rf"[{_SUPERSCRIPTS}]+")
# Light markdown (*italic*, **bold**, "- " bullets) is how the reference text shows Word's
# formatting; none of it is part of what the letter says.
_EMPHASIS = re.compile(r"\*+")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u202f]+")
_ENDS_SENTENCE = re.compile(r"[.:;?!”\")]$")

_RE_LINE = re.compile(r"^Re\s*:", re.IGNORECASE)
_SALUTATION = re.compile(r"^Dear\b")
_CLOSING = re.compile(
    r"^(?:Respectfully submitted|Respectfully yours|Respectfully|Sincerely(?: yours)?|"
    r"Very truly yours)\s*,?$",
    re.IGNORECASE,
)
_RE_LINE_WRAPS = 5
_CONSULTANTS = re.compile(r"^ECONOMIC CONSULTANTS?\s*:?$", re.IGNORECASE)
_COMPANY_CERTIFICATION = re.compile(r"^COMPANY CERTIFICATION$", re.IGNORECASE)
_REPRESENTATIVE_CERTIFICATION = re.compile(r"^REPRESENTATIVE CERTIFICATION$", re.IGNORECASE)
_COUNSEL_CERTIFICATION = re.compile(r"^CERTIFICATION OF COUNSEL$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Letter:
    """The letter split into its parts. A part that was not found is empty; ``None`` for
    the "Re:" line."""

    heading: tuple[str, ...]  # from the top to the line before "Re:"
    re_line: str | None
    body: tuple[str, ...]  # after the "Re:" line up to the closing
    signature: tuple[str, ...]  # after "Respectfully submitted," up to the consultants
    consultants: tuple[str, ...]  # after "ECONOMIC CONSULTANTS:"
    company_certifications: tuple[tuple[str, ...], ...]
    representative_certification: tuple[str, ...] | None
    counsel_certification: tuple[str, ...] | None
    footnotes: tuple[str, ...]
    page_header_lines: tuple[str, ...] = ()
    has_closing: bool = False


# Word's non-breaking and typographic hyphens ("A‑555‑003") are hyphens to a reader; the
# characters of no width that hold words together (the word joiner this service puts in
# "1677(9)(C)", Word's no-width non-break, a byte-order mark pasted in) are nothing to one.
_HYPHENS = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-"}
    | dict.fromkeys(("\u200b", "\u200d", "\u2060", "\ufeff"))
)


def clean(line: str) -> str:
    return _SPACES.sub(" ", _EMPHASIS.sub("", line)).translate(_HYPHENS).strip()


def split_letter(source: Source) -> Letter:
    lines, pulled = _pull_footnotes([clean(line) for line in source.lines])
    footnotes = tuple(clean(note) for note in source.footnotes if note.strip()) + pulled
    lines = [_SUPERSCRIPT_RUN.sub("", line).rstrip() for line in lines]

    re_at = _first(lines, _RE_LINE.match)
    closing_at = _first(lines, _CLOSING.match, start=re_at or 0)
    consultants_at = _first(lines, _CONSULTANTS.match, start=closing_at or re_at or 0)
    certification_starts = [
        i
        for i, line in enumerate(lines)
        if _COMPANY_CERTIFICATION.match(line)
        or _REPRESENTATIVE_CERTIFICATION.match(line)
        or _COUNSEL_CERTIFICATION.match(line)
    ]
    first_certification = certification_starts[0] if certification_starts else len(lines)

    heading_end = (
        re_at
        if re_at is not None
        else min(
            x
            for x in (_first(lines, _SALUTATION.match), closing_at, first_certification, len(lines))
            if x is not None
        )
    )
    heading = tuple(lines[:heading_end])

    re_line = None
    body_start = heading_end
    if re_at is not None:
        re_lines = [lines[re_at]]
        # A "Re:" line may wrap; it runs to the blank line or the salutation.
        for line in lines[re_at + 1 : re_at + 1 + _RE_LINE_WRAPS]:
            if not line or _SALUTATION.match(line):
                break
            re_lines.append(line)
        re_line = " ".join(re_lines)
        body_start = re_at + len(re_lines)

    body_end = min(x for x in (closing_at, consultants_at, first_certification) if x is not None)
    body = tuple(lines[body_start:body_end])

    signature: tuple[str, ...] = ()
    if closing_at is not None:
        end = consultants_at if consultants_at is not None else first_certification
        signature = tuple(lines[closing_at + 1 : end])
    consultants: tuple[str, ...] = ()
    if consultants_at is not None:
        consultants = tuple(lines[consultants_at + 1 : first_certification])

    company: list[tuple[str, ...]] = []
    representative = counsel = None
    bounds = [*certification_starts, len(lines)]
    for start, end in itertools.pairwise(bounds):
        section = tuple(lines[start + 1 : end])
        if _COMPANY_CERTIFICATION.match(lines[start]):
            company.append(section)
        elif _REPRESENTATIVE_CERTIFICATION.match(lines[start]) and representative is None:
            representative = section
        elif _COUNSEL_CERTIFICATION.match(lines[start]) and counsel is None:
            counsel = section

    return Letter(
        heading=heading,
        re_line=re_line,
        body=body,
        signature=signature,
        consultants=consultants,
        company_certifications=tuple(company),
        representative_certification=representative,
        counsel_certification=counsel,
        footnotes=footnotes,
        page_header_lines=tuple(clean(line) for line in source.page_header_lines),
        has_closing=closing_at is not None,
    )


def _first(lines: list[str], test, start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if test(lines[i]):
            return i
    return None


def _pull_footnotes(lines: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Take footnote lines ("¹ The Committee is ...") out of the running text.

    A footnote printed at the foot of a page can cut a paragraph in two; when the line
    before it stops mid-sentence, the two halves are joined again.
    """
    kept: list[str] = []
    notes: list[str] = []
    join_next = False
    for line in lines:
        match = _FOOTNOTE_LINE.match(line)
        if match:
            notes.append(match.group("text"))
            last = _last_text_index(kept)
            if last is not None and not _ENDS_SENTENCE.search(_SUPERSCRIPT_RUN.sub("", kept[last])):
                del kept[last + 1 :]
                join_next = True
            continue
        if join_next:
            if not line:
                continue
            kept[-1] = f"{kept[-1]} {line}"
            join_next = False
            continue
        kept.append(line)
    return kept, tuple(notes)


def _last_text_index(lines: list[str]) -> int | None:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i]:
            return i
    return None

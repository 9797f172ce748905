"""Citations read from a letter, with bounds a typed answer never needs.

``parse_citation`` expands "Pages 1-100000" into a hundred thousand pages, which is right for
one citation and ruinous for a damaged file that repeats it a thousand times. A volume's BPI
list never cites more pages or exhibits than the answers schema holds, so a citation that
would is refused before it is expanded.
"""

from __future__ import annotations

import re

from adcvd_petition.rules.citations import Citation, CitationError, parse_citation

MAX_CITATION_CHARACTERS = 5000
MAX_CITED = 5000  # the schema's limit on the pages of one item
_RANGE = re.compile(
    r"(\d+)\s*(?:-|\u2010|\u2011|\u2012|\u2013|\u2014|\bto\b|\bthrough\b|\bthru\b)\s*(?:[IVXLC]+-)?(\d+)",
    re.IGNORECASE,
)


def read_citation(text: str, numeral: str) -> Citation:
    """The citation of one item or one volume's summary.

    Raises CitationError for text parse_citation refuses, for text longer than any real
    citation, and for ranges that together span more than 5000 pages or exhibits.
    """
    if len(text) > MAX_CITATION_CHARACTERS:
        raise CitationError(f"it is {len(text)} characters long, longer than any citation")
    spanned = sum(max(0, int(last) - int(first)) for first, last in _RANGE.findall(text))
    if spanned > MAX_CITED:
        raise CitationError(f"its ranges span {spanned} pages or exhibits, more than a volume has")
    return parse_citation(text, numeral)

"""Numbers that must never break across lines, held together with Word's own characters.

Identifiers of numbers and letters joined by hyphens ("A-555-003", "731-TA-__", "I-33") and
page ranges ("36-39") get Word's non-breaking hyphen (``<w:noBreakHyphen/>``, which python-docx and
PDF text read back as "-", so a search still finds them); "§"/"§§" and "19 C.F.R." are held
to their numbers with a no-break space; a citation's subdivisions ("1677(9)(C)",
"351.105(c)(3)") are joined with a word joiner (U+2060), because LibreOffice, which makes the
PDFs that are filed, follows Unicode's line breaking and breaks between ")" and "(" where Word
never does: the footnote of the 2024 letter came out as "§ 1677(9)" with "(C)." on the next line.
The joiner has no width and no glyph; Word and LibreOffice both honour it. The pass runs over
the finished document's text, so it covers what the templates say and what the answers fill in
alike.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NBSP = "\u00a0"
WORD_JOINER = "\u2060"

# A hyphen inside a number: letters, digits or blanks ("__") on both sides, and a digit or a
# blank on at least one. Words ("Non-Confidential") keep their ordinary hyphen.
_NUMBER_HYPHEN = re.compile(r"(?<=[0-9_])-(?=[A-Za-z0-9_])|(?<=[A-Za-z0-9_])-(?=[0-9_])")
# Spaces that must not break: after § and §§, and around the citation's code name.
_HELD_SPACES = (
    re.compile(r"(?<=§) (?=\S)"),
    re.compile(r"(?<=\d) (?=(?:C\.F\.R\.|U\.S\.C\.))"),
    re.compile(r"(?<=C\.F\.R\.) (?=[§\d])|(?<=U\.S\.C\.) (?=[§\d])"),
)

# Between a citation's subdivisions: "(9)(C)". Only ")(" with nothing between them.
_JOINED_SUBDIVISIONS = re.compile(r"(?<=\))(?=\()")

# Every text that any of the patterns above could change holds one of these.
_MAY_HOLD = re.compile(r"[-§]|C\.F\.R\.|U\.S\.C\.|\)\(")

# The parts of a package whose text is printed.
PRINTED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def hold_together(text: str) -> str:
    """The text with the held spaces made no-break spaces and a citation's subdivisions joined
    (hyphens are handled in the XML)."""
    for pattern in _HELD_SPACES:
        text = pattern.sub(NBSP, text)
    return _JOINED_SUBDIVISIONS.sub(WORD_JOINER, text)


def hold_numbers_in_part(xml: bytes) -> bytes:
    """The part with every number's hyphens made non-breaking and its held spaces no-break.

    Leaves the part byte for byte as it was when nothing in it needs holding.
    """
    if (
        b"-" not in xml
        and "§".encode() not in xml
        and b"C.F.R." not in xml
        and b"U.S.C." not in xml
        and b")(" not in xml
    ):
        return xml
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if not hold_numbers_in_tree(root):
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def hold_numbers_in_tree(root: etree._Element) -> bool:
    """``hold_numbers_in_part`` on a parsed part, in place; says whether anything changed."""
    changed = False
    for text in list(root.iter(f"{_W}t")):
        # Most runs hold nothing to hold; one scan for the three marks spares them the patterns.
        if text.text and _MAY_HOLD.search(text.text) and _hold_text_element(text):
            changed = True
    return changed


def _hold_text_element(element: etree._Element) -> bool:
    original = element.text or ""
    pieces = _held_pieces(original)
    if pieces is None:
        return False
    element.text = pieces[0]
    if len(pieces) == 1:
        return True
    element.set(_XML_SPACE, "preserve")
    anchor = element
    for piece in pieces[1:]:
        hyphen = etree.Element(f"{_W}noBreakHyphen")
        anchor.addnext(hyphen)
        anchor = hyphen
        if piece:
            following = etree.Element(f"{_W}t")
            following.text = piece
            following.set(_XML_SPACE, "preserve")
            anchor.addnext(following)
            anchor = following
    return True


# The same texts come back render after render (the templates' own words, the case numbers).
@functools.lru_cache(maxsize=4096)
def _held_pieces(text: str) -> tuple[str, ...] | None:
    """The text cut at each number's hyphen, held spaces made no-break; None if unchanged."""
    held = hold_together(text)
    pieces = tuple(_NUMBER_HYPHEN.split(held))
    if len(pieces) == 1 and held == text:
        return None
    return pieces

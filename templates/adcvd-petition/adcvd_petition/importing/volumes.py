"""The volumes of the petitions and their lists of business proprietary information.

Three places of the letter speak of volumes: the header summary of BPI removed ("Volume I:
Pages 3, 4, ..."), the paragraph describing the volumes ("Volumes II through V contain the
antidumping duty allegations"), and the BPI list under each volume's heading ("Volume II
(Cambodia AD Allegation):"). The answers take what each says; the notes say where they
disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adcvd_petition.importing.citing import read_citation
from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.heading import Summary
from adcvd_petition.importing.layout import Letter
from adcvd_petition.rules import countries as country_table
from adcvd_petition.rules.bpi_categories import CATCH_ALL, CATEGORIES
from adcvd_petition.rules.citations import Citation, CitationError, format_pages, sort_exhibits
from adcvd_petition.rules.numerals import NumeralError, int_to_roman, is_roman, roman_to_int

_HEADING = re.compile(r"^Volume\s+(?P<numeral>[IVXLC]+)\s*\((?P<title>[^)]+)\)\s*:?$")
_ITEM = re.compile(r"^(?:[-•–]\s*)?\((?P<number>\d{1,2})\)\s*(?P<rest>.+)$")
_PARAGRAPH = re.compile(r"351\.105\s*\(c\)\s*\((?P<paragraph>\d{1,2})\)")
_VOLUME_RANGE = (
    r"Volumes?\s+(?P<first>[IVXLC]+)(?:\s*(?P<join>through|to|-|–|and)\s*(?P<last>[IVXLC]+))?"
)
_CONTAINS = re.compile(
    _VOLUME_RANGE + r"\s+(?:of the petitions?\s+)?(?:contains?|includes?)\s+(?P<what>.*)$"
)
_NO_BPI = re.compile(
    _VOLUME_RANGE + r"\s+do(?:es)? not contain any business proprietary", re.IGNORECASE
)
_HAS_BPI = re.compile(
    r"business proprietary and public versions of\s+" + _VOLUME_RANGE, re.IGNORECASE
)
_SENTENCES = re.compile(r"(?<=\.)\s+(?=[A-Z])")
_KIND_WORDS = re.compile(
    r"\b(?:AD|CVD|antidumping|countervailing duty|allegations?)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Item:
    label: str  # "(3)", as the letter numbers the item
    paragraph: int | None
    description: str
    citation: Citation | None
    error: str | None = None


@dataclass
class _Volume:
    numeral: str
    title: str | None = None
    kind: str | None = None  # from the paragraph describing the volumes
    has_bpi: bool | None = None  # from the same paragraph
    listed: bool = False  # has a heading with a BPI list
    described: bool = False  # named in the paragraph describing the volumes
    items: list[_Item] = field(default_factory=list)


def read_volumes(letter: Letter, found: Findings, summaries: dict[str, Summary]) -> None:
    volumes: dict[str, _Volume] = {}

    def volume(numeral: str) -> _Volume:
        if not _is_volume_numeral(numeral):
            return _Volume(numeral)  # "Volume IIII" is a typing slip, not a volume
        return volumes.setdefault(numeral, _Volume(numeral))

    _volumes_paragraph(letter, volume)
    _bpi_lists(letter, volume)
    summaries = {n: summary for n, summary in summaries.items() if _is_volume_numeral(n)}
    for numeral in summaries:
        volume(numeral)
    if not volumes:
        found.missing("volumes", "no volumes described, listed or summarised in the letter")
        return
    ordered = sorted(volumes.values(), key=lambda v: _number(v.numeral))
    countries = found.get("countries") or []
    answers = [_answer(i, v, countries, summaries, found) for i, v in enumerate(ordered)]
    _infer_by_analogy(answers, countries, found)
    found.put("volumes", answers)
    for index, (vol, answer) in enumerate(zip(ordered, answers, strict=True)):
        _check_items(index, vol, answer.get("kind"), summaries.get(vol.numeral), found)


_SWAP_KIND = {"AD": "CVD", "CVD": "AD"}


def _infer_by_analogy(
    answers: list[dict[str, Any]], countries: list[dict], found: Findings
) -> None:
    """Untitled allegation volumes (the 2024 letter's public CVD volumes, named only in the
    paragraph describing the volumes) take their country and title from the titled volumes of
    the other kind, country by country in the same order ("Cambodia AD Allegation" gives
    "Cambodia CVD Allegation").

    Only when it fits exactly: as many untitled volumes as titled ones of the other kind, each
    of those with a known country that has a case of the untitled kind. Every inference is
    reported as a warning to check, and replaces the "not found" line it answers.
    """
    for kind, other in _SWAP_KIND.items():
        untitled = [
            (i, a)
            for i, a in enumerate(answers)
            if a.get("kind") == kind and "title" not in a and "country" not in a
        ]
        models = [
            a for a in answers if a.get("kind") == other and a.get("title") and a.get("country")
        ]
        case_key = "ad_case" if kind == "AD" else "cvd_case"
        with_case = {c.get("name") for c in countries if c.get(case_key)}
        if (
            not untitled
            or len(untitled) != len(models)
            or any(m["country"] not in with_case for m in models)
        ):
            continue
        for (index, answer), model in zip(untitled, models, strict=True):
            title = re.sub(rf"\b{other}\b", kind, model["title"])
            if title == model["title"]:
                continue  # a title that does not name its kind cannot be carried over
            answer["title"], answer["country"] = title, model["country"]
            here = f"volumes[{index}]"
            found.not_found[:] = [
                line
                for line in found.not_found
                if not line.startswith((f"{here}.title:", f"{here}.country:"))
            ]
            found.note(
                here,
                f"Volume {answer['numeral']} is named only in the paragraph describing the volumes; its title "
                f'"{title}" and country ({model["country"]}) were inferred from Volume {model["numeral"]} '
                f'("{model["title"]}"). Check them.',
                code="import.inferred",
                severity="warning",
            )


def _is_volume_numeral(numeral: str) -> bool:
    return len(numeral) <= 8 and is_roman(numeral)


def _number(numeral: str) -> int:
    try:
        return roman_to_int(numeral)
    except NumeralError:
        return 10**6


def _numerals(match: re.Match[str]) -> list[str]:
    """ "Volumes VI through IX" → VI, VII, VIII, IX; "Volumes II and V" → II, V."""
    first, last = match["first"], match["last"]
    if match["join"] == "and":
        return [n for n in (first, last) if is_roman(n)]
    try:
        start = roman_to_int(first)
        end = roman_to_int(last) if last else start
    except NumeralError:
        return []
    if not 0 <= end - start <= 60:
        return []
    return [int_to_roman(n) for n in range(start, end + 1)]


def _volumes_paragraph(letter: Letter, volume: Callable[[str], _Volume]) -> None:
    """Kinds and BPI status from "Volumes II through V contain the antidumping ..." sentences."""
    for line in letter.body:
        if "Volume" not in line or not re.search(r"\bcontains?\b", line):
            continue
        for sentence in _SENTENCES.split(line):
            for match in re.finditer(_VOLUME_RANGE, sentence):
                for numeral in _numerals(match):
                    volume(numeral).described = True
            if match := _NO_BPI.search(sentence):
                for numeral in _numerals(match):
                    volume(numeral).has_bpi = False
            elif match := _HAS_BPI.search(sentence):
                for numeral in _numerals(match):
                    volume(numeral).has_bpi = True
            elif match := _CONTAINS.search(sentence):
                kind = _kind(match["what"])
                for numeral in _numerals(match):
                    volume(numeral).kind = volume(numeral).kind or kind


def _kind(text: str) -> str | None:
    lowered = text.lower()
    if "countervailing" in lowered or re.search(r"\bCVD\b", text):
        return "CVD"
    if "antidumping" in lowered or "anti-dumping" in lowered or re.search(r"\bAD\b", text):
        return "AD"
    if "general information" in lowered or "injury" in lowered:
        return "general"
    return None


def _bpi_lists(letter: Letter, volume: Callable[[str], _Volume]) -> None:
    current: _Volume | None = None
    for line in letter.body:
        if heading := _HEADING.match(line):
            current = volume(heading["numeral"])
            current.title = heading["title"].strip()
            current.listed = True
            continue
        if current is None or not line:
            continue
        item = _ITEM.match(line)
        if item is None:
            current = None  # the list ends at the first paragraph that is not an item
            continue
        current.items.append(_item(current.numeral, item))


def _item(numeral: str, match: re.Match[str]) -> _Item:
    label = f"({match['number']})"
    rest = match["rest"]
    paragraphs = [int(p) for p in _PARAGRAPH.findall(rest) if 1 <= int(p) <= 11]
    paragraph = paragraphs[-1] if paragraphs else None
    cited, colon, description = rest.partition(":")
    if not colon:
        return _Item(label, paragraph, rest, None, f"no citation before a colon in {rest!r}")
    try:
        citation = read_citation(cited, numeral)
    except CitationError as error:
        return _Item(
            label,
            paragraph,
            description,
            None,
            f"the citation {cited.strip()!r} cannot be read: {error}",
        )
    return _Item(label, paragraph, description.strip(), citation)


def _answer(
    index: int, vol: _Volume, countries: list[dict], summaries: dict[str, Summary], found: Findings
) -> dict[str, Any]:
    here = f"volumes[{index}]"
    name = f"Volume {vol.numeral}"
    answer: dict[str, Any] = {"numeral": vol.numeral}
    if vol.title:
        answer["title"] = vol.title
    elif vol.described and not vol.items and vol.numeral not in summaries:
        found.missing(
            f"{here}.title",
            f"{name} appears only in the paragraph describing the volumes, which gives no title",
        )
    else:
        found.missing(f"{here}.title", f'no heading "{name} (<title>):" in the letter')
    title_kind = _kind(vol.title) if vol.title else None
    kind = vol.kind or title_kind
    if vol.kind and title_kind and vol.kind != title_kind:
        found.note(
            f"{here}.kind",
            f"The letter describes {name} as {_KIND_NAMES[vol.kind]}, but its heading "
            f'"{vol.title}" says {_KIND_NAMES[title_kind]}.',
            code="volume.kind_mismatch",
        )
    if kind:
        answer["kind"] = kind
    else:
        found.missing(f"{here}.kind", f"the letter does not say what {name} holds")
    if kind in ("AD", "CVD"):
        country = _country(vol.title, countries)
        if country:
            answer["country"] = country
        else:
            found.missing(
                f"{here}.country",
                f"the letter does not say which country's allegation {name} holds",
            )
    _bpi(index, vol, answer, vol.numeral in summaries, found)
    return answer


_KIND_NAMES = {
    "general": "general information",
    "AD": "an antidumping allegation",
    "CVD": "a countervailing duty allegation",
}
_KIND_ADJECTIVES = {"general": "a general", "AD": "an antidumping", "CVD": "a countervailing duty"}


def _country(title: str | None, countries: list[dict]) -> str | None:
    """The country of an allegation volume, from its heading ("Vietnam AD Allegation"),
    named as the countries are named in the answers."""
    if not title:
        return None
    words = _KIND_WORDS.sub(" ", title).strip(" -–,")
    for country in countries:
        name = country.get("name", "")
        known = country_table.lookup(name)
        for form in {name, known.name if known else name, re.sub(r"^the\s+.*\bof\s+", "", name)}:
            if form and re.search(rf"\b{re.escape(form)}\b", title, re.IGNORECASE):
                return name
        if known and country_table.lookup(words) == known:
            return name
    if not countries and words and country_table.lookup(words):
        return words
    return None


def _bpi(
    index: int, vol: _Volume, answer: dict[str, Any], summarised: bool, found: Findings
) -> None:
    here = f"volumes[{index}]"
    name = f"Volume {vol.numeral}"
    shows_bpi = bool(vol.items) or summarised
    if vol.has_bpi is False and shows_bpi:
        found.note(
            f"{here}.has_bpi",
            f"The letter says {name} holds no business proprietary information, yet lists BPI for it.",
            code="volume.bpi_contradiction",
        )
    has_bpi = vol.has_bpi if vol.has_bpi is not None else (True if shows_bpi else None)
    if has_bpi is None:
        found.missing(
            f"{here}.has_bpi",
            f"the letter does not say whether {name} holds business proprietary information",
        )
    else:
        answer["has_bpi"] = has_bpi
    items = []
    for position, item in enumerate(vol.items):
        entry: dict[str, Any] = {}
        if item.paragraph is not None:
            entry["paragraph"] = item.paragraph
        else:
            found.missing(
                f"{here}.bpi_items[{position}].paragraph",
                f"item {item.label} of {name} cites no paragraph of 19 C.F.R. § 351.105(c)",
            )
        if item.citation is not None:
            entry["pages"] = list(item.citation.pages)
            entry["exhibit_list"] = item.citation.exhibit_list
            entry["exhibits"] = list(item.citation.exhibits)
        else:
            found.missing(
                f"{here}.bpi_items[{position}].pages", f"item {item.label} of {name}: {item.error}"
            )
        items.append(entry)
    if items:
        answer["bpi_items"] = items
    elif has_bpi:
        where = (
            "no BPI list under a heading" if not vol.listed else "a heading but no items under it"
        )
        found.missing(
            f"{here}.bpi_items",
            f"{name} holds business proprietary information, but the letter has {where}",
        )


def _check_items(
    index: int, vol: _Volume, kind: str | None, summary: Summary | None, found: Findings
) -> None:
    """Each item against its volume's header summary and (c)(11) catch-all list.

    The header summary is the union of the items and equals the catch-all; a page or exhibit
    cited by an item but missing from either was either left out of the summary or cited by
    mistake, and the letter cannot say which.
    """
    here = f"volumes[{index}]"
    name = f"Volume {vol.numeral}"
    if summary is not None and summary.citation is None:
        found.missing(
            f"{here}.bpi_items", f"the header summary of {name} cannot be read: {summary.error}"
        )
    header = summary.citation if summary else None
    catch_alls = [item for item in vol.items if item.paragraph == CATCH_ALL and item.citation]
    catch_all = catch_alls[0].citation if catch_alls else None

    for position, item in enumerate(vol.items):
        path = f"{here}.bpi_items[{position}]"
        if item.paragraph is not None:
            _check_category(path, item, name, kind, found)
        if item.citation is None:
            continue
        for exhibit in item.citation.exhibits:
            if not exhibit.startswith(f"{vol.numeral}-"):
                found.note(
                    f"{path}.exhibits",
                    f"Item {item.label} of {name} cites Exhibit {exhibit}, which is numbered "
                    f"as an exhibit of another volume.",
                    code="bpi.exhibit_numeral",
                )
        if item.paragraph == CATCH_ALL:
            _compare(path, item, name, header, None, found)
        else:
            _compare(path, item, name, header, catch_all, found)

    if header is not None and vol.items:
        cited = [i.citation for i in vol.items if i.citation]
        _uncited(here, name, header, cited, found)


def _check_category(path: str, item: _Item, name: str, kind: str | None, found: Findings) -> None:
    category = next((c for c in CATEGORIES if c.number == item.paragraph), None)
    if category is None:
        return
    if kind and not category.allowed_in(kind):
        found.note(
            f"{path}.paragraph",
            f"Item {item.label} of {name} cites § 351.105(c)({item.paragraph}), which belongs "
            f"only in {_KIND_ADJECTIVES[category.applies_to]} volume, not in "
            f"{_KIND_ADJECTIVES[kind]} one.",
            code="bpi.category_kind",
        )
    words = re.sub(r"\s*\(?\s*19 C\.F\.R\..*$", "", item.description).strip(" .")
    if words and not _same_words(words, category.text):
        found.note(
            f"{path}.paragraph",
            f"Item {item.label} of {name} cites § 351.105(c)({item.paragraph}), but its words "
            f'"{words[:80]}" are not those of that paragraph ("{category.text[:80]}").',
            code="bpi.category_text",
            severity="warning",
        )


def _same_words(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    return key(a)[:40] == key(b)[:40]


def _compare(
    path: str,
    item: _Item,
    name: str,
    header: Citation | None,
    catch_all: Citation | None,
    found: Findings,
) -> None:
    citation = item.citation
    assert citation is not None
    for field_name in ("pages", "exhibit_list", "exhibits"):
        cited = _things(citation, field_name)
        not_in_header = cited - _things(header, field_name) if header else set()
        not_in_catch_all = cited - _things(catch_all, field_name) if catch_all else set()
        both = not_in_header & not_in_catch_all
        parts = [
            f"{_describe(field_name, group)}, which {'is' if len(group) == 1 else 'are'} {where}"
            for group, where in (
                (both, f"in neither the header summary of {name} nor its (c)(11) list"),
                (not_in_header - both, f"not in the header summary of {name}"),
                (not_in_catch_all - both, f"not in the (c)(11) list of {name}"),
            )
            if group
        ]
        if parts:
            found.note(
                f"{path}.{field_name}",
                f"Item {item.label} of {name} cites {'; and '.join(parts)}.",
                code="bpi.not_in_summary",
            )


def _things(citation: Citation | None, field_name: str) -> set[Any]:
    if citation is None:
        return set()
    if field_name == "pages":
        return set(citation.pages)
    if field_name == "exhibit_list":
        return {"list"} if citation.exhibit_list else set()
    return set(citation.exhibits)


def _describe(field_name: str, things: set[Any]) -> str:
    """ "page 23", "pages 3, 4, 6-9", "the Exhibit List", "Exhibits I-24 and I-25"."""
    if field_name == "pages":
        return f"page{'s' if len(things) > 1 else ''} {format_pages(things)}"
    if field_name == "exhibit_list":
        return "the Exhibit List"
    exhibits = sort_exhibits(things)
    return f"Exhibit{'s' if len(exhibits) > 1 else ''} {_join(exhibits)}"


def _uncited(
    here: str, name: str, header: Citation, cited: list[Citation], found: Findings
) -> None:
    things = []
    for field_name in ("pages", "exhibit_list", "exhibits"):
        uncited = _things(header, field_name) - set().union(
            *(_things(c, field_name) for c in cited)
        )
        if uncited:
            things.append(_describe(field_name, uncited))
    if things:
        found.note(
            f"{here}.bpi_items",
            f"The header summary of {name} lists {_join(things)}, which no item of its BPI list "
            "cites.",
            code="bpi.summary_uncited",
            severity="warning",
        )


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]

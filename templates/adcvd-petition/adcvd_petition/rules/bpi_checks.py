"""Cross-field rules on the volumes and their lists of business proprietary information.

The letter's header summarises each volume's BPI as the union of its items, and that union
must equal the (c)(11) catch-all item; the 2024 letter broke this once (Exhibit I-24). These
rules point at the exact page, exhibit or flag that breaks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.bpi_categories import CATCH_ALL, BpiCategory, UnknownCategory, category
from adcvd_petition.rules.citations import item_citation, union
from adcvd_petition.rules.numerals import NumeralError, int_to_roman, roman_to_int
from adcvd_petition.rules.partial import entries, text
from service.packs.plugins import reads
from service.problems import Problem

_KIND_WORDS = {
    "general": "the general volume",
    "AD": "an antidumping volume",
    "CVD": "a countervailing duty volume",
}
_APPLIES_WORDS = {"AD": "antidumping", "CVD": "countervailing duty"}


@reads("volumes[*].numeral", "volumes[*].kind", "volumes[*].has_bpi", "volumes[*].bpi_items")
def bpi_checks(answers: Mapping[str, Any]) -> list[Problem]:
    """Every finding on volumes and BPI lists, volume by volume.

    Codes: volume.numeral_invalid (error), volume.duplicate_numeral (error),
    volume.numeral_out_of_order (warning), bpi.items_without_bpi (error),
    bpi.paragraph_wrong_proceeding (error), bpi.duplicate_paragraph (warning),
    bpi.empty_item (error), bpi.exhibit_wrong_volume (error), bpi.not_in_summary (error).
    """
    problems, doubtful = _numerals(answers)
    for index, volume in entries(answers.get("volumes")):
        problems += _volume(index, volume, trust_numeral=index not in doubtful)
    return problems


def _label(index: int, volume: Mapping[str, Any]) -> str:
    numeral = text(volume.get("numeral"))
    return f"Volume {numeral}" if numeral else f"volume {index + 1}"


def _numerals(answers: Mapping[str, Any]) -> tuple[list[Problem], set[int]]:
    """Findings on the volumes' numerals, and the volumes whose numeral is itself in doubt."""
    problems = []
    doubtful: set[int] = set()
    seen: dict[int, int] = {}
    previous: int | None = None
    for index, volume in entries(answers.get("volumes")):
        numeral = text(volume.get("numeral"))
        if numeral is None:
            previous = None
            continue
        path = f"volumes[{index}].numeral"
        try:
            value = roman_to_int(numeral)
        except NumeralError:
            problems.append(
                Problem(
                    path=path,
                    message=(
                        f"{numeral!r} is not a Roman numeral written the usual way; number the "
                        "volumes I, II, III, IV, ..."
                    ),
                    code="volume.numeral_invalid",
                )
            )
            doubtful.add(index)
            previous = None
            continue
        if value in seen:
            problems.append(
                Problem(
                    path=path,
                    message=(
                        f"Volume {numeral} is given twice (volumes {seen[value] + 1} "
                        f"and {index + 1}); each volume needs its own numeral, so renumber "
                        "one of them"
                    ),
                    code="volume.duplicate_numeral",
                )
            )
            doubtful.add(index)
            # Most likely the next numeral was meant; counting on from it keeps one slip from
            # making every later volume look out of order.
            previous = previous + 1 if previous is not None else None
            continue
        seen[value] = index
        # Compared with the volume before, so one gap gives one warning, not one per volume.
        expected = 1 if index == 0 else (previous + 1 if previous is not None else None)
        if expected is not None and value != expected:
            where = "is the first volume" if index == 0 else "is out of order"
            problems.append(
                Problem(
                    path=path,
                    message=(
                        f"Volume {numeral} {where}; volumes are numbered I, II, III, ... in "
                        f"order, so this one would be Volume {int_to_roman(expected)}"
                    ),
                    severity="warning",
                    code="volume.numeral_out_of_order",
                )
            )
        previous = value
    return problems, doubtful


def _volume(index: int, volume: Mapping[str, Any], trust_numeral: bool) -> list[Problem]:
    base = f"volumes[{index}]"
    label = _label(index, volume)
    items = list(entries(volume.get("bpi_items")))
    if volume.get("has_bpi") is False:
        if not items:
            return []
        several = len(items) != 1
        count = f"{len(items)} BPI item{'s' if several else ''}"
        return [
            Problem(
                path=f"{base}.bpi_items",
                message=(
                    f"{label} is marked as holding no business proprietary information but "
                    f"lists {count}; remove {'them' if several else 'it'}, or mark the volume "
                    "as holding BPI"
                ),
                code="bpi.items_without_bpi",
            )
        ]
    problems: list[Problem] = []
    # Exhibits are not held against a numeral that is itself wrong: fixing it comes first.
    numeral = text(volume.get("numeral")) if trust_numeral else None
    # Exhibits that all carry one other numeral point at the volume's numeral: one finding
    # there says more than one per exhibit.
    other = _only_other_numeral(numeral, items) if numeral is not None else None
    if other is not None:
        problems.append(_exhibits_of_other_volume(base, label, numeral, other, items))
    kind = volume.get("kind")
    seen_paragraphs: dict[int, int] = {}
    for position, item in items:
        path = f"{base}.bpi_items[{position}]"
        paragraph = item.get("paragraph")
        known = _category(paragraph)
        if known is not None:
            if isinstance(kind, str) and kind in _KIND_WORDS and not known.allowed_in(kind):
                problems.append(
                    Problem(
                        path=f"{path}.paragraph",
                        message=(
                            f"Paragraph (c)({known.number}) ({known.label.lower()}) applies only "
                            f"in {_APPLIES_WORDS[known.applies_to]} proceedings, but {label} is "
                            f"{_KIND_WORDS[kind]}; choose another paragraph for this item, or "
                            f"move it to {_KIND_WORDS[known.applies_to]}"
                        ),
                        code="bpi.paragraph_wrong_proceeding",
                    )
                )
            if known.number in seen_paragraphs:
                problems.append(
                    Problem(
                        path=f"{path}.paragraph",
                        message=(
                            f"Paragraph (c)({known.number}) already has item "
                            f"{seen_paragraphs[known.number] + 1} in {label}; "
                            "the letter lists each paragraph once, so merge the two items"
                        ),
                        severity="warning",
                        code="bpi.duplicate_paragraph",
                    )
                )
            else:
                seen_paragraphs[known.number] = position
        # An empty object is an item not filled in yet: the interview asks for it.
        if item and item_citation(item).is_empty:
            under = f" (paragraph (c)({known.number}))" if known else ""
            problems.append(
                Problem(
                    path=path,
                    message=(
                        f"Item {position + 1} of {label}{under} cites no page, exhibit or "
                        "Exhibit List; add what it covers, or remove the item"
                    ),
                    code="bpi.empty_item",
                )
            )
        if numeral is not None and other is None:
            problems += _exhibit_numerals(path, label, numeral, item)
    problems += _catch_all_coverage(base, label, numeral, items)
    return problems


def _category(paragraph: Any) -> BpiCategory | None:
    if not isinstance(paragraph, int) or isinstance(paragraph, bool):
        return None
    try:
        return category(paragraph)
    except UnknownCategory:
        return None


def _exhibit_numerals(
    path: str, label: str, numeral: str, item: Mapping[str, Any]
) -> list[Problem]:
    problems = []
    exhibits = item.get("exhibits")
    for position, exhibit in enumerate(exhibits if isinstance(exhibits, list) else []):
        if not isinstance(exhibit, str) or _numeral_of(exhibit) in (None, numeral):
            continue
        _, _, number = exhibit.strip().partition("-")
        problems.append(
            Problem(
                path=f"{path}.exhibits[{position}]",
                message=(
                    f"Exhibit {exhibit} is cited in {label}, whose exhibits are numbered "
                    f"{numeral}-1, {numeral}-2, ...; write {numeral}-{number} if that exhibit "
                    f"is meant, or cite it in the list of Volume {_numeral_of(exhibit)}"
                ),
                code="bpi.exhibit_wrong_volume",
            )
        )
    return problems


def _cited_exhibits(items: list[tuple[int, Mapping[str, Any]]]) -> list[str]:
    # A dict keeps the order of first citation and answers membership in constant time.
    found: dict[str, None] = {}
    for _, item in items:
        exhibits = item.get("exhibits")
        for exhibit in exhibits if isinstance(exhibits, list) else []:
            if isinstance(exhibit, str) and exhibit not in found and _numeral_of(exhibit):
                found[exhibit] = None
    return list(found)


def _only_other_numeral(numeral: str, items: list[tuple[int, Mapping[str, Any]]]) -> str | None:
    """The numeral every exhibit of the volume carries, when there are several exhibits and
    it is not the volume's own."""
    exhibits = _cited_exhibits(items)
    numerals = {_numeral_of(exhibit) for exhibit in exhibits}
    if len(exhibits) < 2 or len(numerals) != 1 or numeral in numerals:
        return None
    return numerals.pop()


def _exhibits_of_other_volume(
    base: str, label: str, numeral: str, other: str, items: list[tuple[int, Mapping[str, Any]]]
) -> Problem:
    exhibits = _cited_exhibits(items)
    examples = ", ".join(exhibits[:3]) + (", ..." if len(exhibits) > 3 else "")
    return Problem(
        path=f"{base}.numeral",
        message=(
            f"Every exhibit cited in {label} is numbered as one of Volume {other} ({examples}); "
            f"if this is Volume {other}, correct the volume's numeral, otherwise write its "
            f"exhibits as {numeral}-1, {numeral}-2, ..."
        ),
        code="bpi.exhibit_wrong_volume",
    )


def _numeral_of(exhibit: str) -> str | None:
    numeral, hyphen, _ = exhibit.strip().partition("-")
    return numeral.upper() if hyphen else None


def _catch_all_coverage(
    base: str, label: str, numeral: str | None, items: list[tuple[int, Mapping[str, Any]]]
) -> list[Problem]:
    catch_alls = [item for _, item in items if item.get("paragraph") == CATCH_ALL]
    if not catch_alls:
        return []
    summary = union(item_citation(item) for item in catch_alls)
    # Sets: membership in the summary's tuples made 39 items of 5,000 pages take seconds.
    summary_pages, summary_exhibits = set(summary.pages), set(summary.exhibits)
    problems = []
    for position, item in items:
        paragraph = item.get("paragraph")
        if paragraph == CATCH_ALL:
            continue
        path = f"{base}.bpi_items[{position}]"
        under = (
            f"paragraph (c)({paragraph}) of {label}"
            if isinstance(paragraph, int)
            else f"item {position + 1} of {label}"
        )
        consequence = (
            f"but is not in its (c)({CATCH_ALL}) list, so the header summary would not match; "
            f"add it to the (c)({CATCH_ALL}) list, or remove it from this item"
        )
        pages = item.get("pages")
        reported_pages: set[int] = set()
        for index, page in enumerate(pages if isinstance(pages, list) else []):
            if not isinstance(page, int) or page in summary_pages or page in reported_pages:
                continue
            reported_pages.add(page)
            problems.append(
                Problem(
                    path=f"{path}.pages[{index}]",
                    message=f"Page {page} is cited under {under} {consequence}",
                    code="bpi.not_in_summary",
                )
            )
        if item.get("exhibit_list") is True and not summary.exhibit_list:
            problems.append(
                Problem(
                    path=f"{path}.exhibit_list",
                    message=f"The Exhibit List is cited under {under} {consequence}",
                    code="bpi.not_in_summary",
                )
            )
        exhibits = item.get("exhibits")
        reported_exhibits: set[str] = set()
        for index, exhibit in enumerate(exhibits if isinstance(exhibits, list) else []):
            if not isinstance(exhibit, str) or exhibit in summary_exhibits:
                continue
            # An exhibit of another volume already has its own error at this path.
            if numeral is not None and _numeral_of(exhibit) not in (None, numeral):
                continue
            if exhibit in reported_exhibits:
                continue
            reported_exhibits.add(exhibit)
            problems.append(
                Problem(
                    path=f"{path}.exhibits[{index}]",
                    message=f"Exhibit {exhibit} is cited under {under} {consequence}",
                    code="bpi.not_in_summary",
                )
            )
    return problems

"""Who petitions, against what and where: the "Re:" line, the countries with their case
numbers, the petitioner paragraph and the footnotes naming the members."""

from __future__ import annotations

import re

from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.heading import case_numbers
from adcvd_petition.importing.layout import Letter
from adcvd_petition.importing.wording import split_names
from adcvd_petition.rules import countries as country_table
from adcvd_petition.rules.petition_context import in_running_text

_QUOTED = r"\(\s*(?P<article>the\s+)?[“\"](?P<short>[^”\"]{1,200})[”\"]\s*\)"
# A petitioner's definition may also define the word the letter then uses: (“the Committee” or
# “Petitioner”).
_DEFINED = _QUOTED.replace(r"\s*\)", r"(?:\s+or\s+[“\"]Petitioners?[”\"])?\s*\)")
_BASIS = re.compile(r"1677\s*\(\s*9\s*\)\s*\(\s*(?P<basis>[A-G])\s*\)")
_MEMBERS = re.compile(
    r"\b(?:is|are)\s+(?:comprised|composed|made up)\s+of\s+|\bconsists?\s+of\s+|\bcomprises\s+",
    re.IGNORECASE,
)
_MAX_PETITIONERS = 20  # the schema's limit
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}


def read_product_and_countries(letter: Letter, found: Findings) -> None:
    names = _re_line(letter, found)
    _short_name(letter, found)
    _countries(letter, names, found)


def _re_line(letter: Letter, found: Findings) -> list[str]:
    """Record the product's name; return the countries as the "Re:" line writes them."""
    if letter.re_line is None:
        found.missing("product.name", 'no "Re:" line naming the product')
        return []
    title = re.sub(r"^Re\s*:\s*", "", letter.re_line, flags=re.IGNORECASE).strip()
    product, separator, rest = title.partition(", from ")
    if not separator:
        product, separator, rest = title.partition(" from ")
    if not separator or not product.strip():
        found.missing(
            "product.name", f'the "Re:" line does not read "<product>, from <countries>": {title!r}'
        )
        return []
    found.put("product.name", product.strip())
    place_list = rest.split(":", 1)[0].strip()
    return _country_names(place_list)


def _country_names(text: str) -> list[str]:
    """ "Cambodia, Malaysia, Thailand, and the Socialist Republic of Vietnam" → four names.

    "Trinidad and Tobago" is one country; "Cambodia and Malaysia" two.
    """
    names: list[str] = []
    for piece in text.split(","):
        piece = re.sub(r"^and\s+", "", piece.strip())
        if not piece:
            continue
        if " and " in piece and country_table.lookup(piece) is None:
            parts = [part.strip() for part in piece.split(" and ")]
            if any(country_table.lookup(part) for part in parts):
                names.extend(part for part in parts if part)
                continue
        names.append(piece)
    return names


def _short_name(letter: Letter, found: Findings) -> None:
    for line in letter.body:
        imports = re.search(r"\bimports of\b", line, re.IGNORECASE)
        if not imports:
            continue
        match = re.search(_QUOTED, line[imports.end() :])
        if match:
            found.put("product.short_name", match.group("short").strip())
            _in_text(" ".join(line[imports.end() : imports.end() + match.start()].split()), found)
            return
    found.missing(
        "product.short_name",
        'no short name in quotation marks after "imports of" in the first paragraph',
    )


def _in_text(written: str, found: Findings) -> None:
    """Keep how the letter wrote the product in running text where it is not what the title
    would suggest ("Portland cement", not "portland cement"), so that it prints the same."""
    title = found.get("product.name")
    if written and isinstance(title, str) and written != in_running_text(title):
        found.put("product.in_text", written)


def _countries(letter: Letter, names: list[str], found: Findings) -> None:
    numbers = case_numbers(letter)
    if not names and not numbers:
        found.missing("countries", 'no countries in a "Re:" line and no Commerce case numbers')
        return
    countries: list[dict[str, str]] = [{"name": name} for name in names]
    codes = [_code_of(name) for name in names]
    if not names:
        found.missing(
            "countries",
            'no countries in a "Re:" line to say how the letter names them; they are named '
            "after the country codes of the case numbers",
        )
    unplaced: list[str] = []
    for match in numbers:
        number, code = match.group(0), match.group("code")
        field = "ad_case" if match.group("kind") == "A" else "cvd_case"
        if code not in codes:
            known = country_table.by_code(code)
            if known and not names:
                codes.append(code)
                countries.append({"name": known.name})
            else:
                unplaced.append(number)
                if known:
                    found.note(
                        "countries",
                        f'Case number {number} is for {known.name}, which the "Re:" line '
                        "does not name.",
                        code="case.country_not_named",
                    )
                continue
        index = codes.index(code)
        if field in countries[index] and countries[index][field] != number:
            found.note(
                f"countries[{index}].{field}",
                f"The header gives {countries[index]['name']} two case numbers of one kind: "
                f"{countries[index][field]} and {number}.",
                code="case.duplicate",
            )
            continue
        countries[index][field] = number
        country = country_table.by_code(code)
        if country and not country.verified:
            found.note(
                f"countries[{index}].{field}",
                f"{number} was matched to {country.name} by country code {code}, which is not "
                "yet confirmed from a real case number; check it.",
                code="case.unverified_code",
                severity="warning",
            )
    found.put("countries", countries)
    _report_unplaced(countries, numbers, unplaced, found)


def _code_of(name: str) -> str | None:
    country = country_table.lookup(name)
    return country.code if country else None


def _report_unplaced(countries, numbers, unplaced: list[str], found: Findings) -> None:
    any_ad = any(m.group("kind") == "A" for m in numbers)
    any_cvd = any(m.group("kind") == "C" for m in numbers)
    unknown = [n for n in unplaced if country_table.by_code(n[2:5]) is None]
    mentioned: set[str] = set()
    for index, country in enumerate(countries):
        for field, wanted, word in (
            ("ad_case", any_ad, "antidumping"),
            ("cvd_case", any_cvd, "countervailing duty"),
        ):
            if field in country or not wanted:
                continue
            why = f"no {word} case number for {country['name']} in the header block"
            if country_table.lookup(country["name"]) is None:
                why += f" (the table of country codes does not know {country['name']}"
                kind = "A" if field == "ad_case" else "C"
                candidates = [n for n in unknown if n.startswith(kind)]
                mentioned.update(candidates)
                why += f"; unmatched: {', '.join(candidates)})" if candidates else ")"
            found.missing(f"countries[{index}].{field}", why)
    for number in (n for n in unknown if n not in mentioned):
        found.missing(
            "countries",
            f"case number {number} carries country code {number[2:5]}, which is not in the "
            "table of country codes, so it was given to no country",
        )


def read_petitioners(letter: Letter, found: Findings) -> None:
    paragraph = next((line for line in letter.body if re.match(r"^On behalf of\b", line)), None)
    if paragraph is None:
        found.missing("petitioners", 'no paragraph beginning "On behalf of" naming the petitioner')
        _coalition(letter, found, petitioner_bases=[])
        return
    opening = re.split(r"\bwe\s+hereby\b|\bhereby\s+submit", paragraph, maxsplit=1)[0]
    opening = re.sub(r"^On behalf of\s+", "", opening)
    petitioners = []
    position = 0
    for match in re.finditer(_DEFINED, opening):
        # The name runs from the previous petitioner's short name to this one's.
        name = re.sub(r"^[,;]?\s*(?:and\s+)?", "", opening[position : match.start()]).strip()
        position = match.end()
        if not name:
            continue
        if len(petitioners) == _MAX_PETITIONERS:
            found.missing(
                "petitioners",
                f"more than {_MAX_PETITIONERS} petitioners named; only the first {_MAX_PETITIONERS} were kept",
            )
            break
        short = match.group("short").strip()
        if match.group("article") and not short.lower().startswith("the "):
            short = f"{match.group('article').strip()} {short}"
        petitioners.append({"name": name, "short_name": short})
    if not petitioners:
        found.missing(
            "petitioners",
            'the "On behalf of" paragraph names no petitioner with a short name in quotation marks',
        )
        _coalition(letter, found, petitioner_bases=[])
        return
    bases = [m.group("basis") for m in _BASIS.finditer(paragraph)]
    if not bases:
        # A page break can leave the rest of the paragraph, with the basis, on its own line.
        following = letter.body[letter.body.index(paragraph) + 1 :]
        rest = []
        for line in following:
            if line.startswith("Volume"):
                break
            rest.append(line)
        paragraph = " ".join([paragraph, *rest])
        bases = [m.group("basis") for m in _BASIS.finditer(paragraph)]
    for index, petitioner in enumerate(petitioners):
        basis = _basis_for(petitioner, paragraph, bases, len(petitioners))
        if basis:
            petitioner["basis"] = basis
        else:
            found.missing(
                f"petitioners[{index}].basis",
                "no interested-party basis (19 U.S.C. § 1677(9)(C)-(G)) given for "
                f"{petitioner['name']}",
            )
    found.put("petitioners", petitioners)
    _coalition(letter, found, petitioner_bases=[p.get("basis") for p in petitioners])


def _basis_for(
    petitioner: dict[str, str], paragraph: str, bases: list[str], count: int
) -> str | None:
    if count == 1:
        return bases[0] if len(set(bases)) == 1 else None
    # Several petitioners: the basis in the sentence that names this one by its short name.
    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", paragraph):
        if petitioner["short_name"] in sentence or petitioner["name"] in sentence:
            basis = _BASIS.search(sentence)
            if basis:
                return basis.group("basis")
    return None


def _coalition(letter: Letter, found: Findings, petitioner_bases: list[str | None]) -> None:
    members_note = next((note for note in letter.footnotes if _MEMBERS.search(note)), None)
    if members_note is None:
        if petitioner_bases and all(basis in ("C", "D") for basis in petitioner_bases):
            # A producer or a union petitioning alone has no members to name.
            found.put("coalition.has_members", False)
        else:
            found.missing(
                "coalition.has_members", "no footnote naming the members of the petitioner"
            )
        return
    found.put("coalition.has_members", True)
    after = members_note[_MEMBERS.search(members_note).end() :]
    description, colon, listed = after.partition(":")
    if not colon:
        found.missing(
            "coalition.members",
            f"the members footnote lists no names after a colon: {members_note!r}",
        )
        return
    count_word, _, rest = description.strip().partition(" ")
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word.lower())
    description = rest if count is not None else description.strip()
    found.put("coalition.member_description", description.strip())
    members = split_names(listed)
    found.put("coalition.members", [{"name": name} for name in members])
    if count is not None and count != len(members):
        found.note(
            "coalition.members",
            f"The footnote says the petitioner has {count} members but names {len(members)}.",
            code="coalition.count_mismatch",
            severity="warning",
        )
    basis_note = next(
        (
            note
            for note in letter.footnotes
            if _BASIS.search(note) and re.search(r"\bmembers?\b", note, re.IGNORECASE)
        ),
        None,
    )
    if basis_note:
        basis = _BASIS.search(basis_note).group("basis")
        if basis in ("C", "D"):
            found.put("coalition.members_basis", basis)
            return
    found.missing(
        "coalition.members_basis",
        "no footnote saying under which paragraph of 19 U.S.C. § 1677(9) the members are interested parties",
    )

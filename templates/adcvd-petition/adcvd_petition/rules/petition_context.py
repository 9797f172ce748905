"""What the petition packet's templates print, derived from the answers.

``document_context`` is the pack's context rule (``adcvd.document_context``): it returns the
answers themselves plus every value the templates need that is not typed in as such — dates
as letters print them, the ordered case numbers, the BPI summary and lists, the description
of the volumes, and the forms of words that change with the number of petitioners and
petitions. The wording follows the 2024 solar cover letter; where it has a quirk that is not
an error ("The members of the American Alliance ...", "comprised of 4 U.S. producers") it is
kept, and where it got the grammar wrong ("Petitioner agree") the right form is computed.

Rendering happens only for complete, valid answers with the hidden ones removed; these
functions still read defensively, since ``session_title`` sees answers in every state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from adcvd_petition.rules.bpi_categories import BpiCategory, UnknownCategory, category
from adcvd_petition.rules.case_numbers import join_case_numbers, order_case_numbers
from adcvd_petition.rules.citations import format_citation, item_citation, summarize_volume
from adcvd_petition.rules.dates import long_date, parse_iso_date
from adcvd_petition.rules.numerals import NumeralError, roman_to_int
from adcvd_petition.rules.officeholders import surname
from adcvd_petition.rules.partial import entries, section, text
from service.packs.plugins import reads

VERSION_MARKINGS = {"public": "PUBLIC VERSION", "bpi": "Business Proprietary Document"}

# What a coalition's members are, by the basis of 19 U.S.C. § 1677(9) they stand on.
_MEMBER_ROLES = {"C": "producer", "D": "worker"}
_MEMBERS_ARE = {
    "C": "producers in the United States of the domestic like product",
    "D": "certified or recognized unions or groups of workers representative of the industry "
    "producing the domestic like product in the United States",
}
# What a petitioner is under each subparagraph of 19 U.S.C. § 1677(9).
_PETITIONER_IS = {
    "C": "a producer in the United States of the domestic like product",
    "D": "a certified or recognized union or group of workers representative of the industry "
    "producing the domestic like product in the United States",
    "E": "a trade or business association a majority of whose members produce the domestic like "
    "product in the United States",
    "F": "an association a majority of whose members are interested parties described in "
    "19 U.S.C. § 1677(9)(C), (D), or (E) with respect to the domestic like product",
    "G": "a coalition or trade association representative of processors, or processors and "
    "producers, or processors and growers of the domestic like product",
}
_REPRESENTATIVE_ROLES = {
    "counsel": "counsel to",
    "adviser": "adviser to",
    "preparer": "preparer for",
    "reviewer": "reviewer for",
}
_VOLUME_CONTENTS = {
    "general": (
        "general information and the allegations of injury, along with associated exhibits",
    )
    * 2,
    "AD": (
        "the antidumping duty allegation and associated exhibits",
        "the antidumping duty allegations and associated exhibits",
    ),
    "CVD": (
        "the countervailing duty allegation and associated exhibits",
        "the countervailing duty allegations and associated exhibits",
    ),
}

# The names document_context adds to the answers; the pack's templates may use these.
DERIVED_NAMES = frozenset(
    {
        "agree_verb",
        "bpi_volumes",
        "behalf_lead",
        "behalf_rest",
        "case_nos",
        "case_numbers",
        "coalition_short",
        "coalition_subject",
        "comma_before_from",
        "commerce_secretary_surname",
        "counsel_certification_date",
        "countries_text",
        "duties_text",
        "duties_title",
        "has_members",
        "itc_nos",
        "itc_numbers",
        "itc_secretary_surname",
        "letter_date",
        "member_count",
        "member_description",
        "member_role",
        "members_basis",
        "members_text",
        "petitioner_names",
        "petitioner_names_lines",
        "petitioner_noun",
        "petitioner_possessive",
        "petitions",
        "product_defined",
        "product_in_text",
        "representative_date",
        "representative_role",
        "reserve_verb",
        "sections_title",
        "standing_lead",
        "standing_rest",
        "statute_sections",
        "statute_usc",
        "version_marking",
        "volumes_paragraph",
    }
)


def document_context(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers plus every derived value the templates print (see DERIVED_NAMES).

    ``company_certifications`` comes back enriched: each item keeps its answers and gains
    ``employment``, ``companies`` and ``date_text``, which the company certification prints.
    """
    filing = section(answers, "filing")
    addressees = section(answers, "addressees")
    product = section(answers, "product")
    countries = _items(answers.get("countries"))
    petitioners = _items(answers.get("petitioners"))
    coalition = section(answers, "coalition")
    volumes = _items(answers.get("volumes"))

    case_numbers = order_case_numbers(countries)
    has_ad, has_cvd = _proceedings(countries, volumes)
    itc = _itc_numbers(section(answers, "itc"), has_ad, has_cvd)
    petitions = _petition_forms(len(case_numbers))
    product_name = _text(product.get("name"))

    context: dict[str, Any] = dict(answers)
    context.update(
        letter_date=_long_date(filing.get("date")),
        representative_date=_long_date(
            section(answers, "representative_certification").get("date")
        ),
        counsel_certification_date=_long_date(
            section(answers, "counsel_certification").get("date")
        ),
        commerce_secretary_surname=surname(_text(addressees.get("commerce_secretary"))),
        itc_secretary_surname=surname(_text(addressees.get("itc_secretary"))),
        case_nos="No." if len(case_numbers) == 1 else "Nos.",
        case_numbers=join_case_numbers(case_numbers),
        itc_nos="No." if len(itc) == 1 and not _is_range(itc[0]) else "Nos.",
        itc_numbers=join_case_numbers(itc),
        version_marking=VERSION_MARKINGS.get(
            _text(filing.get("version")), VERSION_MARKINGS["public"]
        ),
        bpi_volumes=bpi_volumes(volumes),
        petitions=petitions,
        duties_title=_duties(has_ad, has_cvd),
        duties_text=_duties(has_ad, has_cvd).lower(),
        sections_title=_sections_title(has_ad, has_cvd),
        statute_sections=_statute_sections(has_ad, has_cvd),
        statute_usc=_statute_usc(has_ad, has_cvd),
        product_in_text=_text(product.get("in_text")) or in_running_text(product_name),
        product_defined=product_defined(product, product_name),
        comma_before_from="," if "," in product_name else "",
        countries_text=join_and(_text(c.get("name")) for c in countries),
        volumes_paragraph=volumes_paragraph(volumes, petitions["noun"]),
        representative_role=_REPRESENTATIVE_ROLES.get(
            _text(section(answers, "representative_certification").get("capacity")), "counsel to"
        ),
    )
    if "company_certifications" in answers:
        context["company_certifications"] = [
            _company_certification(c) for c in _items(answers["company_certifications"])
        ]
    context.update(_petitioner_forms(petitioners, coalition))
    return context


def product_defined(product: Mapping[str, Any], product_name: str) -> str:
    """The product in running text with its short name defined after it, "crystalline silicon
    ... modules (“c-Si PV cells and modules”)"; without the definition when the short name is
    the same words ("mattresses", not "mattresses (“mattresses”)")."""
    in_text = _text(product.get("in_text")) or in_running_text(product_name)
    short = _text(product.get("short_name"))
    if not short or short.strip("“”\"' ").casefold() == in_text.casefold():
        return in_text
    return f"{in_text} (“{short}”)"


@reads("product.name")
def product_in_text(answers: dict[str, Any]) -> str | None:
    """The suggestion for ``product.in_text``: the title as running text; None without a title."""
    name = _text(section(answers, "product").get("name"))
    return in_running_text(name) if name else None


def session_title(answers: dict[str, Any]) -> str:
    """``"Crystalline Silicon ... Modules, from Cambodia, ... (2024-04-24)"``; what is known so far.

    Gives "Untitled petition" while neither the product nor a country is answered.
    """
    product = _text(section(answers, "product").get("name"))
    countries = join_and(_text(c.get("name")) for c in _items(answers.get("countries")))
    if product and countries:
        title = f"{product}{',' if ',' in product else ''} from {countries}"
    else:
        title = product or (f"Petition against {countries}" if countries else "Untitled petition")
    date = parse_iso_date(section(answers, "filing").get("date"))
    return f"{title} ({date.isoformat()})" if date else title


# --- the BPI lists and the volumes ----------------------------------------------------------


def bpi_volumes(volumes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The volumes holding BPI, each with its header summary and its numbered list items."""
    out = []
    for volume in volumes:
        items = _items(volume.get("bpi_items"))
        if volume.get("has_bpi") is not True or not items:
            continue
        out.append(
            {
                "numeral": _text(volume.get("numeral")),
                "title": _text(volume.get("title")),
                "summary": format_citation(summarize_volume(items)),
                "entries": [
                    {
                        "number": number,
                        "paragraph": item.get("paragraph"),
                        "citation": format_citation(item_citation(item)),
                        "category": _category(item).text if _category(item) else "",
                        "regulation": _category(item).regulation if _category(item) else "",
                    }
                    for number, item in enumerate(items, start=1)
                ],
            }
        )
    return out


def _category(item: Mapping[str, Any]) -> BpiCategory | None:
    try:
        return category(item.get("paragraph"))  # type: ignore[arg-type]
    except UnknownCategory:
        return None


def volumes_paragraph(
    volumes: Sequence[Mapping[str, Any]], petitions_noun: str = "petitions"
) -> str:
    """The letter's description of the volumes, from their kinds and which hold BPI.

    "Volume I of the petitions contains general information ... Volumes II through V contain
    the antidumping duty allegations ... There are business proprietary and public versions of
    Volumes I through V. Volumes VI through IX do not contain any business proprietary
    information and are being submitted as public documents."
    """
    sentences = []
    for kind in ("general", "AD", "CVD"):
        numerals = [_text(v.get("numeral")) for v in volumes if v.get("kind") == kind]
        if not numerals:
            continue
        one = len(numerals) == 1
        subject = volume_reference(numerals)
        if not sentences:
            subject += f" of the {petitions_noun}"
        contents = _VOLUME_CONTENTS[kind][0 if one else 1]
        sentences.append(f"{subject} {'contains' if one else 'contain'} {contents}.")
    with_bpi = [_text(v.get("numeral")) for v in volumes if v.get("has_bpi") is True]
    public = [_text(v.get("numeral")) for v in volumes if v.get("has_bpi") is not True]
    if with_bpi:
        sentences.append(
            f"There are business proprietary and public versions of {volume_reference(with_bpi)}."
        )
    if public:
        if len(public) == 1:
            rest = "does not contain any business proprietary information and is being submitted as a public document"
        else:
            rest = "do not contain any business proprietary information and are being submitted as public documents"
        sentences.append(f"{volume_reference(public)} {rest}.")
    return " ".join(sentences)


def volume_reference(numerals: Sequence[str]) -> str:
    """``["II", "III", "IV", "V"]`` → "Volumes II through V"; ``["I"]`` → "Volume I".

    Runs of three or more consecutive volumes are written "X through Y"; the rest are listed.
    """
    if not numerals:
        return ""
    parts: list[str] = []
    for run in _runs(numerals):
        if len(run) >= 3:
            parts.append(f"{run[0]} through {run[-1]}")
        else:
            parts.extend(run)
    return f"{'Volume' if len(numerals) == 1 else 'Volumes'} {join_and(parts)}"


def _runs(numerals: Sequence[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    previous = None
    for numeral in numerals:
        try:
            value = roman_to_int(numeral)
        except NumeralError:
            value = None
        if runs and value is not None and previous is not None and value == previous + 1:
            runs[-1].append(numeral)
        else:
            runs.append([numeral])
        previous = value
    return runs


# --- petitioners -----------------------------------------------------------------------------


def _petitioner_forms(
    petitioners: list[Mapping[str, Any]], coalition: Mapping[str, Any]
) -> dict[str, Any]:
    several = len(petitioners) > 1
    names = [_text(p.get("name")) for p in petitioners]
    members = [_text(m.get("name")) for m in _items(coalition.get("members"))]
    has_members = coalition.get("has_members") is True and bool(members) and bool(petitioners)

    # The letter calls the petitioner "Petitioner" from here on: one petitioner is defined so
    # in the same parentheses as its short name, several are "collectively, Petitioners".
    defined = [_defined_name(p, also="" if several else "Petitioner") for p in petitioners]
    behalf = (
        "On behalf of "
        + join_and(defined)
        + (" (collectively, “Petitioners”)" if several else "")
        + ","
    )
    if has_members and several:
        # Footnote 1 names the members of the first petitioner, so it follows that name.
        lead = "On behalf of " + defined[0]
        behalf_lead, behalf_rest = lead, behalf[len(lead) :]
    else:
        behalf_lead, behalf_rest = behalf, ""

    sentences = [_standing(p) for p in petitioners]
    first = petitioners[0] if petitioners else {}
    short = _text(first.get("short_name")) or _text(first.get("name"))
    members_basis = _text(coalition.get("members_basis"))
    if has_members:
        # "The members of the American Alliance ..." — the letter lowercases a leading "The".
        sentences[0] = (
            f"The members of {_lowercase_leading_the(_text(first.get('name')))} are "
            f"{_MEMBERS_ARE.get(members_basis, _MEMBERS_ARE['C'])} and thus {short} is an "
            f"“interested party” within the meaning of 19 U.S.C. § 1677(9)({_text(first.get('basis'))})."
        )
        standing_lead, standing_rest = sentences[0], "".join(" " + s for s in sentences[1:])
    else:
        standing_lead, standing_rest = " ".join(sentences), ""

    return {
        "petitioner_noun": "Petitioners" if several else "Petitioner",
        "petitioner_possessive": "Petitioners’" if several else "Petitioner’s",
        "agree_verb": "agree" if several else "agrees",
        "reserve_verb": "reserve" if several else "reserves",
        "petitioner_names": join_and(names),
        "petitioner_names_lines": "\n".join(names),
        "behalf_lead": behalf_lead,
        "behalf_rest": behalf_rest,
        "standing_lead": standing_lead,
        "standing_rest": standing_rest,
        "has_members": has_members,
        "coalition_subject": _capitalise(short) if has_members else "",
        "coalition_short": short if has_members else "",
        # Digits, as the letter writes it: "comprised of 4 U.S. producers".
        "member_count": len(members) if has_members else 0,
        "member_description": _text(coalition.get("member_description")) if has_members else "",
        # The footnote ends the list with its own full stop: "..., Inc." must not become "Inc..".
        "members_text": join_and(members).removesuffix(".") if has_members else "",
        "member_role": _MEMBER_ROLES.get(members_basis, "producer") if has_members else "",
        "members_basis": members_basis if has_members else "",
    }


def _defined_name(petitioner: Mapping[str, Any], also: str = "") -> str:
    name, short = _text(petitioner.get("name")), _text(petitioner.get("short_name"))
    terms = [f"“{term}”" for term in (short, also) if term and term.casefold() != name.casefold()]
    return f"{name} ({' or '.join(terms)})" if terms else name


def _standing(petitioner: Mapping[str, Any]) -> str:
    short = _text(petitioner.get("short_name")) or _text(petitioner.get("name"))
    basis = _text(petitioner.get("basis"))
    return (
        f"{_capitalise(short)} is {_PETITIONER_IS.get(basis, _PETITIONER_IS['C'])} and thus is an "
        f"“interested party” within the meaning of 19 U.S.C. § 1677(9)({basis})."
    )


def _company_certification(item: Mapping[str, Any]) -> dict[str, Any]:
    title, company, represents = (_text(item.get(k)) for k in ("title", "company", "represents"))
    if represents:
        employment = f"{title} of {company} and representing {represents}"
        companies = f"{company} and {represents}"
    else:
        # "Founder, President, and Chief Executive Officer, by Convalt Energy": a title that
        # holds commas is closed by one, as in the 2024 certification.
        employment = f"{title}{',' if ',' in title else ''} by {company}"
        companies = company
    return {
        **item,
        "employment": employment,
        "companies": companies,
        "date_text": _long_date(item.get("date")),
    }


# --- the petitions and the statute -----------------------------------------------------------


def _petition_forms(count: int) -> dict[str, str]:
    if count == 1:
        return {"noun": "petition", "title": "Petition", "are": "is", "these": "this petition"}
    return {"noun": "petitions", "title": "Petitions", "are": "are", "these": "these petitions"}


def _proceedings(
    countries: list[Mapping[str, Any]], volumes: list[Mapping[str, Any]]
) -> tuple[bool, bool]:
    """Whether the filing has antidumping and countervailing duty petitions: from the case
    numbers, or from the kinds of the volumes while no case number is known."""
    has_ad = any(_text(c.get("ad_case")) for c in countries)
    has_cvd = any(_text(c.get("cvd_case")) for c in countries)
    if has_ad or has_cvd:
        return has_ad, has_cvd
    kinds = {v.get("kind") for v in volumes}
    return "AD" in kinds, "CVD" in kinds


def _duties(has_ad: bool, has_cvd: bool) -> str:
    if has_ad and not has_cvd:
        return "Antidumping Duties"
    if has_cvd and not has_ad:
        return "Countervailing Duties"
    return "Antidumping and Countervailing Duties"


def _sections_title(has_ad: bool, has_cvd: bool) -> str:
    if has_ad and not has_cvd:
        return "Section 731"
    if has_cvd and not has_ad:
        return "Section 701"
    return "Sections 701 and 731"


def _statute_sections(has_ad: bool, has_cvd: bool) -> str:
    if has_ad and not has_cvd:
        return "sections 731 and 732(b)"
    if has_cvd and not has_ad:
        return "sections 701 and 702(b)"
    return "sections 701, 702(b), 731, and 732(b)"


def _statute_usc(has_ad: bool, has_cvd: bool) -> str:
    if has_ad and not has_cvd:
        return "19 U.S.C. §§ 1673 and 1673a(b)"
    if has_cvd and not has_ad:
        return "19 U.S.C. §§ 1671 and 1671a(b)"
    # Without a comma before "and", as the 2024 letter writes this list.
    return "19 U.S.C. §§ 1671, 1671a(b), 1673 and 1673a(b)"


def _itc_numbers(itc: Mapping[str, Any], has_ad: bool, has_cvd: bool) -> list[str]:
    both = not has_ad and not has_cvd
    numbers = []
    if has_cvd or both:
        numbers.append(_text(itc.get("cvd_numbers")))
    if has_ad or both:
        numbers.append(_text(itc.get("ad_numbers")))
    return [n for n in numbers if n]


def _is_range(itc_number: str) -> bool:
    return itc_number.count("-") >= 3


# --- words -----------------------------------------------------------------------------------


def join_and(items: Iterable[str]) -> str:
    """``["A", "B", "C"]`` → "A, B, and C"; two give "A and B"; empty items are skipped."""
    return join_case_numbers(item for item in items if item)


def in_running_text(title: str) -> str:
    """A product's title as running text: capitalised words lowered, acronyms kept.

    "Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into Modules" →
    "crystalline silicon photovoltaic cells, whether or not assembled into modules"; "PV" and
    "c-Si" stay as they are.
    """
    return " ".join(
        "-".join(part.lower() if _capitalised(part) else part for part in word.split("-"))
        if _capitalised(word.split("-")[0])
        else word
        for word in title.split(" ")
    )


def _capitalised(word: str) -> bool:
    """ "Cells," and "Rolled" are capitalised words; "PV", "c", "A" and "3D" are not."""
    return (
        len(word) > 1
        and word[0].isupper()
        and word[1:] == word[1:].lower()
        and word[1:] != word[1:].upper()
    )


def _lowercase_leading_the(name: str) -> str:
    return "the" + name[3:] if name.startswith("The ") else name


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _long_date(value: Any) -> str:
    day = parse_iso_date(value)
    return long_date(day) if day else ""


def _text(value: Any) -> str:
    return text(value) or ""


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [item for _, item in entries(value)]

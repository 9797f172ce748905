"""The signature block under "Respectfully submitted," and the economic consultants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adcvd_petition.importing.findings import Findings
from adcvd_petition.importing.layout import Letter
from adcvd_petition.importing.wording import is_capitals, prefer_spelling, strip_esquire, telephone

_FIRM_WORDS = re.compile(
    r"\b(?:LLP|LLC|PLLC|L\.L\.P\.|P\.C\.|Associates|Law|Group)\b", re.IGNORECASE
)
_NOT_A_NAME = re.compile(r"^(?:/s/\s*)?$|:$|^Counsel to\b|^On behalf of\b", re.IGNORECASE)
_ADDRESS_LINES = 6
# Names, a firm and an address are short; a longer line is a paragraph of prose.
_LONGEST_LINE = 100


def read_counsel(letter: Letter, found: Findings, firm_spellings: list[str]) -> None:
    if not letter.has_closing:
        for field in ("firm", "address", "telephone", "attorneys"):
            found.missing(f"counsel.{field}", 'no signature block after "Respectfully submitted,"')
        return
    block = _block(letter.signature)
    if block.people:
        found.put("counsel.attorneys", [{"name": name} for name in block.people])
    else:
        found.missing("counsel.attorneys", 'no attorneys named under "Respectfully submitted,"')
    _record_firm(block, "counsel", "the firm's", firm_spellings, found)


def read_consultants(letter: Letter, found: Findings) -> None:
    if not letter.consultants:
        if letter.has_closing and (
            letter.company_certifications or letter.representative_certification
        ):
            # The whole signature page was read and names no consultants.
            found.put("consultants.included", False)
        else:
            found.missing(
                "consultants.included",
                'no "ECONOMIC CONSULTANTS:" block after the signature (the letter may end '
                "before it)",
            )
        return
    found.put("consultants.included", True)
    block = _block(letter.consultants)
    if block.people:
        found.put("consultants.people", [{"name": name} for name in block.people])
    else:
        found.missing("consultants.people", 'no names under "ECONOMIC CONSULTANTS:"')
    _record_firm(block, "consultants", "the consulting firm's", [], found)


@dataclass
class _Block:
    people: list[str] = field(default_factory=list)
    firm: str | None = None
    address: list[str] = field(default_factory=list)
    telephone: str | None = None


def _block(lines: tuple[str, ...]) -> _Block:
    """People's names, then the firm (in capitals), its address and its telephone number."""
    block = _Block()
    index = 0
    content = list(lines)
    while index < len(content):
        line = content[index]
        index += 1
        if not line:
            continue
        if len(line) > _LONGEST_LINE:
            break  # prose: the block has ended
        if is_capitals(line) or (_FIRM_WORDS.search(line) and block.people):
            block.firm = line
            break
        if _NOT_A_NAME.search(line) or telephone(line):
            continue
        block.people.append(strip_esquire(re.sub(r"^/s/\s*", "", line)))
    if block.firm is None:
        return block
    for line in content[index : index + _ADDRESS_LINES + 1]:
        number = telephone(line)
        if number:
            block.telephone = number
            break
        if (
            not line
            or line.endswith(":")
            or is_capitals(line)
            or line.startswith("Counsel to")
            or len(line) > _LONGEST_LINE
        ):
            break
        block.address.append(line)
    return block


def _record_firm(
    block: _Block, base: str, whose: str, spellings: list[str], found: Findings
) -> None:
    if block.firm is None:
        found.missing(
            f"{base}.firm", f"no firm name in capitals after the names in the {base} block"
        )
        found.missing(f"{base}.address", "no firm, so no address")
        found.missing(f"{base}.telephone", "no firm, so no telephone number")
        return
    found.put(f"{base}.firm", prefer_spelling(block.firm, spellings))
    if block.address:
        found.put(f"{base}.address", "\n".join(block.address))
    else:
        found.missing(f"{base}.address", f"no address under {whose} name")
    if block.telephone:
        found.put(f"{base}.telephone", block.telephone)
    else:
        found.missing(f"{base}.telephone", f"no telephone number after {whose} address")

"""The 2024 answers reproduce the 2024 cover letter and its certifications, paragraph by paragraph.

The reference is the public text of the real letter (tests/fixtures/reference). Both sides are read
as text: the reference's markdown markers (*, **, "- "), footnote lines and superscripts are
taken out, quotes are made straight and runs of whitespace and of underscores are collapsed.
Then every paragraph must match, except for the differences listed in ALLOWED_DIFFERENCES —
and each of those must still be found in the reference exactly once, so the list cannot go
stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests import support
from tests.conftest import LETTER_2024
from tests.rendering.conftest import Packet
from tests.support import reading_order

REFERENCE = LETTER_2024

HEADINGS = ("COMPANY CERTIFICATION", "REPRESENTATIVE CERTIFICATION", "CERTIFICATION OF COUNSEL")
SECTIONS = (
    "letter",
    "company-1",
    "company-2",
    "company-3",
    "company-4",
    "representative",
    "counsel",
)


@dataclass(frozen=True)
class Difference:
    section: str
    reference: str
    generated: str  # "" drops the reference's paragraph
    why: str


# Everything the generated packet may say differently from the 2024 reference. Anything else
# that differs is a bug.
ALLOWED_DIFFERENCES = (
    # (a) The representative certification's capacity was left blank in 2024.
    Difference(
        "representative",
        "In my capacity as, I certify",
        "In my capacity as counsel, I certify",
        "the blank capacity is filled from the answers (19 C.F.R. § 351.303(g)(2))",
    ),
    # (b) Item (3) of Volume I cited Exhibit I-24, which is in neither the header summary nor
    # the catch-all (11) list; the corrected answers drop it.
    Difference(
        "letter",
        "(3) Pages 43, 44, and Exhibits I-24, I-33:",
        "(3) Pages 43, 44, and Exhibit I-33:",
        "Exhibit I-24 removed from Volume I item (3), (c)(5)",
    ),
    # (c) Grammar the letter got wrong, made right for its one petitioner.
    Difference(
        "letter",
        "Petitioners Business Proprietary Information Removed",
        "Petitioner's Business Proprietary Information Removed",
        "possessive of the one petitioner",
    ),
    Difference(
        "letter",
        '("the Committee"), we hereby submit',
        '("the Committee" or "Petitioner"), we hereby submit',
        "the letter says Petitioner from here on, so it defines the word",
    ),
    Difference(
        "letter",
        "Petitioner agree in principle",
        "Petitioner agrees in principle",
        "verb agreement",
    ),
    Difference(
        "letter",
        "Petitioner respectfully reserve the right",
        "Petitioner respectfully reserves the right",
        "verb agreement",
    ),
    # (d) Sworn text: the certification of counsel is made under penalty of perjury, so the
    # two slips of the 2024 original are not copied into it.
    Difference(
        "counsel",
        "I, further certify that",
        "I further certify that",
        "no comma between the subject and its verb in sworn text",
    ),
    Difference(
        "counsel",
        "to the best of my information and belief",
        "to the best of my information and belief.",
        "the declaration under 28 U.S.C. § 1746 ends with a full stop",
    ),
    # (e) Page one as filed: the marking is at the top right of every page (the page header),
    # no longer a line of the case block in the body.
    Difference(
        "letter",
        "V-22, V-24, V-26, V-32 PUBLIC VERSION",
        "V-22, V-24, V-26, V-32",
        "the marking moves into page one's header, at the top right",
    ),
    # (f) E-signature artefacts, and the space left for a hand signature, become a plain
    # signature line: "Signature: ___" above the printed name.
    Difference(
        "company-1",
        "Signature: Hari Achuthan Hari Achuthan (Apr 15, 2024 11:58 EDT) Hari Achuthan",
        "Signature: ___ Hari Achuthan",
        "Adobe Sign stamp replaced by a signature line",
    ),
    Difference(
        "company-3",
        "Digitally signed by John Kao (signed by HQCA Legal)",
        "",
        "digital-signature stamp removed",
    ),
    Difference(
        "representative",
        "Signature: Timothy C. Brightbill",
        "Signature: ___ Timothy C. Brightbill",
        "the blank after 'Signature:' becomes a signature line",
    ),
    Difference(
        "counsel",
        "Timothy C. Brightbill",
        "Signature: ___ Timothy C. Brightbill",
        "the space left for the signature becomes a signature line",
    ),
)

# Where the text of the PDF breaks a paragraph at a page end (with the footnote between the
# halves): the end of the first half.
PAGE_BREAK_SPLITS = ("from Cambodia, Malaysia,",)

FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def normalise(text: str) -> str:
    # Quotes and spaces as in tests.support, and a signature line of any length as three.
    return re.sub(r"_{3,}", "___", support.normalise(re.sub(r"\s+", " ", text)))


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^\s*- ", "", line)
    return line.replace("**", "").replace("*", "")


def read_reference() -> tuple[dict[str, list[str]], list[str]]:
    """The reference's paragraphs by section, and its footnotes in order."""
    footnotes: list[str] = []
    blocks: list[str] = []
    current: list[str] = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        note = re.match(rf"^\s*[{FOOTNOTE_MARKS}]\s+(.*)$", line)
        if note:
            footnotes.append(normalise(note.group(1)))
            line = ""
        if line.startswith("- ") and current:
            # Each item of a BPI list is a paragraph of its own, though no blank line parts them.
            blocks.append(normalise(" ".join(current)))
            current = []
        if line.strip():
            current.append(_strip_markdown(line))
        elif current:
            blocks.append(normalise(" ".join(current)))
            current = []
    if current:
        blocks.append(normalise(" ".join(current)))
    blocks = [re.sub(rf"[{FOOTNOTE_MARKS}]", "", b) for b in blocks]

    joined: list[str] = []
    for block in blocks:
        if joined and joined[-1].endswith(PAGE_BREAK_SPLITS):
            joined[-1] += " " + block
        else:
            joined.append(block)

    sections: dict[str, list[str]] = {}
    names = iter(SECTIONS)
    name = next(names)
    for block in joined:
        if block in HEADINGS:
            name = next(names)
        sections.setdefault(name, []).append(block)
    return sections, footnotes


def apply_allowed_differences(sections: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {}
    for name, blocks in sections.items():
        differences = [d for d in ALLOWED_DIFFERENCES if d.section == name]
        for difference in differences:
            # A whole paragraph, or else a piece of one; either way it must be there once.
            whole = sum(block == difference.reference for block in blocks)
            found = whole or sum(block.count(difference.reference) for block in blocks)
            assert found == 1, (
                f"{difference.why}: {difference.reference!r} is in {name} {found} times, not once"
            )
            if whole:
                blocks = [difference.generated if b == difference.reference else b for b in blocks]
            else:
                blocks = [b.replace(difference.reference, difference.generated) for b in blocks]
        out[name] = [b for b in blocks if b]
    return out


def docx_paragraphs(content: bytes) -> list[str]:
    return [text for p in reading_order(content) if (text := normalise(p.text))]


def align(expected: list[str], paragraphs: list[str]) -> list[str]:
    """The generated paragraphs grouped as the reference groups lines into paragraphs.

    The reference runs some blocks together (an address, the case-number block); where a
    generated paragraph is a prefix of the expected one, the next is joined to it.
    """
    out: list[str] = []
    index = 0
    for block in expected:
        if index >= len(paragraphs):
            break
        text = paragraphs[index]
        index += 1
        while len(text) < len(block) and index < len(paragraphs) and block.startswith(text + " "):
            text += " " + paragraphs[index]
            index += 1
        out.append(text)
    return out + paragraphs[index:]


@pytest.fixture(scope="module")
def reference() -> tuple[dict[str, list[str]], list[str]]:
    if not REFERENCE.is_file():
        pytest.fail(f"the 2024 reference letter is expected at {REFERENCE}", pytrace=False)
    sections, footnotes = read_reference()
    return apply_allowed_differences(sections), footnotes


def generated_sections(packet: Packet) -> dict[str, bytes]:
    companies = packet["company-certification.docx"]
    return {
        "letter": packet["cover-letter.docx"][0],
        **{f"company-{n}": content for n, content in enumerate(companies, start=1)},
        "representative": packet["representative-certification.docx"][0],
        "counsel": packet["counsel-certification.docx"][0],
    }


class TestReferenceLetter:
    def test_the_reference_reads_as_expected(self, reference):
        sections, footnotes = reference
        assert list(sections) == list(SECTIONS)
        assert sections["letter"][0] == "April 24, 2024"
        assert len(footnotes) == 2

    @pytest.mark.parametrize("section", SECTIONS)
    def test_each_paragraph_matches(self, reference, packet_2024, section):
        expected = reference[0][section]
        generated = align(expected, docx_paragraphs(generated_sections(packet_2024)[section]))
        assert generated == expected

    def test_the_footnotes_match(self, reference, packet_2024):
        from tests.support import docx_footnotes

        _, footnotes = reference
        assert [
            normalise(n) for n in docx_footnotes(packet_2024["cover-letter.docx"][0])
        ] == footnotes

    def test_four_company_certifications_in_the_letters_order(self, packet_2024):
        assert len(packet_2024["company-certification.docx"]) == 4

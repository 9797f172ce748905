"""Splitting a letter into its parts, and taking footnotes out of the running text."""

from __future__ import annotations

from adcvd_petition.importing.layout import split_letter
from adcvd_petition.importing.source import Source

from tests.adcvd_petition.importing.letters import reference_lines


def letter_of(lines: list[str]):
    return split_letter(Source("text", lines=tuple(lines)))


class TestFootnotes:
    def test_a_footnote_that_cuts_a_sentence_is_taken_out_and_the_sentence_joined(self) -> None:
        letter = letter_of(
            [
                "Dear x:",
                "",
                "from Cambodia, Malaysia,",
                "",
                "¹ The Committee is ...",
                "",
                "Thailand, and Vietnam.",
            ]
        )
        assert letter.footnotes == ("The Committee is ...",)
        assert "from Cambodia, Malaysia, Thailand, and Vietnam." in letter.body

    def test_a_footnote_after_a_full_sentence_leaves_paragraphs_apart(self) -> None:
        letter = letter_of(["Dear x:", "One.", "² Note.", "Two."])
        assert letter.footnotes == ("Note.",)
        assert letter.body == ("Dear x:", "One.", "Two.")

    def test_footnote_markers_leave_the_text(self) -> None:
        letter = letter_of(["Dear x:", "the Committee”),¹ we hereby"])
        assert letter.body[1] == "the Committee”), we hereby"


class TestParts:
    def test_the_2024_letter(self) -> None:
        letter = letter_of(reference_lines())
        assert letter.heading[2] == "April 24, 2024"
        assert letter.re_line is not None and letter.re_line.startswith("Re: Crystalline Silicon")
        assert next(line for line in letter.body if line).startswith("Dear Secretary Raimondo")
        assert next(line for line in letter.signature if line) == "Timothy C. Brightbill, Esq."
        assert next(line for line in letter.consultants if line) == "Richard F. DiDonna"
        assert len(letter.company_certifications) == 4
        assert letter.representative_certification is not None
        assert letter.counsel_certification is not None
        assert len(letter.footnotes) == 2

    def test_nothing_but_certifications(self) -> None:
        letter = letter_of(
            ["COMPANY CERTIFICATION", "I, A, currently employed as B by C, certify that"]
        )
        assert letter.heading == () and letter.re_line is None and letter.body == ()
        assert letter.company_certifications == (
            ("I, A, currently employed as B by C, certify that",),
        )

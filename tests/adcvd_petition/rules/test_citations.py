from __future__ import annotations

import re

import pytest
from adcvd_petition.rules.citations import (
    Citation,
    CitationError,
    format_citation,
    format_pages,
    item_citation,
    parse_citation,
    parse_exhibits,
    parse_pages,
    summarize_volume,
    union,
)

from .letter_2024 import ALL_CITATIONS, HEADER, ITEMS

# "Pages 3, 4, 6-9, Exhibit List, and ..." -> "3, 4, 6-9", for every citation that has pages.
LETTER_PAGE_LISTS = [
    re.split(r", (?:and )?Exhibit", text)[0].split(" ", 1)[1]
    for text in ALL_CITATIONS
    if text.startswith("Page")
]


class TestParsePages:
    @pytest.mark.parametrize(
        ("text", "pages"),
        [
            ("3, 4, 6-9", [3, 4, 6, 7, 8, 9]),
            ("Pages 3 and 4", [3, 4]),
            ("p. 3", [3]),
            ("pp. 6 - 9", [6, 7, 8, 9]),
            ("Page 23", [23]),
            ("6\u20139", [6, 7, 8, 9]),
            ("6 \u2013 9", [6, 7, 8, 9]),
            ("6 to 8", [6, 7, 8]),
            ("  9, 3 ,3 , 4  ", [3, 4, 9]),
            ("3 4 5", [3, 4, 5]),
            ("Pages 3, 4, and 6-9", [3, 4, 6, 7, 8, 9]),
            ("7-7", [7]),
            ("", []),
            ("   ", []),
        ],
    )
    def test_reads_what_lawyers_write(self, text: str, pages: list[int]) -> None:
        assert parse_pages(text) == pages

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("6-2", "'6-2' is a range that runs backwards"),
            ("0", "'0': pages are numbered from 1"),
            ("3, abc", "'abc' is not a page or an exhibit"),
            ("3a", "'3a' is not a page or an exhibit"),
            ("6-9-12", "'6-9-12' is not a page or an exhibit"),
            ("I-3", "'I-3' is an exhibit, not a page"),
            ("Exhibit List", "the Exhibit List cannot be given here, only pages"),
            ("Exhibits 3", "an exhibit cannot be given here, only pages"),
            ("1-200000", "'1-200000': no petition has more than 100000 pages"),
        ],
    )
    def test_refuses_nonsense_in_plain_words(self, text: str, message: str) -> None:
        with pytest.raises(CitationError) as raised:
            parse_pages(text)
        assert str(raised.value) == message

    def test_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError):
            parse_pages("6-2")


class TestParseExhibits:
    @pytest.mark.parametrize(
        ("text", "numeral", "exhibits"),
        [
            ("I-3, I-4, Exhibits I-7", None, ["I-3", "I-4", "I-7"]),
            ("3, 4", "I", ["I-3", "I-4"]),
            ("Exhibits 3 and 4", "II", ["II-3", "II-4"]),
            ("I-3 to I-5", None, ["I-3", "I-4", "I-5"]),
            ("I-3 to I-3", None, ["I-3"]),
            ("I-3-I-5", None, ["I-3", "I-4", "I-5"]),
            ("I-3 \u2013 I-5", None, ["I-3", "I-4", "I-5"]),
            ("I-3-5", None, ["I-3", "I-4", "I-5"]),
            ("3-5", "IV", ["IV-3", "IV-4", "IV-5"]),
            ("I-25, I-3, I-33, I-3", None, ["I-3", "I-25", "I-33"]),
            ("i-03", None, ["I-3"]),
            ("Exh. I-3", None, ["I-3"]),
            ("Ex. I-3", None, ["I-3"]),
            ("II-1, I-2", None, ["I-2", "II-1"]),
            ("II-4", "I", ["II-4"]),
            ("", "I", []),
        ],
    )
    def test_reads_exhibits(self, text: str, numeral: str | None, exhibits: list[str]) -> None:
        assert parse_exhibits(text, numeral) == exhibits

    @pytest.mark.parametrize(
        ("text", "numeral", "message"),
        [
            ("3", None, "'3' has no volume numeral; write the exhibit as, for example, I-3"),
            ("I-5-I-3", None, "'I-5-I-3' is a range that runs backwards"),
            ("I-3-II-5", None, "'I-3-II-5' is a range that runs from one volume into another"),
            ("IIII-3", None, "'IIII' is not a Roman numeral written the usual way"),
            ("I-0", None, "'I-0': exhibits are numbered from 1"),
            ("I-0 to I-5", None, "'I-0-I-5': exhibits are numbered from 1"),
            ("I-3 to I-10000", None, "'I-3-I-10000': exhibit numbers have at most four digits"),
            ("I-10000", None, "'I-10000': exhibit numbers have at most four digits"),
            ("Exhibit List", "I", "the Exhibit List cannot be given here, only exhibits"),
            ("Pages 3", "I", "pages cannot be given here, only exhibits"),
            ("I-3, foo", None, "'foo' is not a page or an exhibit"),
            ("I-3, foo, I-4", None, "'foo' is not a page or an exhibit"),
            ("3", "Q", "'Q' is not a Roman numeral"),
        ],
    )
    def test_refuses_nonsense(self, text: str, numeral: str | None, message: str) -> None:
        with pytest.raises(CitationError) as raised:
            parse_exhibits(text, numeral)
        assert str(raised.value) == message


class TestParseCitation:
    @pytest.mark.parametrize(
        ("text", "citation"),
        [
            (
                "Pages 3, 4, 6-9, Exhibit List, and Exhibits I-3, I-4",
                Citation((3, 4, 6, 7, 8, 9), True, ("I-3", "I-4")),
            ),
            ("Page 23, and Exhibits II-1, II-18", Citation((23,), False, ("II-1", "II-18"))),
            ("Exhibit I-33", Citation((), False, ("I-33",))),
            ("Pages 43, 44, and Exhibits I-24, I-33", Citation((43, 44), False, ("I-24", "I-33"))),
            ("Exhibit List", Citation((), True, ())),
            ("the Exhibit List and pages 3-4", Citation((3, 4), True, ())),
            ("p. 5, Exhibits 2, 3", Citation((5,), False, ("I-2", "I-3"))),
            ("", Citation()),
        ],
    )
    def test_reads_whole_citations(self, text: str, citation: Citation) -> None:
        assert parse_citation(text, numeral="I") == citation

    def test_bare_exhibit_numbers_need_a_numeral(self) -> None:
        with pytest.raises(CitationError, match="has no volume numeral"):
            parse_citation("Exhibits 2, 3")

    @pytest.mark.parametrize("text", ALL_CITATIONS)
    def test_every_citation_of_the_2024_letter_round_trips(self, text: str) -> None:
        assert format_citation(parse_citation(text)) == text


class TestCitation:
    def test_sorts_and_dedupes_whatever_it_is_given(self) -> None:
        citation = Citation((9, 3, 3), False, ("I-25", "I-3", "I-3"))
        assert citation.pages == (3, 9)
        assert citation.exhibits == ("I-3", "I-25")
        assert citation == Citation((3, 9), False, ("I-3", "I-25"))

    def test_is_empty(self) -> None:
        assert Citation().is_empty
        assert not Citation(exhibit_list=True).is_empty

    def test_covers(self) -> None:
        big = Citation((1, 2, 3), True, ("I-1", "I-2"))
        assert big.covers(Citation((2,), True, ("I-2",)))
        assert not big.covers(Citation((4,), False, ()))
        assert not Citation((1,)).covers(Citation(exhibit_list=True))
        assert not big.covers(Citation(exhibits=("I-24",)))

    def test_a_citation_covers_the_same_citation(self) -> None:
        # The public version's item cites exactly what the BPI version's does.
        cited = parse_citation("Pages 43, 44, and Exhibits I-24, I-33")
        assert cited.covers(parse_citation("Exhibits I-33, I-24, and Pages 44, 43"))


class TestFormatPages:
    @pytest.mark.parametrize(
        ("pages", "text"),
        [
            (
                [3, 4, 6, 7, 10, 11, 23, 26, 27, 36, 37, 38, 39, *range(42, 50), 51, 55],
                "3, 4, 6, 7, 10, 11, 23, 26, 27, 36-39, 42-49, 51, 55",
            ),
            ([1, 3, 4, 5, 7, 9, 10, 11, 12], "1, 3-5, 7, 9-12"),
            ([6, 7], "6, 7"),
            ([8, 6, 7], "6-8"),
            ([5, 5, 5], "5"),
            ([], ""),
        ],
    )
    def test_compresses_runs_of_three_or_more(self, pages: list[int], text: str) -> None:
        assert format_pages(pages) == text

    @pytest.mark.parametrize("printed", LETTER_PAGE_LISTS)
    def test_agrees_with_every_page_list_of_the_letter(self, printed: str) -> None:
        assert format_pages(parse_pages(printed)) == printed


class TestFormatCitation:
    @pytest.mark.parametrize(
        ("citation", "text"),
        [
            (Citation((23,)), "Page 23"),
            (Citation((1, 3)), "Pages 1, 3"),
            (Citation(exhibits=("I-33",)), "Exhibit I-33"),
            (Citation(exhibits=("I-33", "I-25")), "Exhibits I-25, I-33"),
            (Citation(exhibit_list=True), "Exhibit List"),
            (Citation((43, 44), False, ("I-24", "I-33")), "Pages 43, 44, and Exhibits I-24, I-33"),
            (Citation((3,), True), "Page 3, and Exhibit List"),
            (
                Citation((6, 7, 8, 9), True, ("I-4", "I-3")),
                "Pages 6-9, Exhibit List, and Exhibits I-3, I-4",
            ),
            (Citation(), ""),
        ],
    )
    def test_prints_as_the_letter_does(self, citation: Citation, text: str) -> None:
        assert format_citation(citation) == text


class TestUnion:
    def test_unions_pages_exhibits_and_the_exhibit_list(self) -> None:
        merged = union(
            [Citation((3,), False, ("I-4",)), Citation((1, 3), True, ("I-2",)), Citation()]
        )
        assert merged == Citation((1, 3), True, ("I-2", "I-4"))

    def test_of_nothing_is_empty(self) -> None:
        assert union([]).is_empty


class TestItemCitation:
    def test_reads_an_answer(self) -> None:
        item = {"paragraph": 5, "pages": [44, 43], "exhibit_list": False, "exhibits": ["I-33"]}
        assert item_citation(item) == Citation((43, 44), False, ("I-33",))

    def test_missing_keys_cite_nothing(self) -> None:
        assert item_citation({"paragraph": 5}).is_empty
        assert item_citation({"pages": None, "exhibits": None, "exhibit_list": None}).is_empty


class TestSummarizeVolume:
    @staticmethod
    def items(numeral: str) -> list[dict[str, object]]:
        out = []
        for paragraph, text in ITEMS[numeral]:
            citation = parse_citation(text)
            out.append(
                {
                    "paragraph": paragraph,
                    "pages": list(citation.pages),
                    "exhibit_list": citation.exhibit_list,
                    "exhibits": list(citation.exhibits),
                }
            )
        return out

    @pytest.mark.parametrize("numeral", ["II", "III", "IV", "V"])
    def test_gives_the_letters_header_summary(self, numeral: str) -> None:
        assert format_citation(summarize_volume(self.items(numeral))) == HEADER[numeral]

    def test_finds_the_letters_mistake_in_volume_one(self) -> None:
        summary = summarize_volume(self.items("I"))
        # The letter's header leaves out Exhibit I-24, cited only by item (3).
        assert "I-24" in summary.exhibits
        assert parse_citation(HEADER["I"]) == Citation(
            summary.pages, summary.exhibit_list, tuple(e for e in summary.exhibits if e != "I-24")
        )

    def test_of_no_items_is_empty(self) -> None:
        assert summarize_volume([]).is_empty


class TestListBudget:
    def test_a_range_bomb_is_refused_before_it_is_expanded(self) -> None:
        # 400 ranges of 100,000 pages: forty million ints if expanded first.
        with pytest.raises(CitationError, match="more than 5,000 pages"):
            parse_pages(", ".join(["1-100000"] * 400))

    def test_exhibits_cited_one_by_one_count_one_each(self) -> None:
        listed = ", ".join(f"I-{n}" for n in range(1, 2001))
        assert len(parse_exhibits(listed)) == 2000
        with pytest.raises(CitationError, match="more than 2,000 exhibits"):
            parse_exhibits(listed + ", I-2001")

    def test_a_list_of_exactly_the_limit_parses(self) -> None:
        assert len(parse_pages("1-2500, 2501-5000")) == 5000
        with pytest.raises(CitationError, match="more than 5,000 pages"):
            parse_pages("1-2500, 2501-5001")

    def test_exhibit_ranges_are_counted_too(self) -> None:
        assert len(parse_exhibits("I-1 to I-2000")) == 2000
        with pytest.raises(CitationError) as refused:
            parse_exhibits("I-1 to I-2001")
        assert str(refused.value) == (
            "the list names more than 2,000 exhibits; cite at most 2,000 exhibits in one list"
        )
        with pytest.raises(CitationError, match="more than 2,000 exhibits"):
            parse_exhibits("I-1 to I-9999, II-1 to II-9999")
        with pytest.raises(CitationError, match="more than 2,000 exhibits"):
            parse_citation("Exhibits " + ", ".join(["1-1500"] * 2), numeral="I")

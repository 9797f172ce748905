"""The generic filters and tests a data-only pack formats its documents with."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from service.rendering import DocxTemplateFile
from service.rendering.filters import (
    FILTERS,
    format_date,
    money,
    ordinal,
    paragraphs,
    plural,
    roman,
)


def _render(tmp_path, build, context) -> Document:
    document = Document()
    build(document)
    path = tmp_path / "t.docx"
    document.save(str(path))
    return Document(io.BytesIO(DocxTemplateFile(path).render(context)))


def _paragraph_template(tmp_path, text: str, context) -> list[str]:
    rendered = _render(tmp_path, lambda d: d.add_paragraph(text), context)
    return [p.text for p in rendered.paragraphs]


class TestDate:
    @pytest.mark.parametrize(
        ("style", "expected"),
        [
            ("long", "June 13, 2013"),
            ("short", "6-13-13"),
            ("slashes", "6/13/2013"),
            ("month_year", "June 2013"),
            ("day_month_year", "13 June 2013"),
            ("iso", "2013-06-13"),
        ],
    )
    def test_styles(self, style, expected):
        assert format_date("2013-06-13", style) == expected

    def test_takes_a_date_object_and_prints_nothing_for_none(self):
        assert format_date(dt.date(2013, 7, 2)) == "July 2, 2013"
        assert format_date(None) == ""

    def test_refuses_an_unknown_style_and_a_non_date(self):
        with pytest.raises(ValueError, match="date style 'fancy' is unknown"):
            format_date("2013-06-13", "fancy")
        with pytest.raises(ValueError, match="not a date"):
            format_date("13 June")


class TestJoin:
    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ([], ""),
            (["A"], "A"),
            (["A", "B"], "A and B"),
            (["A", "B", "C"], "A, B, and C"),
            (["213112", "213113", "213114"], "213112, 213113, and 213114"),
        ],
    )
    def test_and_with_the_serial_comma(self, values, expected):
        assert FILTERS["join_and"](values) == expected

    def test_or_and_without_the_serial_comma(self):
        assert FILTERS["join_or"](["A", "B", "C"]) == "A, B, or C"
        assert FILTERS["join_or"](["A", "B", "C"], serial_comma=False) == "A, B or C"

    def test_blank_items_are_left_out(self):
        assert FILTERS["join_and"](["A", None, "", "B"]) == "A and B"


class TestCounting:
    def test_plural_by_count_and_by_length(self):
        assert plural(1, "industry", "industries") == "industry"
        assert plural(3, "industry", "industries") == "industries"
        assert plural(0, "loan") == "loans"
        assert plural(["a"], "section") == "section"
        assert plural(["a", "b"], "section") == "sections"

    @pytest.mark.parametrize(
        ("n", "expected"),
        [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
         (13, "13th"), (21, "21st"), (102, "102nd"), (111, "111th")],
    )  # fmt: skip
    def test_ordinal(self, n, expected):
        assert ordinal(n) == expected

    @pytest.mark.parametrize(
        ("n", "expected"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (2013, "MMXIII")]
    )
    def test_roman(self, n, expected):
        assert roman(n) == expected
        assert roman(n, lower=True) == expected.lower()

    def test_roman_refuses_zero(self):
        with pytest.raises(ValueError, match="no roman numeral"):
            roman(0)

    @pytest.mark.parametrize(
        ("value", "args", "expected"),
        [
            (1234.5, (), "$1,234.50"),
            (35.5, (1,), "$35.5"),
            (7, (1,), "$7.0"),
            (2_000_000, (0,), "$2,000,000"),
            (0.125, (), "$0.13"),
            (-3, (), "-$3.00"),
            (12, (2, "€"), "€12.00"),
        ],
    )
    def test_money(self, value, args, expected):
        assert money(value, *args) == expected


class TestParagraphs:
    def test_blank_lines_separate_paragraphs_and_single_breaks_stay(self):
        parts = paragraphs("First line\nstill first.\n\n\nSecond.\n")
        assert len(parts) == 2
        assert parts[0].startswith("First line</w:t><w:br/>")

    def test_each_paragraph_of_an_answer_is_a_word_paragraph_with_the_style(self, tmp_path):
        def build(document):
            document.add_paragraph("{%p for para in text|paragraphs %}")
            document.add_paragraph("{{ para }}", style="Quote")
            document.add_paragraph("{%p endfor %}")
            document.add_paragraph("After.")

        text = "One & <two>.\n\nThree\nfour.\n\n\nFive {{ 7*7 }}."
        rendered = _render(tmp_path, build, {"text": text})
        got = [(p.text, p.style.name) for p in rendered.paragraphs]
        assert got == [
            ("One & <two>.", "Quote"),
            ("Three\nfour.", "Quote"),
            ("Five {{ 7*7 }}.", "Quote"),
            ("After.", "Normal"),
        ]


class TestInTemplates:
    def test_filters_print_in_a_template(self, tmp_path):
        text = (
            "{{ d|date }} / {{ d|date('short') }}; {{ codes|join_and }}; "
            "{{ codes|length }} {{ codes|plural('industry', 'industries') }}; "
            "{{ 2|ordinal }}; Part {{ 121|roman }}; {{ 35.5|money(1) }}"
            "{% if one is singular %}; one{% endif %}{% if none is blank %}; blank{% endif %}"
        )
        context = {"d": "2013-06-19", "codes": ["213112", "213113", "213114"], "one": ["x"]}
        assert _paragraph_template(tmp_path, text, context) == [
            (
                "June 19, 2013 / 6-19-13; 213112, 213113, and 213114; 3 industries; 2nd; "
                "Part CXXI; $35.5; one; blank"
            )
        ]

    def test_untrusted_text_stays_literal_through_every_filter(self, tmp_path):
        hostile = ["<w:p>&amp;", "{{ 7*7 }}", "{% for x in y %}"]
        text = "{{ names|join_and }}|{{ names|join_or }}|{{ one|plural(one, names[1]) }}"
        got = _paragraph_template(tmp_path, text, {"names": hostile, "one": 2})
        assert got == [
            (
                "<w:p>&amp;, {{ 7*7 }}, and {% for x in y %}|"
                "<w:p>&amp;, {{ 7*7 }}, or {% for x in y %}|{{ 7*7 }}"
            )
        ]

    def test_the_sandbox_still_refuses_unsafe_attributes(self, tmp_path):
        from service.rendering import RenderError

        document = Document()
        document.add_paragraph("{{ (1|money).__class__.__mro__ }}")
        path = tmp_path / "t.docx"
        document.save(str(path))
        with pytest.raises(RenderError, match="SecurityError|unsafe"):
            DocxTemplateFile(path).render({})

    def test_rows_of_a_table_repeat_from_a_list(self, tmp_path):
        def build(document):
            table = document.add_table(rows=3, cols=2)
            table.cell(0, 0).text = "{%tr for row in rows %}"
            table.cell(1, 0).text = "{{ row.code }}"
            table.cell(1, 1).text = "{{ row.size|money(1) }}"
            table.cell(2, 0).text = "{%tr endfor %}"

        rows = [{"code": "213112", "size": 35.5}, {"code": "<213113>", "size": 19}]
        rendered = _render(tmp_path, build, {"rows": rows})
        cells = [[c.text for c in r.cells] for r in rendered.tables[0].rows]
        assert cells == [["213112", "$35.5"], ["<213113>", "$19.0"]]

    def test_a_table_typed_as_lines_of_cells_fills_rows_and_columns(self, tmp_path):
        def build(document):
            table = document.add_table(rows=4, cols=3)
            for row, (first, middle) in enumerate(
                [("{%tc for c in header|cells %}", "{{ c }}"), ("{%tr for row in body|rows %}", ""),
                 ("{%tc for c in row %}", "{{ c }}"), ("{%tr endfor %}", "")]
            ):  # fmt: skip
                table.cell(row, 0).text = first
                table.cell(row, 1).text = middle
                table.cell(row, 2).text = "{%tc endfor %}" if middle else ""

        context = {
            "header": "NAICS code | Title | Size",
            "body": "213112 | Oil & Gas | $35.5\n\n213113 | <Coal> | {{ 1 }}\n",
        }
        rendered = _render(tmp_path, build, context)
        cells = [[c.text for c in r.cells] for r in rendered.tables[0].rows]
        assert cells == [
            ["NAICS code", "Title", "Size"],
            ["213112", "Oil & Gas", "$35.5"],
            ["213113", "<Coal>", "{{ 1 }}"],
        ]

    def test_rows_and_cells_take_lists_as_they_are(self):
        assert FILTERS["rows"]([["a", "b"], "c | d"]) == [["a", "b"], ["c", "d"]]
        assert FILTERS["cells"](["a | b"]) == ["a | b"]
        assert FILTERS["rows"](None) == []

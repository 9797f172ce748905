from __future__ import annotations

import pytest
from adcvd_petition.rules.case_numbers import (
    CaseNumberError,
    CommerceCase,
    ItcNumbers,
    consecutive,
    is_commerce_case,
    join_case_numbers,
    order_case_numbers,
    parse_commerce_case,
    parse_itc_numbers,
)

COUNTRIES_2024 = [
    {"name": "Cambodia", "ad_case": "A-555-003", "cvd_case": "C-555-004"},
    {"name": "Malaysia", "ad_case": "A-557-830", "cvd_case": "C-557-831"},
    {"name": "Thailand", "ad_case": "A-549-851", "cvd_case": "C-549-852"},
    {"name": "the Socialist Republic of Vietnam", "ad_case": "A-552-841", "cvd_case": "C-552-842"},
]


class TestParseCommerceCase:
    @pytest.mark.parametrize(
        ("text", "case"),
        [
            ("A-555-003", CommerceCase("AD", "555", 3)),
            ("C-552-842", CommerceCase("CVD", "552", 842)),
            (" a-570-016 ", CommerceCase("AD", "570", 16)),
            ("C\u2013549\u2013852", CommerceCase("CVD", "549", 852)),
        ],
    )
    def test_reads_case_numbers(self, text: str, case: CommerceCase) -> None:
        assert parse_commerce_case(text) == case

    @pytest.mark.parametrize(
        "text", ["", "B-555-003", "A-55-003", "A-555-03", "A555003", "A-555-0003", "701-TA-722"]
    )
    def test_refuses_other_shapes(self, text: str) -> None:
        with pytest.raises(CaseNumberError, match="is not a Commerce case number such as"):
            parse_commerce_case(text)

    def test_prints_back(self) -> None:
        assert str(CommerceCase("AD", "570", 16)) == "A-570-016"
        assert str(parse_commerce_case("C-555-004")) == "C-555-004"

    def test_is_commerce_case(self) -> None:
        assert is_commerce_case("A-555-003")
        assert not is_commerce_case("A-555")

    @pytest.mark.parametrize("value", [None, 555003, ["A-555-003"]])
    def test_an_answer_that_is_not_text_is_not_a_case_number(self, value: object) -> None:
        # Partial answers may hold anything until the schema has passed them.
        assert not is_commerce_case(value)  # type: ignore[arg-type]
        with pytest.raises(CaseNumberError) as refused:
            parse_itc_numbers(value)  # type: ignore[arg-type]
        assert str(refused.value) == (
            f"{value!r} is not an ITC investigation number such as 701-TA-722, "
            "731-TA-1690-1693 or the placeholder 701-TA-__"
        )


class TestConsecutive:
    @pytest.mark.parametrize(
        ("first", "second", "expected"),
        [
            ("A-555-003", "C-555-004", True),
            ("C-555-004", "A-555-003", True),
            ("A-570-999", "C-570-000", True),
            ("A-555-003", "C-555-005", False),
            ("A-555-003", "C-557-004", False),
            ("A-555-003", "C-555-003", False),
        ],
    )
    def test_neighbouring_serials_wrap_at_999(
        self, first: str, second: str, expected: bool
    ) -> None:
        assert consecutive(parse_commerce_case(first), parse_commerce_case(second)) is expected


class TestParseItcNumbers:
    @pytest.mark.parametrize(
        ("text", "numbers", "count"),
        [
            ("701-TA-__", ItcNumbers("CVD"), 0),
            ("731-TA-__", ItcNumbers("AD"), 0),
            ("701-TA-722", ItcNumbers("CVD", 722), 1),
            ("701-TA-722-725", ItcNumbers("CVD", 722, 725), 4),
            ("731-TA-1690-1693", ItcNumbers("AD", 1690, 1693), 4),
            ("731-ta-1690", ItcNumbers("AD", 1690), 1),
            # One country typed as a range of one: the same single investigation.
            ("731-TA-1690-1690", ItcNumbers("AD", 1690, 1690), 1),
        ],
    )
    def test_reads_numbers_ranges_and_the_placeholder(
        self, text: str, numbers: ItcNumbers, count: int
    ) -> None:
        parsed = parse_itc_numbers(text)
        assert parsed == numbers
        assert parsed.count == count
        assert parsed.assigned is (count > 0)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("701-TA-7220", "701-TA- numbers have 3 digits"),
            ("731-TA-169", "731-TA- numbers have 4 digits"),
            ("701-TA-725-722", "is a range that runs backwards"),
            ("702-TA-722", "is not an ITC investigation number"),
            ("A-555-003", "is not an ITC investigation number"),
            ("701-TA-", "is not an ITC investigation number"),
        ],
    )
    def test_refuses_what_the_commission_does_not_write(self, text: str, message: str) -> None:
        with pytest.raises(CaseNumberError, match=message):
            parse_itc_numbers(text)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("701-TA-7220", "'701-TA-7220': 701-TA- numbers have 3 digits, as in 701-TA-722"),
            (
                "701-TA-722-7250",
                "'701-TA-722-7250': 701-TA- numbers have 3 digits, as in 701-TA-722",
            ),
            ("731-TA-169", "'731-TA-169': 731-TA- numbers have 4 digits, as in 731-TA-1690"),
            (
                "731-TA-1690-169",
                "'731-TA-1690-169': 731-TA- numbers have 4 digits, as in 731-TA-1690",
            ),
        ],
    )
    def test_a_number_of_the_wrong_length_is_shown_one_of_its_kind(
        self, text: str, message: str
    ) -> None:
        with pytest.raises(CaseNumberError) as refused:
            parse_itc_numbers(text)
        assert str(refused.value) == message

    @pytest.mark.parametrize(
        "text", ["701-TA-__", "701-TA-722", "701-TA-722-725", "731-TA-1690-1693"]
    )
    def test_prints_back(self, text: str) -> None:
        assert str(parse_itc_numbers(text)) == text


class TestOrderCaseNumbers:
    def test_all_ad_in_country_order_then_all_cvd(self) -> None:
        assert order_case_numbers(COUNTRIES_2024) == [
            "A-555-003",
            "A-557-830",
            "A-549-851",
            "A-552-841",
            "C-555-004",
            "C-557-831",
            "C-549-852",
            "C-552-842",
        ]

    def test_skips_what_is_missing(self) -> None:
        countries = [
            {"name": "Cambodia", "ad_case": "A-555-003"},
            {"name": "Malaysia", "cvd_case": "C-557-831", "ad_case": ""},
            {},
            "not a country",
        ]
        assert order_case_numbers(countries) == ["A-555-003", "C-557-831"]  # type: ignore[arg-type]

    def test_of_nothing_is_empty(self) -> None:
        assert order_case_numbers([]) == []


class TestJoinCaseNumbers:
    def test_prints_the_letters_line(self) -> None:
        assert join_case_numbers(order_case_numbers(COUNTRIES_2024)) == (
            "A-555-003, A-557-830, A-549-851, A-552-841, C-555-004, C-557-831, C-549-852, "
            "and C-552-842"
        )

    @pytest.mark.parametrize(
        ("numbers", "text"),
        [
            ([], ""),
            (["A-555-003"], "A-555-003"),
            (["701-TA-__", "731-TA-__"], "701-TA-__ and 731-TA-__"),
            (["A-555-003", "C-555-004", "A-557-830"], "A-555-003, C-555-004, and A-557-830"),
        ],
    )
    def test_joins_like_english(self, numbers: list[str], text: str) -> None:
        assert join_case_numbers(numbers) == text

from __future__ import annotations

import pytest
from adcvd_petition.rules.countries import (
    COUNTRIES,
    UNVERIFIED_CODES,
    VERIFIED_CODES,
    by_code,
    country_code,
    lookup,
    same_country,
)


class TestTables:
    def test_verified_and_unverified_are_kept_apart(self) -> None:
        assert not set(VERIFIED_CODES) & set(UNVERIFIED_CODES)
        assert not set(VERIFIED_CODES.values()) & set(UNVERIFIED_CODES.values())

    def test_codes_are_three_digits(self) -> None:
        assert all(len(c.code) == 3 and c.code.isdigit() for c in COUNTRIES)

    def test_the_2024_case(self) -> None:
        assert {VERIFIED_CODES[c] for c in ("555", "557", "549", "552")} == {
            "Cambodia",
            "Malaysia",
            "Thailand",
            "Vietnam",
        }


class TestLookup:
    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("Cambodia", "555"),
            ("Malaysia", "557"),
            ("Thailand", "549"),
            ("the Socialist Republic of Vietnam", "552"),
            ("Socialist Republic of Vietnam", "552"),
            ("Viet Nam", "552"),
            ("VIETNAM", "552"),
            ("Korea", "580"),
            ("Republic of Korea", "580"),
            ("the Republic of Korea", "580"),
            ("Korea, Republic of", "580"),
            ("South Korea", "580"),
            ("Türkiye", "489"),
            ("Turkey", "489"),
            ("the Republic of Türkiye", "489"),
            ("the People's Republic of China", "570"),
            ("People\u2019s Republic of China", "570"),
            ("Republic of China", "583"),
            ("Taiwan", "583"),
            ("the Netherlands", "421"),
            ("Kingdom of the Netherlands", "421"),
            ("the Russian Federation", "821"),
            ("Lao People's Democratic Republic", "553"),
            ("the United Kingdom", "412"),
            ("UAE", "520"),
            ("the Federative Republic of Brazil", "351"),
            ("  Kingdom   of Cambodia ", "555"),
            ("Trinidad & Tobago", "274"),
            ("the Sultanate of Oman", "523"),
        ],
    )
    def test_reads_the_names_petitions_use(self, name: str, code: str) -> None:
        assert country_code(name) == code

    @pytest.mark.parametrize(
        "name",
        [
            "North Korea",
            "the Democratic People's Republic of Korea",
            "Korea, Democratic People's Republic of",
            "Atlantis",
            "",
            "   ",
            "the",
            "United States",
        ],
    )
    def test_unknown_names_give_none(self, name: str) -> None:
        assert lookup(name) is None
        assert country_code(name) is None

    def test_never_raises_on_a_non_string(self) -> None:
        assert lookup(None) is None  # type: ignore[arg-type]
        # Not even on values no cache could hold (lookups are remembered by name).
        assert lookup({"name": "Vietnam"}) is None  # type: ignore[arg-type]
        assert lookup(["Vietnam"]) is None  # type: ignore[arg-type]

    def test_says_whether_a_code_is_verified(self) -> None:
        vietnam = lookup("Vietnam")
        poland = lookup("the Republic of Poland")
        assert vietnam is not None and vietnam.verified
        assert poland is not None and not poland.verified and poland.code == "455"


class TestByCode:
    def test_finds_both_kinds(self) -> None:
        assert by_code("552") == lookup("Vietnam")
        assert by_code("841") == lookup("Moldova")

    def test_unknown_code_gives_none(self) -> None:
        assert by_code("999") is None


class TestSameCountry:
    @pytest.mark.parametrize(
        ("first", "second", "same"),
        [
            ("Vietnam", "the Socialist Republic of Vietnam", True),
            ("Korea", "Republic of Korea", True),
            ("Türkiye", "Turkey", True),
            ("Vietnam", "Cambodia", False),
            ("Freedonia", "the Freedonia", True),
            ("Freedonia", "Sylvania", False),
            # One name the table knows, one it does not: compared by their text.
            ("Vietnam", "Freedonia", False),
            ("Freedonia", "Vietnam", False),
            ("", "", False),
            ("Vietnam", None, False),
        ],
    )
    def test_compares_codes_or_names(self, first: str, second: str, same: bool) -> None:
        assert same_country(first, second) is same

"""The small readers of how letters write things."""

from __future__ import annotations

from datetime import date

import pytest
from adcvd_petition.importing.wording import (
    find_date,
    firm_case,
    is_capitals,
    prefer_spelling,
    split_names,
    strip_esquire,
    telephone,
    whole_date,
)


class TestDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("April 24, 2024", date(2024, 4, 24)),
            ("Apr. 24, 2024", date(2024, 4, 24)),
            ("Sept 3 2024", date(2024, 9, 3)),
        ],
    )
    def test_whole_date(self, text: str, expected: date) -> None:
        assert whole_date(text) == expected

    @pytest.mark.parametrize(
        "text", ["April 31, 2024", "Total Pages: 13", "April 24, 2024 at noon", "Smarch 1, 2024"]
    )
    def test_not_a_date_line(self, text: str) -> None:
        assert whole_date(text) is None

    def test_find_date_inside_a_stamp(self) -> None:
        assert find_date("Hari Achuthan (Apr 15, 2024 11:58 EDT)") == date(2024, 4, 15)


class TestTelephone:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("(202) 719-7000", "(202) 719-7000"),
            ("Tel. 202.719.7000", "202.719.7000"),
            ("Telephone: 202-719-7000", "202-719-7000"),
        ],
    )
    def test_numbers(self, line: str, expected: str) -> None:
        assert telephone(line) == expected

    @pytest.mark.parametrize("line", ["2050 M Street, NW", "Washington, DC 20036", "Room 18022"])
    def test_address_lines_are_not_numbers(self, line: str) -> None:
        assert telephone(line) is None


class TestFirmNames:
    @pytest.mark.parametrize(
        ("capitals", "expected"),
        [
            ("WILEY REIN LLP", "Wiley Rein LLP"),
            ("WILEY TRADE ANALYTICS GROUP", "Wiley Trade Analytics Group"),
            ("KELLEY DRYE & WARREN LLP", "Kelley Drye & Warren LLP"),
            ("CASSIDY LEVY KENT (USA) LLP", "Cassidy Levy Kent (USA) LLP"),
            ("McDERMOTT WILL & EMERY LLP", "McDermott Will & Emery LLP"),
            ("SCHAGRIN ASSOCIATES", "Schagrin Associates"),
            ("LAW OFFICES OF JOHN SMITH", "Law Offices of John Smith"),
        ],
    )
    def test_out_of_capitals(self, capitals: str, expected: str) -> None:
        assert is_capitals(capitals)
        assert firm_case(capitals) == expected

    def test_spelling_found_elsewhere_wins(self) -> None:
        assert prefer_spelling("DEWEY LEBOEUF LLP", ["Dewey LeBoeuf LLP"]) == "Dewey LeBoeuf LLP"
        assert prefer_spelling("DEWEY LEBOEUF LLP", ["Other Firm LLP"]) == "Dewey Leboeuf LLP"


class TestNames:
    def test_company_list_with_corporate_endings(self) -> None:
        assert split_names(
            "Convalt Energy, First Solar, Inc., Hanwha Q CELLS USA, Inc., and Mission Solar Energy LLC."
        ) == [
            "Convalt Energy",
            "First Solar, Inc.",
            "Hanwha Q CELLS USA, Inc.",
            "Mission Solar Energy LLC",
        ]

    def test_list_ending_with_an_abbreviation_keeps_its_period(self) -> None:
        assert split_names("Acme LLC and Beta Corp.") == ["Acme LLC", "Beta Corp."]
        assert split_names("Acme LLC, and Beta, Inc.") == ["Acme LLC", "Beta, Inc."]

    def test_and_inside_a_name_is_kept(self) -> None:
        assert split_names("Procter and Gamble, and Acme LLC and Beta Corp.") == [
            "Procter and Gamble",
            "Acme LLC",
            "Beta Corp.",
        ]

    def test_esquire(self) -> None:
        assert strip_esquire("Timothy C. Brightbill, Esq.") == "Timothy C. Brightbill"
        assert strip_esquire("Laura El-Sabaawi") == "Laura El-Sabaawi"

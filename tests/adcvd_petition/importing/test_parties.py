"""Product, countries, petitioner and members."""

from __future__ import annotations

from adcvd_petition.importing.parties import _country_names

from tests.adcvd_petition.importing.variants import codes, import_variant, missing


class TestCountryNames:
    def test_the_re_line_list(self) -> None:
        assert _country_names(
            "Cambodia, Malaysia, Thailand, and the Socialist Republic of Vietnam"
        ) == [
            "Cambodia",
            "Malaysia",
            "Thailand",
            "the Socialist Republic of Vietnam",
        ]

    def test_two_countries_without_a_comma(self) -> None:
        assert _country_names("Cambodia and Malaysia") == ["Cambodia", "Malaysia"]

    def test_a_country_with_and_in_its_name(self) -> None:
        assert _country_names("Trinidad and Tobago, and Mexico") == [
            "Trinidad and Tobago",
            "Mexico",
        ]


class TestCountries:
    def test_case_numbers_in_another_order_still_go_to_their_countries(self) -> None:
        result = import_variant(
            (
                "DOC Investigation Nos. A-555-003, A-557-830,\nA-549-851, A-552-841, C-555-004, C-557-831,\nC-549-852, and C-552-842",
                "DOC Investigation Nos. C-552-842, A-552-841, A-549-851, C-549-852,\nA-557-830, C-557-831, A-555-003, and C-555-004",
            ),
        )
        assert result.answers["countries"][3] == {
            "name": "the Socialist Republic of Vietnam",
            "ad_case": "A-552-841",
            "cvd_case": "C-552-842",
        }
        assert result.answers["countries"][0] == {
            "name": "Cambodia",
            "ad_case": "A-555-003",
            "cvd_case": "C-555-004",
        }

    def test_ad_only_petition_does_not_miss_cvd_numbers(self) -> None:
        result = import_variant(
            ("A-552-841, C-555-004, C-557-831,\nC-549-852, and C-552-842", "and A-552-841"),
        )
        assert all("cvd_case" not in country for country in result.answers["countries"])
        assert not any(".cvd_case" in line for line in result.not_found)

    def test_two_numbers_of_one_kind_for_one_country(self) -> None:
        result = import_variant(("C-557-831,", "C-557-831, C-557-899,"), count=1)
        assert ("countries[1].cvd_case", "case.duplicate", "error") in codes(result)
        assert result.answers["countries"][1]["cvd_case"] == "C-557-831"


class TestPetitioners:
    def test_two_petitioners_each_with_a_short_name(self) -> None:
        result = import_variant(
            (
                "On behalf of The American Alliance for Solar Manufacturing Trade Committee (“the Committee”),",
                "On behalf of The American Alliance for Solar Manufacturing Trade Committee (“the Committee”) and Acme Solar, Inc. (“Acme”),",
            ),
        )
        assert [(p["name"], p["short_name"]) for p in result.answers["petitioners"]] == [
            ("The American Alliance for Solar Manufacturing Trade Committee", "the Committee"),
            ("Acme Solar, Inc.", "Acme"),
        ]
        # The basis sentence names only the Committee.
        assert result.answers["petitioners"][0]["basis"] == "E"
        assert "basis" not in result.answers["petitioners"][1]
        assert "petitioners[1].basis" in missing(result)

    def test_article_outside_the_quotes(self) -> None:
        result = import_variant(("(“the Committee”)", "(the “Coalition”)"), count=1)
        assert result.answers["petitioners"][0]["short_name"] == "the Coalition"


class TestCoalition:
    def test_count_that_does_not_match_the_names(self) -> None:
        result = import_variant(("comprised of 4 U.S.", "comprised of five U.S."))
        assert len(result.answers["coalition"]["members"]) == 4
        assert ("coalition.members", "coalition.count_mismatch", "warning") in codes(result)

    def test_no_members_footnote(self) -> None:
        result = import_variant(
            (
                "¹ The Committee is comprised of 4 U.S. producers of crystalline silicon photovoltaic cells and modules: Convalt Energy, First Solar, Inc., Hanwha Q CELLS USA, Inc., and Mission Solar Energy LLC.\n",
                "",
            ),
        )
        assert "coalition" not in result.answers
        assert "coalition.has_members" in missing(result)

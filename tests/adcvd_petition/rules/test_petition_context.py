"""document_context and session_title: the values the templates print, from the answers."""

from __future__ import annotations

import pytest
from adcvd_petition.rules.citations import format_citation, item_citation
from adcvd_petition.rules.petition_context import (
    bpi_volumes,
    document_context,
    in_running_text,
    session_title,
    volume_reference,
    volumes_paragraph,
)


def _volume(numeral: str, kind: str, has_bpi: bool) -> dict:
    return {"numeral": numeral, "kind": kind, "has_bpi": has_bpi}


class TestVolumesParagraph:
    def test_the_2024_volumes(self, solar_answers):
        assert volumes_paragraph(solar_answers["volumes"]) == (
            "Volume I of the petitions contains general information and the allegations of injury, along "
            "with associated exhibits. Volumes II through V contain the antidumping duty allegations and "
            "associated exhibits. Volumes VI through IX contain the countervailing duty allegations and "
            "associated exhibits. There are business proprietary and public versions of Volumes I through V. "
            "Volumes VI through IX do not contain any business proprietary information and are being "
            "submitted as public documents."
        )

    def test_one_volume_of_each_kind_and_one_public(self):
        volumes = [
            _volume("I", "general", True),
            _volume("II", "AD", True),
            _volume("III", "CVD", False),
        ]
        assert volumes_paragraph(volumes, "petitions") == (
            "Volume I of the petitions contains general information and the allegations of injury, along "
            "with associated exhibits. Volume II contains the antidumping duty allegation and associated "
            "exhibits. Volume III contains the countervailing duty allegation and associated exhibits. There "
            "are business proprietary and public versions of Volumes I and II. Volume III does not contain any "
            "business proprietary information and is being submitted as a public document."
        )

    def test_without_a_general_volume_the_first_sentence_names_the_petitions(self):
        volumes = [_volume("I", "AD", True), _volume("II", "AD", True)]
        assert volumes_paragraph(volumes).startswith(
            "Volumes I and II of the petitions contain the antidumping"
        )
        assert volumes_paragraph(volumes).endswith(
            "There are business proprietary and public versions of Volumes I and II."
        )


class TestVolumeReference:
    @pytest.mark.parametrize(
        ("numerals", "expected"),
        [
            (["I"], "Volume I"),
            (["II", "III"], "Volumes II and III"),
            (["II", "III", "IV"], "Volumes II through IV"),
            (["I", "II", "III", "V"], "Volumes I through III and V"),
            (["I", "III", "V"], "Volumes I, III, and V"),
            (["II", "III", "V", "VI", "VII"], "Volumes II, III, and V through VII"),
            (["IX", "X", "XI"], "Volumes IX through XI"),
            ([], ""),
        ],
    )
    def test_runs_and_lists(self, numerals, expected):
        assert volume_reference(numerals) == expected


class TestBpiVolumes:
    def test_only_volumes_that_hold_bpi(self, solar_answers):
        assert [v["numeral"] for v in bpi_volumes(solar_answers["volumes"])] == [
            "I",
            "II",
            "III",
            "IV",
            "V",
        ]

    def test_the_header_summary_equals_the_catch_all_item_in_2024(self, solar_answers):
        for volume in bpi_volumes(solar_answers["volumes"]):
            assert volume["summary"] == volume["entries"][-1]["citation"]

    def test_the_cambodia_ad_volume_as_the_letter_prints_it(self, solar_answers):
        volume = bpi_volumes(solar_answers["volumes"])[1]
        assert (volume["numeral"], volume["title"], volume["summary"]) == (
            "II",
            "Cambodia AD Allegation",
            "Pages 1, 3-5, 7, 9-12, 16, 19, 23, Exhibit List, and Exhibits II-1, II-2, II-3, "
            "II-4, II-11, II-16, II-18, II-19, II-21, II-23, II-29",
        )
        assert volume["entries"][:2] == [
            {
                "number": 1,
                "paragraph": 1,
                "citation": "Pages 12, 16, 19, and Exhibits II-1, II-4, II-18, II-19, II-21, II-23",
                "category": (
                    "Business or trade secrets concerning the nature of a product or production "
                    "process"
                ),
                "regulation": "19 C.F.R. § 351.105(c)(1)",
            },
            {
                "number": 2,
                "paragraph": 2,
                "citation": "Page 23, and Exhibits II-1, II-18, II-19, II-29",
                "category": (
                    "Production costs (but not the identity of the production components "
                    "unless a particular component is a trade secret)"
                ),
                "regulation": "19 C.F.R. § 351.105(c)(2)",
            },
        ]

    def test_a_volume_marked_without_bpi_or_without_items_has_no_list(self, solar_answers):
        volumes = solar_answers["volumes"]
        volumes[1]["has_bpi"] = False
        volumes[2]["bpi_items"] = []
        assert [v["numeral"] for v in bpi_volumes(volumes)] == ["I", "IV", "V"]

    def test_items_are_numbered_and_cite_their_paragraph(self, solar_answers):
        first = bpi_volumes(solar_answers["volumes"])[0]["entries"][2]
        assert first["number"] == 3
        assert first["citation"] == "Pages 43, 44, and Exhibit I-33"
        assert first["category"].startswith(
            "Prices of individual sales, likely sales, or other offers"
        )
        assert first["regulation"] == "19 C.F.R. § 351.105(c)(5)"
        assert first["citation"] == format_citation(
            item_citation(solar_answers["volumes"][0]["bpi_items"][2])
        )


class TestDocumentContext:
    def test_keeps_the_answers(self, solar_answers):
        context = document_context(solar_answers)
        assert context["counsel"] == solar_answers["counsel"]
        assert context["filing"] == solar_answers["filing"]

    def test_dates_and_addressees(self, solar_answers):
        context = document_context(solar_answers)
        assert (
            context["letter_date"],
            context["representative_date"],
            context["counsel_certification_date"],
        ) == (
            "April 24, 2024",
            "April 24, 2024",
            "April 24, 2024",
        )
        assert (context["commerce_secretary_surname"], context["itc_secretary_surname"]) == (
            "Raimondo",
            "Barton",
        )

    def test_case_numbers_in_the_letters_order(self, solar_answers):
        context = document_context(solar_answers)
        assert context["case_nos"] == "Nos."
        assert context["case_numbers"] == (
            "A-555-003, A-557-830, A-549-851, A-552-841, C-555-004, C-557-831, C-549-852, and C-552-842"
        )
        assert (context["itc_nos"], context["itc_numbers"]) == ("Nos.", "701-TA-__ and 731-TA-__")

    def test_assigned_itc_ranges_are_plural_even_alone(self, solar_answers):
        solar_answers["countries"] = [{"name": "Cambodia", "ad_case": "A-555-003"}]
        solar_answers["itc"]["ad_numbers"] = "731-TA-1690-1693"
        context = document_context(solar_answers)
        assert (context["itc_nos"], context["itc_numbers"]) == ("Nos.", "731-TA-1690-1693")

    def test_countervailing_duties_only(self, solar_answers):
        solar_answers["countries"] = [
            {"name": "Cambodia", "cvd_case": "C-555-004"},
            {"name": "Malaysia", "cvd_case": "C-557-831"},
        ]
        solar_answers["volumes"] = [solar_answers["volumes"][0], *solar_answers["volumes"][5:7]]
        context = document_context(solar_answers)
        assert context["duties_title"] == "Countervailing Duties"
        assert context["sections_title"] == "Section 701"
        assert context["statute_sections"] == "sections 701 and 702(b)"
        assert context["statute_usc"] == "19 U.S.C. §§ 1671 and 1671a(b)"
        assert context["itc_numbers"] == "701-TA-__"

    def test_quirks_of_the_letter_are_kept(self, solar_answers):
        context = document_context(solar_answers)
        assert context["standing_lead"].startswith("The members of the American Alliance for Solar")
        assert context["member_count"] == 4
        assert context["statute_usc"] == "19 U.S.C. §§ 1671, 1671a(b), 1673 and 1673a(b)"
        assert context["comma_before_from"] == ","

    def test_product_without_a_comma_takes_none_before_from(self, solar_answers):
        solar_answers["product"]["name"] = "Aluminum Extrusions"
        context = document_context(solar_answers)
        assert (context["comma_before_from"], context["product_in_text"]) == (
            "",
            "aluminum extrusions",
        )

    @pytest.mark.parametrize(
        ("capacity", "role"),
        [
            ("counsel", "counsel to"),
            ("adviser", "adviser to"),
            ("preparer", "preparer for"),
            ("reviewer", "reviewer for"),
        ],
    )
    def test_representative_role_follows_the_capacity(self, solar_answers, capacity, role):
        solar_answers["representative_certification"]["capacity"] = capacity
        assert document_context(solar_answers)["representative_role"] == role

    def test_petitioner_without_members_states_its_own_standing(self, solar_answers):
        solar_answers["petitioners"] = [
            {"name": "First Solar, Inc.", "short_name": "First Solar", "basis": "C"}
        ]
        solar_answers["coalition"] = {"has_members": False}
        context = document_context(solar_answers)
        assert (
            context["behalf_lead"]
            == "On behalf of First Solar, Inc. (“First Solar” or “Petitioner”),"
        )
        assert context["standing_lead"] == (
            "First Solar is a producer in the United States of the domestic like product and thus is an "
            "“interested party” within the meaning of 19 U.S.C. § 1677(9)(C)."
        )
        assert context["has_members"] is False
        assert context["members_text"] == "" and context["member_count"] == 0


class TestCompanyCertifications:
    def test_each_is_enriched_in_order(self, solar_answers):
        certifications = document_context(solar_answers)["company_certifications"]
        assert [c["employment"] for c in certifications] == [
            "Founder, President, and Chief Executive Officer, by Convalt Energy",
            "General Counsel and Secretary by First Solar, Inc.",
            "Vice President and General Counsel of Hanwha Q CELLS America, Inc. and representing "
            "Hanwha Q CELLS USA, Inc.",
            "Counsel by Mission Solar Energy LLC",
        ]
        assert (
            certifications[2]["companies"]
            == "Hanwha Q CELLS America, Inc. and Hanwha Q CELLS USA, Inc."
        )
        assert {c["date_text"] for c in certifications} == {"April 24, 2024"}
        assert certifications[0]["name"] == "Hari Achuthan"

    def test_the_answers_are_not_changed(self, solar_answers):
        document_context(solar_answers)
        assert "employment" not in solar_answers["company_certifications"][0]


class TestInRunningText:
    @pytest.mark.parametrize(
        ("title", "expected"),
        [
            (
                "Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into Modules",
                "crystalline silicon photovoltaic cells, whether or not assembled into modules",
            ),
            ("Cold-Rolled Steel Flat Products", "cold-rolled steel flat products"),
            ("PET Resin", "PET resin"),
            ("c-Si PV Modules", "c-Si PV modules"),
            ("Grade A Rebar", "grade A rebar"),
        ],
    )
    def test_lowers_capitalised_words_only(self, title, expected):
        assert in_running_text(title) == expected

    def test_is_a_suggestion_the_user_can_correct(self, petition_pack, solar_answers):
        """ "Portland Cement" lowered is "portland cement"; the user keeps the proper name."""
        from adcvd_petition.rules.petition_context import product_in_text

        from service.interview.engine import effective_answers
        from service.rendering.packet import render_packet
        from tests.support import docx_text

        assert product_in_text({}) is None
        solar_answers["product"] = {"name": "Portland Cement", "short_name": "cement"}
        assert product_in_text(solar_answers) == "portland cement"
        assert (
            effective_answers(petition_pack, solar_answers)["product"]["in_text"]
            == "portland cement"
        )

        def letter() -> str:
            return docx_text(
                next(
                    d.content
                    for d in render_packet(petition_pack, solar_answers)
                    if d.kind == "cover-letter"
                )
            )

        assert 'on U.S. imports of portland cement ("cement") from Cambodia' in letter()
        solar_answers["product"]["in_text"] = "Portland cement"
        text = letter()
        assert 'on U.S. imports of Portland cement ("cement") from Cambodia' in text
        assert "Portland Cement from Cambodia" in text  # the title in the Re: line is untouched


class TestSessionTitle:
    def test_the_2024_case(self, solar_answers):
        assert session_title(solar_answers) == (
            "Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into Modules, from Cambodia, "
            "Malaysia, Thailand, and the Socialist Republic of Vietnam (2024-04-24)"
        )

    @pytest.mark.parametrize(
        ("answers", "expected"),
        [
            ({}, "Untitled petition"),
            ({"product": {"name": "Aluminum Extrusions"}}, "Aluminum Extrusions"),
            (
                {"countries": [{"name": "China"}, {"name": "Mexico"}]},
                "Petition against China and Mexico",
            ),
            ({"filing": {"date": "2025-01-02"}}, "Untitled petition (2025-01-02)"),
            # A product name without a comma takes none before "from".
            (
                {
                    "product": {"name": "Aluminum Extrusions"},
                    "countries": [{"name": "China"}, {"name": "Mexico"}],
                },
                "Aluminum Extrusions from China and Mexico",
            ),
            (
                {"filing": {"date": "not a date"}, "countries": "nonsense", "product": []},
                "Untitled petition",
            ),
        ],
    )
    def test_partial_answers(self, answers, expected):
        assert session_title(answers) == expected


class TestIssue11Wording:
    """Three wordings a careful reader caught, fixed in the document context."""

    def test_the_members_footnote_has_one_full_stop(self, solar_answers):
        solar_answers["coalition"]["members"][-1]["name"] = "Prairie Foam Works, Inc."
        context = document_context(solar_answers)
        # The footnote prints "{{ members_text }}.": one full stop after "Inc.".
        assert context["members_text"].endswith("and Prairie Foam Works, Inc")
        assert not (context["members_text"] + ".").endswith("..")

    def test_a_short_name_that_is_the_product_is_not_defined_again(self, solar_answers):
        solar_answers["product"] = {
            "name": "Mattresses",
            "in_text": "mattresses",
            "short_name": "mattresses",
        }
        assert document_context(solar_answers)["product_defined"] == "mattresses"

    def test_a_different_short_name_is_defined(self, solar_answers):
        assert document_context(solar_answers)["product_defined"].endswith(
            "whether or not assembled into modules (“c-Si PV cells and modules”)"
        )

    def test_one_petitioner_defines_petitioner(self, solar_answers):
        context = document_context(solar_answers)
        assert context["petitioner_noun"] == "Petitioner"
        assert "(“the Committee” or “Petitioner”)," in context["behalf_lead"]

    def test_a_petitioner_without_a_short_name_is_still_defined(self, solar_answers):
        solar_answers["petitioners"][0].pop("short_name")
        assert "Trade Committee (“Petitioner”)," in document_context(solar_answers)["behalf_lead"]


class TestTheLettersWording:
    """Every derived phrase the letter prints, for the 2024 case and for a petition of another
    shape, so that no wording of one changes unseen."""

    WORDING = (
        "agree_verb",
        "behalf_lead",
        "behalf_rest",
        "case_nos",
        "case_numbers",
        "coalition_short",
        "coalition_subject",
        "countries_text",
        "duties_text",
        "duties_title",
        "has_members",
        "itc_nos",
        "itc_numbers",
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
        "reserve_verb",
        "sections_title",
        "standing_lead",
        "standing_rest",
        "statute_sections",
        "statute_usc",
        "version_marking",
        "volumes_paragraph",
        "product_in_text",
        "product_defined",
        "representative_role",
    )

    def wording(self, answers):
        context = document_context(answers)
        return {name: context[name] for name in self.WORDING}

    def test_the_2024_coalition_against_four_countries_ad_and_cvd(self, solar_answers):
        assert self.wording(solar_answers) == {
            "agree_verb": "agrees",
            "behalf_lead": (
                "On behalf of The American Alliance for Solar Manufacturing Trade Committee "
                "(“the Committee” or “Petitioner”),"
            ),
            "behalf_rest": "",
            "case_nos": "Nos.",
            "case_numbers": (
                "A-555-003, A-557-830, A-549-851, A-552-841, C-555-004, C-557-831, C-549-852, "
                "and C-552-842"
            ),
            "coalition_short": "the Committee",
            "coalition_subject": "The Committee",
            "countries_text": "Cambodia, Malaysia, Thailand, and the Socialist Republic of Vietnam",
            "duties_text": "antidumping and countervailing duties",
            "duties_title": "Antidumping and Countervailing Duties",
            "has_members": True,
            "itc_nos": "Nos.",
            "itc_numbers": "701-TA-__ and 731-TA-__",
            "member_count": 4,
            "member_description": (
                "U.S. producers of crystalline silicon photovoltaic cells and modules"
            ),
            "member_role": "producer",
            "members_basis": "C",
            "members_text": (
                "Convalt Energy, First Solar, Inc., Hanwha Q CELLS USA, Inc., and Mission Solar "
                "Energy LLC"
            ),
            "petitioner_names": "The American Alliance for Solar Manufacturing Trade Committee",
            "petitioner_names_lines": (
                "The American Alliance for Solar Manufacturing Trade Committee"
            ),
            "petitioner_noun": "Petitioner",
            "petitioner_possessive": "Petitioner’s",
            "petitions": {
                "noun": "petitions",
                "title": "Petitions",
                "are": "are",
                "these": "these petitions",
            },
            "reserve_verb": "reserves",
            "sections_title": "Sections 701 and 731",
            "standing_lead": (
                "The members of the American Alliance for Solar Manufacturing Trade Committee "
                "are producers in the United States of the domestic like product and thus the "
                "Committee is an “interested party” within the meaning of 19 U.S.C. § 1677(9)(E)."
            ),
            "standing_rest": "",
            "statute_sections": "sections 701, 702(b), 731, and 732(b)",
            "statute_usc": "19 U.S.C. §§ 1671, 1671a(b), 1673 and 1673a(b)",
            "version_marking": "PUBLIC VERSION",
            "volumes_paragraph": (
                "Volume I of the petitions contains general information and the allegations of "
                "injury, along with associated exhibits. Volumes II through V contain the "
                "antidumping duty allegations and associated exhibits. Volumes VI through IX "
                "contain the countervailing duty allegations and associated exhibits. There are "
                "business proprietary and public versions of Volumes I through V. Volumes VI "
                "through IX do not contain any business proprietary information and are being "
                "submitted as public documents."
            ),
            "product_in_text": (
                "crystalline silicon photovoltaic cells, whether or not assembled into modules"
            ),
            "product_defined": (
                "crystalline silicon photovoltaic cells, whether or not assembled into modules "
                "(“c-Si PV cells and modules”)"
            ),
            "representative_role": "counsel to",
        }

    def test_a_producer_and_its_union_against_one_country_ad_only(self, solar_answers):
        answers = dict(solar_answers)
        answers["countries"] = [{"name": "Mexico", "ad_case": "A-201-860"}]
        answers["itc"] = {"ad_numbers": "731-TA-1700"}
        answers["petitioners"] = [
            {"name": "Acme Steel Corp.", "short_name": "Acme", "basis": "C"},
            {"name": "United Steelworkers", "short_name": "USW", "basis": "D"},
        ]
        answers["coalition"] = {"has_members": False}
        answers["volumes"] = [
            solar_answers["volumes"][0],
            {**solar_answers["volumes"][1], "country": "Mexico"},
        ]
        assert self.wording(answers) == {
            "agree_verb": "agree",
            "behalf_lead": (
                "On behalf of Acme Steel Corp. (“Acme”) and United Steelworkers (“USW”) "
                "(collectively, “Petitioners”),"
            ),
            "behalf_rest": "",
            "case_nos": "No.",
            "case_numbers": "A-201-860",
            "coalition_short": "",
            "coalition_subject": "",
            "countries_text": "Mexico",
            "duties_text": "antidumping duties",
            "duties_title": "Antidumping Duties",
            "has_members": False,
            "itc_nos": "No.",
            "itc_numbers": "731-TA-1700",
            "member_count": 0,
            "member_description": "",
            "member_role": "",
            "members_basis": "",
            "members_text": "",
            "petitioner_names": "Acme Steel Corp. and United Steelworkers",
            "petitioner_names_lines": "Acme Steel Corp.\nUnited Steelworkers",
            "petitioner_noun": "Petitioners",
            "petitioner_possessive": "Petitioners’",
            "petitions": {
                "noun": "petition",
                "title": "Petition",
                "are": "is",
                "these": "this petition",
            },
            "reserve_verb": "reserve",
            "sections_title": "Section 731",
            "standing_lead": (
                "Acme is a producer in the United States of the domestic like product and thus "
                "is an “interested party” within the meaning of 19 U.S.C. § 1677(9)(C). USW is "
                "a certified or recognized union or group of workers representative of the "
                "industry producing the domestic like product in the United States and thus is "
                "an “interested party” within the meaning of 19 U.S.C. § 1677(9)(D)."
            ),
            "standing_rest": "",
            "statute_sections": "sections 731 and 732(b)",
            "statute_usc": "19 U.S.C. §§ 1673 and 1673a(b)",
            "version_marking": "PUBLIC VERSION",
            "volumes_paragraph": (
                "Volume I of the petition contains general information and the allegations of "
                "injury, along with associated exhibits. Volume II contains the antidumping "
                "duty allegation and associated exhibits. There are business proprietary and "
                "public versions of Volumes I and II."
            ),
            "product_in_text": (
                "crystalline silicon photovoltaic cells, whether or not assembled into modules"
            ),
            "product_defined": (
                "crystalline silicon photovoltaic cells, whether or not assembled into modules "
                "(“c-Si PV cells and modules”)"
            ),
            "representative_role": "counsel to",
        }

    def test_the_bpi_version_with_the_products_words_typed_and_no_capacity(self, solar_answers):
        solar_answers["filing"]["version"] = "bpi"
        solar_answers["product"]["in_text"] = "c-Si PV cells and modules"
        del solar_answers["representative_certification"]["capacity"]
        context = document_context(solar_answers)
        assert (
            context["version_marking"],
            context["product_in_text"],
            context["product_defined"],
            context["representative_role"],
        ) == (
            "Business Proprietary Document",
            "c-Si PV cells and modules",
            "c-Si PV cells and modules",
            "counsel to",
        )
        assert [v["numeral"] for v in context["bpi_volumes"]] == ["I", "II", "III", "IV", "V"]

    def test_a_coalition_with_a_member_company_that_files_too(self, solar_answers):
        # The company has no short name: the letter names it in full.
        solar_answers["petitioners"] = [
            {"name": "Coalition for Fair Rebar Trade", "short_name": "the Coalition", "basis": "E"},
            {"name": "Acme Steel Corp.", "basis": "C"},
        ]
        solar_answers["coalition"] = {
            "has_members": True,
            "member_description": "U.S. producers of steel concrete reinforcing bar",
            "members": [{"name": "Byer Steel"}, {"name": "Commercial Metals Company"}],
        }
        wording = self.wording(solar_answers)
        assert {
            name: wording[name]
            for name in (
                "behalf_lead",
                "behalf_rest",
                "standing_lead",
                "standing_rest",
                "member_role",
                "members_basis",
                "member_count",
                "members_text",
            )
        } == {
            "behalf_lead": "On behalf of Coalition for Fair Rebar Trade (“the Coalition”)",
            "behalf_rest": " and Acme Steel Corp. (collectively, “Petitioners”),",
            "standing_lead": (
                "The members of Coalition for Fair Rebar Trade are producers in the United "
                "States of the domestic like product and thus the Coalition is an “interested "
                "party” within the meaning of 19 U.S.C. § 1677(9)(E)."
            ),
            "standing_rest": (
                " Acme Steel Corp. is a producer in the United States of the domestic like "
                "product and thus is an “interested party” within the meaning of 19 U.S.C. "
                "§ 1677(9)(C)."
            ),
            "member_role": "producer",  # no basis given for the members: producers
            "members_basis": "",
            "member_count": 2,
            "members_text": "Byer Steel and Commercial Metals Company",
        }

    def test_members_listed_but_not_named_in_the_letter_say_nothing_of_members(self, solar_answers):
        solar_answers["coalition"]["has_members"] = False
        wording = self.wording(solar_answers)
        assert (
            wording["has_members"],
            wording["member_count"],
            wording["members_text"],
            wording["member_description"],
            wording["member_role"],
            wording["members_basis"],
        ) == (False, 0, "", "", "", "")
        assert wording["standing_lead"] == (
            "The Committee is a trade or business association a majority of whose members "
            "produce the domestic like product in the United States and thus is an “interested "
            "party” within the meaning of 19 U.S.C. § 1677(9)(E)."
        )

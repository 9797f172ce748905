"""Forms of words that follow the number of petitioners and of petitions, in the documents."""

from __future__ import annotations

import pytest

from tests.support import docx_footnotes, normalise, reading_order

ACME = {"name": "Acme Solar Inc.", "short_name": "Acme", "basis": "C"}
COMMITTEE = "The American Alliance for Solar Manufacturing Trade Committee"


def _letter(packet) -> str:
    return normalise("\n".join(p.text for p in reading_order(packet["cover-letter.docx"][0])))


def _document(packet, template: str) -> str:
    return normalise("\n".join(p.text for p in reading_order(packet[template][0])))


class TestOnePetitioner:
    @pytest.fixture
    def letter(self, packet_2024) -> str:
        return _letter(packet_2024)

    @pytest.mark.parametrize(
        "wording",
        [
            "Petitioner's Business Proprietary Information Removed from the Attached Petition Volumes",
            "Petitioner agrees in principle to permit disclosure",
            "Petitioner respectfully reserves the right, however,",
            # "Petitioner" is defined where the petitioner is named (the 2024 letter never did).
            (
                'On behalf of The American Alliance for Solar Manufacturing Trade Committee ("the Committee" or '
                '"Petitioner"), we hereby submit'
            ),
            "Counsel to Petitioner,\nThe American Alliance for Solar Manufacturing Trade Committee",
        ],
    )
    def test_singular(self, letter, wording):
        assert wording in letter

    def test_no_plural_forms(self, letter):
        assert "Petitioners" not in letter and "collectively" not in letter


class TestSeveralPetitioners:
    @pytest.fixture
    def packet(self, render, solar_answers):
        solar_answers["petitioners"].append(dict(ACME))
        return render(solar_answers)

    @pytest.mark.parametrize(
        "wording",
        [
            "Petitioners' Business Proprietary Information Removed from the Attached Petition Volumes",
            "Petitioners agree in principle to permit disclosure",
            "Petitioners respectfully reserve the right, however,",
            f'On behalf of {COMMITTEE} ("the Committee") and Acme Solar Inc. ("Acme") (collectively, "Petitioners"), '
            "we hereby submit",
            '"interested party" within the meaning of 19 U.S.C. § 1677(9)(E). Acme is a producer in the United '
            'States of the domestic like product and thus is an "interested party" within the meaning of '
            "19 U.S.C. § 1677(9)(C).",
            f"Counsel to Petitioners,\n{COMMITTEE}\nAcme Solar Inc.",
        ],
    )
    def test_plural(self, packet, wording):
        assert wording in _letter(packet)

    def test_no_singular_forms(self, packet):
        letter = _letter(packet)
        for wording in (
            "Petitioner agrees",
            "Petitioner respectfully",
            "Petitioner's",
            "Counsel to Petitioner,",
        ):
            assert wording not in letter

    def test_the_members_footnote_follows_the_coalition_that_has_them(self, packet):
        from tests.rendering.test_structure import W, _part, _text_before

        body = _part(packet["cover-letter.docx"][0], "word/document.xml")
        first = next(body.iter(f"{W}footnoteReference"))
        paragraph = next(p for p in body.iter(f"{W}p") if first in p.iter())
        assert _text_before(paragraph, first).endswith(f"{COMMITTEE} (“the Committee”)")
        assert docx_footnotes(packet["cover-letter.docx"][0])[0].startswith(
            "The Committee is comprised of 4"
        )

    def test_the_representative_is_counsel_to_both(self, packet):
        text = _document(packet, "representative-certification.docx")
        assert f"with Wiley Rein LLP, counsel to {COMMITTEE} and Acme Solar Inc., certify" in text


class TestOnePetition:
    """One country, antidumping only: one petition, one case number, one volume of each kind."""

    @pytest.fixture
    def packet(self, render, solar_answers):
        solar_answers["countries"] = [{"name": "Cambodia", "ad_case": "A-555-003"}]
        solar_answers["volumes"] = solar_answers["volumes"][:2]
        solar_answers["company_certifications"] = solar_answers["company_certifications"][:1]
        return render(solar_answers)

    @pytest.mark.parametrize(
        "wording",
        [
            "DOC Investigation No. A-555-003\n",
            "USITC Investigation No. 731-TA-__\n",
            "from Cambodia: Petition for the Imposition of Antidumping Duties",
            "petition for the imposition of antidumping duties on U.S. imports of",
            '(the "Petition"), pursuant to sections 731 and 732(b) of the Tariff Act of 1930, as amended '
            '(the "Act") (19 U.S.C. §§ 1673 and 1673a(b)).',
            "Volume I of the petition contains general information and the allegations of injury, along with "
            "associated exhibits. Volume II contains the antidumping duty allegation and associated exhibits. "
            "There are business proprietary and public versions of Volumes I and II.",
            "The petition is being filed through the Department's ACCESS",
            "in the narratives and exhibits of this petition as detailed above",
        ],
    )
    def test_singular(self, packet, wording):
        assert wording in _letter(packet)

    def test_certifications_cite_section_731_and_one_case(self, packet):
        text = _document(packet, "company-certification.docx")
        assert (
            "Petition for the Imposition of Antidumping Duties Pursuant to Section 731 of the Tariff Act"
            in text
        )
        assert "(Investigation No. A-555-003), dated April 24, 2024." in text


def test_no_bpi_at_all_leaves_out_what_only_bpi_needs(render, solar_answers):
    for volume in solar_answers["volumes"]:
        volume["has_bpi"] = False
        volume.pop("bpi_items", None)
    letter = _letter(render(solar_answers))
    assert "Business Proprietary Information Removed" not in letter
    assert "business proprietary treatment" not in letter
    assert "administrative protective order" not in letter
    assert "Attached are the requisite company and counsel certifications" in letter
    assert "Volumes I through IX do not contain any business proprietary information" in letter


def test_a_member_ending_in_inc_ends_the_footnote_with_one_full_stop(render, solar_answers):
    solar_answers["coalition"]["members"][-1]["name"] = "Prairie Foam Works, Inc."
    notes = docx_footnotes(render(solar_answers)["cover-letter.docx"][0])
    assert notes[0].endswith("and Prairie Foam Works, Inc.")


def test_a_short_name_that_is_the_product_in_running_text_is_not_defined_again(
    render, solar_answers
):
    solar_answers["product"] = {"name": "Mattresses", "short_name": "mattresses"}
    letter = _letter(render(solar_answers))
    assert "on U.S. imports of mattresses from " in letter
    assert '("mattresses")' not in letter


def test_a_different_short_name_is_defined_after_the_product(render, solar_answers):
    solar_answers["product"] = {"name": "Mattresses", "short_name": "foam mattresses"}
    assert 'on U.S. imports of mattresses ("foam mattresses") from ' in _letter(
        render(solar_answers)
    )

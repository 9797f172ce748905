"""The first page: date, addressees, header block."""

from __future__ import annotations

from tests.adcvd_petition.importing.variants import codes, import_variant, missing


class TestVersion:
    def test_business_proprietary_document(self) -> None:
        result = import_variant(("PUBLIC VERSION", "Business Proprietary Document"))
        assert result.answers["filing"]["version"] == "bpi"

    def test_no_marking_is_not_found(self) -> None:
        result = import_variant(("PUBLIC VERSION\n", ""))
        assert "version" not in result.answers["filing"]
        assert "filing.version" in missing(result)

    def test_both_markings_is_a_note(self) -> None:
        result = import_variant(("PUBLIC VERSION", "PUBLIC VERSION\nBusiness Proprietary Document"))
        assert "version" not in result.answers["filing"]
        assert ("filing.version", "letter.version_conflict", "error") in codes(result)


class TestItcNumbers:
    def test_assigned_ranges(self) -> None:
        result = import_variant(("701-TA-__ and 731-TA-__", "701-TA-722-725 and 731-TA-1690-1693"))
        assert result.answers["itc"] == {
            "cvd_numbers": "701-TA-722-725",
            "ad_numbers": "731-TA-1690-1693",
        }

    def test_longer_placeholder_is_the_placeholder(self) -> None:
        result = import_variant(("701-TA-__ and 731-TA-__", "701-TA-___ and 731-TA-____"))
        assert result.answers["itc"] == {"cvd_numbers": "701-TA-__", "ad_numbers": "731-TA-__"}

    def test_missing(self) -> None:
        result = import_variant(("USITC Investigation Nos. 701-TA-__ and 731-TA-__\n", ""))
        assert "itc" not in result.answers
        assert set(missing(result)) >= {"itc.cvd_numbers", "itc.ad_numbers"}


class TestAddressees:
    def test_salutation_naming_someone_else_is_a_warning(self) -> None:
        result = import_variant(("Dear Secretary Raimondo", "Dear Secretary Lutnick"))
        assert result.answers["addressees"]["commerce_secretary"] == "Gina M. Raimondo"
        assert ("addressees.commerce_secretary", "letter.salutation_mismatch", "warning") in codes(
            result
        )

    def test_total_pages_missing(self) -> None:
        result = import_variant(("Total Pages: 13\n", ""))
        assert (
            missing(result)["filing.total_pages"] == 'no "Total Pages: N" line in the header block'
        )


class TestTypography:
    def test_non_breaking_hyphens_in_case_numbers(self) -> None:
        result = import_variant(
            ("A-555-003, A-557-830,", "A\u2011555\u2011003, A\u2011557\u2011830,"), count=1
        )
        assert result.answers["countries"][0]["ad_case"] == "A-555-003"
        assert result.answers["countries"][1]["ad_case"] == "A-557-830"

"""The signature block and the economic consultants."""

from __future__ import annotations

from tests.adcvd_petition.importing.variants import import_variant, missing


class TestCounsel:
    def test_no_telephone_after_the_address(self) -> None:
        result = import_variant(
            ("Washington, DC 20036\n(202) 719-7000\n\n*Counsel", "Washington, DC 20036\n\n*Counsel")
        )
        assert "telephone" not in result.answers["counsel"]
        assert "counsel.telephone: no telephone number after the firm's address" in result.not_found
        assert result.answers["counsel"]["address"] == "2050 M Street, NW\nWashington, DC 20036"

    def test_firm_spelled_only_in_capitals_is_title_cased(self) -> None:
        result = import_variant(
            ("with Wiley Rein LLP", "with WRL"), ("of Wiley Rein LLP", "of WRL")
        )
        assert result.answers["counsel"]["firm"] == "Wiley Rein LLP"

    def test_firm_spelling_from_the_certifications_is_preferred(self) -> None:
        result = import_variant(
            ("WILEY REIN LLP", "McDERMOTT WILL & EMERY LLP"),
            ("with Wiley Rein LLP", "with McDermott Will & Emery LLP"),
        )
        assert result.answers["counsel"]["firm"] == "McDermott Will & Emery LLP"


class TestConsultants:
    def test_letter_without_consultants(self) -> None:
        result = import_variant(
            (
                "ECONOMIC CONSULTANTS:\n\nRichard F. DiDonna\nAmy M. Sherman\n\nWILEY TRADE ANALYTICS GROUP\n2050 M Street, NW\nWashington, DC 20036\n(202) 719-7000\n",
                "",
            ),
        )
        assert result.answers["consultants"] == {"included": False}
        assert not any(line.startswith("consultants") for line in result.not_found)
        assert missing(result).keys().isdisjoint({"counsel.firm", "counsel.telephone"})

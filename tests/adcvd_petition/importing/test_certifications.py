"""Company, representative and counsel certifications."""

from __future__ import annotations

from tests.adcvd_petition.importing.variants import codes, import_variant, missing


class TestRepresentativeCapacity:
    def test_filled_in(self) -> None:
        result = import_variant(
            ("In my capacity as, I certify", "In my capacity as counsel, I certify")
        )
        assert result.answers["representative_certification"]["capacity"] == "counsel"
        assert not any(n.path == "representative_certification.capacity" for n in result.notes)

    def test_with_an_article_and_british_spelling(self) -> None:
        result = import_variant(
            ("In my capacity as, I certify", "In my capacity as an advisor, I certify")
        )
        assert result.answers["representative_certification"]["capacity"] == "adviser"

    def test_not_one_of_the_four(self) -> None:
        result = import_variant(
            ("In my capacity as, I certify", "In my capacity as partner, I certify")
        )
        assert "capacity" not in result.answers["representative_certification"]
        assert (
            "representative_certification.capacity",
            "certification.capacity_unknown",
            "error",
        ) in codes(result)

    def test_sentence_missing(self) -> None:
        result = import_variant(("In my capacity as, I certify", "I certify"))
        assert "representative_certification.capacity" in missing(result)


class TestCompanyCertifications:
    def test_case_numbers_that_differ_from_the_header(self) -> None:
        result = import_variant(
            ("(Investigation Nos. A-555-003,", "(Investigation Nos. A-555-013,"), count=1
        )
        assert ("company_certifications[0]", "certification.case_numbers", "warning") in codes(
            result
        )

    def test_submission_dated_another_day(self) -> None:
        result = import_variant(
            (
                "C-552-842), dated April 24, 2024. I certify that the public information and any business proprietary information of First Solar",
                "C-552-842), dated April 23, 2024. I certify that the public information and any business proprietary information of First Solar",
            )
        )
        assert ("company_certifications[1]", "certification.submission_date", "warning") in codes(
            result
        )

    def test_no_date_line(self) -> None:
        result = import_variant(("Grant Himes\n\nDate: April 24, 2024", "Grant Himes\n"))
        assert "date" not in result.answers["company_certifications"][3]
        assert "company_certifications[3].date" in missing(result)

    def test_title_with_of_in_it(self) -> None:
        result = import_variant(
            (
                "employed as Counsel by Mission Solar Energy LLC",
                "employed as Director of Sales of Mission Solar Energy LLC",
            )
        )
        assert result.answers["company_certifications"][3]["title"] == "Director of Sales"
        assert result.answers["company_certifications"][3]["company"] == "Mission Solar Energy LLC"


class TestCapacityVariants:
    def test_blank_line_for_the_capacity_is_blank(self) -> None:
        result = import_variant(
            ("In my capacity as, I certify", "In my capacity as ________, I certify")
        )
        [note] = [n for n in result.notes if n.path == "representative_certification.capacity"]
        assert note.code == "certification.capacity_blank"
        assert "In my capacity as ________, I certify" in note.message

    def test_capacity_followed_by_whom_it_serves(self) -> None:
        result = import_variant(
            ("In my capacity as, I certify", "In my capacity as counsel to Petitioner, I certify")
        )
        assert result.answers["representative_certification"]["capacity"] == "counsel"


class TestEmployedByAs:
    def test_company_before_title(self) -> None:
        result = import_variant(
            (
                "currently employed as Counsel by Mission Solar Energy LLC",
                "currently employed by Mission Solar Energy LLC as Counsel",
            )
        )
        assert result.answers["company_certifications"][3] == {
            "name": "Grant Himes",
            "title": "Counsel",
            "company": "Mission Solar Energy LLC",
            "date": "2024-04-24",
        }

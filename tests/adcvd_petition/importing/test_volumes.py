"""Volumes, their BPI lists, and how the lists agree with the header summary."""

from __future__ import annotations

from tests.adcvd_petition.importing.variants import codes, import_variant, missing


class TestChecks:
    def test_exhibit_of_another_volume(self) -> None:
        result = import_variant(("- (1) **Exhibit I-33:**", "- (1) **Exhibit II-33:**"))
        assert ("volumes[0].bpi_items[0].exhibits", "bpi.exhibit_numeral", "error") in codes(result)

    def test_page_missing_only_from_the_header(self) -> None:
        result = import_variant(
            (
                "Volume II: Pages 1, 3-5, 7, 9-12, 16, 19, 23, Exhibit",
                "Volume II: Pages 1, 3-5, 7, 9-12, 16, 19, Exhibit",
            )
        )
        notes = {
            n.path: n
            for n in result.notes
            if n.code == "bpi.not_in_summary" and n.path.startswith("volumes[1]")
        }
        # Page 23 is cited by items (2), (4) and the catch-all (8) of Volume II.
        assert set(notes) == {
            "volumes[1].bpi_items[1].pages",
            "volumes[1].bpi_items[3].pages",
            "volumes[1].bpi_items[7].pages",
        }
        assert (
            "page 23, which is not in the header summary of Volume II"
            in notes["volumes[1].bpi_items[1].pages"].message
        )

    def test_header_listing_what_no_item_cites(self) -> None:
        result = import_variant(
            (
                "II-19, II-21, II-23, II-29\nVolume III",
                "II-19, II-21, II-23, II-29, II-40\nVolume III",
            )
        )
        [note] = [n for n in result.notes if n.code == "bpi.summary_uncited"]
        assert note.path == "volumes[1].bpi_items" and "Exhibit II-40" in note.message

    def test_words_of_another_paragraph(self) -> None:
        result = import_variant(
            (
                "*Distribution costs (but not channels of distribution)* (19 C.F.R. § 351.105(c)(3))",
                "*Distribution costs (but not channels of distribution)* (19 C.F.R. § 351.105(c)(4))",
            ),
            count=1,
        )
        assert result.answers["volumes"][0]["bpi_items"][0]["paragraph"] == 4
        assert ("volumes[0].bpi_items[0].paragraph", "bpi.category_text", "warning") in codes(
            result
        )

    def test_heading_of_another_kind(self) -> None:
        result = import_variant(
            ("Volume II (Cambodia AD Allegation):", "Volume II (Cambodia CVD Allegation):")
        )
        assert result.answers["volumes"][1]["kind"] == "AD"
        assert ("volumes[1].kind", "volume.kind_mismatch", "error") in codes(result)

    def test_volume_said_to_hold_no_bpi_that_lists_some(self) -> None:
        result = import_variant(
            ("Volumes VI through IX do not contain", "Volumes V through IX do not contain")
        )
        assert ("volumes[4].has_bpi", "volume.bpi_contradiction", "error") in codes(result)

    def test_unreadable_citation(self) -> None:
        result = import_variant(
            ("- (3) **Exhibits II-4, II-11:**", "- (3) **Exhibits II-4, Appendix B:**")
        )
        item = result.answers["volumes"][1]["bpi_items"][2]
        assert item == {"paragraph": 3}
        assert "Appendix" in missing(result)["volumes[1].bpi_items[2].pages"]


class TestTitles:
    def test_a_cvd_volume_with_its_own_heading_gets_title_and_country(self) -> None:
        result = import_variant(
            (
                "\n \nThe requisite certification",
                "\nVolume VI (Cambodia CVD Allegation):\n\n \nThe requisite certification",
            ),
        )
        assert result.answers["volumes"][5] == {
            "numeral": "VI",
            "title": "Cambodia CVD Allegation",
            "kind": "CVD",
            "country": "Cambodia",
            "has_bpi": False,
        }
        assert "volumes[5].title" not in missing(result)


class TestCategoryKind:
    def test_dumping_margin_paragraph_in_the_general_volume(self) -> None:
        result = import_variant(
            (
                "(19 C.F.R. § 351.105(c)(3)).\n- (2) **Exhibits I-25",
                "(19 C.F.R. § 351.105(c)(7)).\n- (2) **Exhibits I-25",
            ),
        )
        assert result.answers["volumes"][0]["bpi_items"][0]["paragraph"] == 7
        assert ("volumes[0].bpi_items[0].paragraph", "bpi.category_kind", "error") in codes(result)


class TestVolumesParagraph:
    def test_and_names_two_volumes_not_a_range(self) -> None:
        result = import_variant(
            (
                "Volumes VI through IX contain the countervailing duty allegations",
                "Volumes VI and IX contain the countervailing duty allegations",
            ),
            ("Volumes VI through IX do not contain", "Volumes VI and IX do not contain"),
        )
        assert [v["numeral"] for v in result.answers["volumes"]] == [
            "I",
            "II",
            "III",
            "IV",
            "V",
            "VI",
            "IX",
        ]

"""Letters that are cut short, damaged, or not letters at all: the import says what it could
not read and gives back what it could, and never raises."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from adcvd_petition.importing import LetterImport, import_letter

from tests.adcvd_petition.importing.letters import (
    REFERENCE,
    docx_inline_footnotes,
    docx_real_footnotes,
    reference_lines,
    reference_text,
    replace_part,
)
from tests.adcvd_petition.importing.test_letter import validate


def missing_paths(result: LetterImport) -> set[str]:
    return {line.split(":")[0] for line in result.not_found}


@pytest.fixture(scope="module")
def truncated() -> LetterImport:
    return import_letter("\n".join(reference_lines()[:40]).encode("utf-8"), "letter.txt")


@pytest.fixture(scope="module")
def atlantis() -> LetterImport:
    text = reference_text().replace("the Socialist Republic of Vietnam", "the Republic of Atlantis")
    text = text.replace("A-552-841", "A-999-841").replace("C-552-842", "C-999-842")
    return import_letter(text.encode("utf-8"), "letter.txt")


class TestTruncatedLetter:
    """The first 40 lines: the first page down to the middle of the BPI summary."""

    def test_keeps_what_the_first_page_says(self, truncated: LetterImport) -> None:
        assert truncated.answers["filing"] == {"date": "2024-04-24", "total_pages": 13}
        assert truncated.answers["addressees"] == {
            "commerce_secretary": "Gina M. Raimondo",
            "itc_secretary": "Lisa R. Barton",
        }
        assert truncated.answers["itc"] == {"cvd_numbers": "701-TA-__", "ad_numbers": "731-TA-__"}
        assert [(c["ad_case"], c["cvd_case"]) for c in truncated.answers["countries"]] == [
            ("A-555-003", "C-555-004"),
            ("A-557-830", "C-557-831"),
            ("A-549-851", "C-549-852"),
            ("A-552-841", "C-552-842"),
        ]
        assert [(v["numeral"], v["has_bpi"]) for v in truncated.answers["volumes"]] == [
            ("I", True),
            ("II", True),
            ("III", True),
            ("IV", True),
        ]

    def test_countries_named_by_code_and_says_so(self, truncated: LetterImport) -> None:
        # Without the "Re:" line the letter's own spelling is unknown; the code table's is used.
        assert [c["name"] for c in truncated.answers["countries"]] == [
            "Cambodia",
            "Malaysia",
            "Thailand",
            "Vietnam",
        ]
        assert any(
            line.startswith('countries: no countries in a "Re:" line')
            for line in truncated.not_found
        )

    def test_says_what_is_missing(self, truncated: LetterImport) -> None:
        assert {
            "filing.version",
            "product.name",
            "product.short_name",
            "petitioners",
            "coalition.has_members",
            "counsel.firm",
            "counsel.address",
            "counsel.telephone",
            "counsel.attorneys",
            "consultants.included",
            "company_certifications",
            "representative_certification",
            "counsel_certification",
            "volumes[0].title",
            "volumes[0].kind",
            "volumes[0].bpi_items",
        } <= missing_paths(truncated)

    def test_answers_are_valid(self, truncated: LetterImport) -> None:
        assert validate(truncated.answers) == []


class TestNotALetter:
    def test_empty_file(self) -> None:
        result = import_letter(b"", "letter.txt")
        assert result == LetterImport(
            answers={}, recognised=[], not_found=["letter: the file is empty"], notes=result.notes
        )
        assert [(n.path, n.code, n.severity) for n in result.notes] == [
            ("", "import.unreadable", "error")
        ]

    def test_only_whitespace(self) -> None:
        result = import_letter(b" \r\n\t\n", "letter.txt")
        assert result.answers == {}
        assert result.not_found == ["letter: the file is empty"]

    def test_random_bytes(self) -> None:
        result = import_letter(random.Random(20240424).randbytes(4096), "letter.docx")
        assert result.answers == {}
        assert result.recognised == []
        assert len(result.not_found) == 1 and "not a valid .docx" in result.not_found[0]

    def test_random_bytes_without_a_name(self) -> None:
        result = import_letter(random.Random(7).randbytes(4096), "")
        assert result.answers == {}
        assert result.not_found == ["letter: the file is neither a .docx nor readable text"]

    def test_corrupt_docx(self) -> None:
        data = bytearray(docx_inline_footnotes(reference_lines()))
        data[200:4000] = random.Random(3).randbytes(3800)
        result = import_letter(bytes(data), "letter.docx")
        assert result.answers == {}
        assert any("not a valid .docx" in line for line in result.not_found)

    def test_pdf(self) -> None:
        result = import_letter(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "letter.pdf")
        assert result.answers == {}
        assert "PDF" in result.not_found[0]

    def test_prose_that_is_not_a_cover_letter(self) -> None:
        result = import_letter(b"Dear diary,\nToday nothing happened.\n", "diary.txt")
        assert result.answers == {}
        assert [n.code for n in result.notes] == ["import.nothing_recognised"]
        assert "filing.date" in missing_paths(result)


class TestUnknownCountry:
    """Vietnam replaced by a country the code table does not know, with code 999."""

    def test_the_country_is_kept_without_case_numbers(self, atlantis: LetterImport) -> None:
        assert atlantis.answers["countries"] == [
            {"name": "Cambodia", "ad_case": "A-555-003", "cvd_case": "C-555-004"},
            {"name": "Malaysia", "ad_case": "A-557-830", "cvd_case": "C-557-831"},
            {"name": "Thailand", "ad_case": "A-549-851", "cvd_case": "C-549-852"},
            {"name": "the Republic of Atlantis"},
        ]

    def test_says_which_numbers_could_not_be_placed(self, atlantis: LetterImport) -> None:
        [ad] = [line for line in atlantis.not_found if line.startswith("countries[3].ad_case:")]
        [cvd] = [line for line in atlantis.not_found if line.startswith("countries[3].cvd_case:")]
        assert "A-999-841" in ad and "does not know the Republic of Atlantis" in ad
        assert "C-999-842" in cvd

    def test_its_volume_has_no_country(self, atlantis: LetterImport) -> None:
        assert "country" not in atlantis.answers["volumes"][4]
        assert "volumes[4].country" in missing_paths(atlantis)

    def test_everything_else_is_still_read(self, atlantis: LetterImport) -> None:
        assert atlantis.answers["counsel"]["firm"] == "Wiley Rein LLP"
        assert len(atlantis.answers["company_certifications"]) == 4
        assert validate(atlantis.answers) == []


class TestCaseNumberOfACountryNotInTheReLine:
    def test_is_a_note(self) -> None:
        text = reference_text().replace("C-552-842", "C-570-842")
        result = import_letter(text.encode("utf-8"), "letter.txt")
        [note] = [n for n in result.notes if n.code == "case.country_not_named"]
        assert note.path == "countries" and "C-570-842" in note.message and "China" in note.message
        assert "cvd_case" not in result.answers["countries"][3]


class TestEncodings:
    def test_utf8_with_bom(self) -> None:
        with_bom = import_letter(b"\xef\xbb\xbf" + REFERENCE.read_bytes(), "letter.txt")
        plain = import_letter(REFERENCE.read_bytes(), "letter.txt")
        assert with_bom.answers == plain.answers

    def test_windows_1252(self) -> None:
        data = reference_text().replace("\n", "\r\n").encode("cp1252", errors="replace")
        result = import_letter(data, "letter.txt")
        assert result.answers["product"]["short_name"] == "c-Si PV cells and modules"
        assert result.answers["petitioners"][0]["short_name"] == "the Committee"
        assert result.answers["coalition"]["members_basis"] == "C"

    def test_utf16_with_bom(self) -> None:
        result = import_letter(reference_text().encode("utf-16"), "letter.txt")
        assert result.answers == import_letter(REFERENCE.read_bytes(), "letter.txt").answers


class TestNeverRaises:
    """Mangled copies of the letter: lines dropped, shuffled, cut, characters replaced."""

    @pytest.mark.parametrize("seed", range(40))
    def test_mangled_letters(self, seed: int) -> None:
        rng = random.Random(seed)
        lines = reference_lines()
        mode = seed % 4
        if mode == 0:
            lines = [line for line in lines if rng.random() > 0.3]
        elif mode == 1:
            rng.shuffle(lines)
        elif mode == 2:
            lines = lines[rng.randrange(len(lines)) :][: rng.randrange(1, len(lines))]
        else:
            text = list("\n".join(lines))
            for _ in range(300):
                text[rng.randrange(len(text))] = rng.choice('():,.;-_ \n§*¹²IVX0123456789“”"AaC')
            lines = "".join(text).split("\n")
        data = "\n".join(lines).encode("utf-8")
        results = [import_letter(data, name) for name in ("letter.txt", "letter.docx")]
        results.append(import_letter(docx_inline_footnotes(lines), "letter.docx"))
        for result in results:
            assert validate(result.answers) == []
            assert "import.internal_error" not in {n.code for n in result.notes}

    @pytest.mark.parametrize("seed", range(10))
    def test_random_text(self, seed: int) -> None:
        rng = random.Random(seed)
        words = [
            "Volume",
            "I",
            "II",
            "(",
            ")",
            ":",
            "Pages",
            "Exhibit",
            "List",
            "and",
            "Re:",
            "from",
            "The",
            "Honorable",
            "Secretary",
            "Date:",
            "I,",
            "certify",
            "A-555-003",
            "701-TA-__",
            ",",
            ".",
        ]
        text = " ".join(
            rng.choice(words) + ("\n" if rng.random() < 0.2 else "") for _ in range(500)
        )
        result = import_letter(text.encode("utf-8"), "letter.txt")
        assert validate(result.answers) == []
        assert "import.internal_error" not in {n.code for n in result.notes}


class TestMangledWordFiles:
    """Bytes flipped, the file cut, or the XML of one part garbled inside a valid zip."""

    @pytest.mark.parametrize("seed", range(30))
    def test_never_raises(self, seed: int) -> None:
        rng = random.Random(seed)
        data = bytearray(docx_real_footnotes(reference_lines()))
        if seed % 3 == 0:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif seed % 3 == 1:
            data = data[: rng.randrange(len(data))]
        else:
            part = rng.choice(["word/document.xml", "word/footnotes.xml", "[Content_Types].xml"])
            xml = bytearray(zipfile.ZipFile(io.BytesIO(bytes(data))).read(part))
            for _ in range(rng.randrange(1, 50)):
                xml[rng.randrange(len(xml))] = rng.choice(b"<>/=\"' abcw:")
            data = bytearray(replace_part(bytes(data), part, bytes(xml)))
        result = import_letter(bytes(data), "letter.docx")
        assert validate(result.answers) == []
        assert "import.internal_error" not in {n.code for n in result.notes}


class TestPackagesThatWouldExhaustMemory:
    """Sizes a zip declares are not trusted; what is really inflated is counted."""

    def test_a_zip_that_lies_about_its_size_is_read_in_bounded_memory(self) -> None:
        import tracemalloc

        from tests.robustness.bombs import lying_docx

        bomb = lying_docx(256 * 1024 * 1024)  # declares 10,000 bytes
        tracemalloc.start()
        try:
            result = import_letter(bomb, "letter.docx")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
        assert result.answers == {}
        assert "not a valid .docx" in result.notes[0].message

    def test_a_member_that_truly_unpacks_past_the_limit_is_refused(self) -> None:
        from docx import Document

        buffer = io.BytesIO()
        Document().save(buffer)
        members = {}
        with zipfile.ZipFile(buffer) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members["word/media/padding.bin"] = b"\0" * (21 * 1024 * 1024)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        result = import_letter(out.getvalue(), "letter.docx")
        assert result.answers == {}
        assert "unpacks to more than 20 MB" in result.notes[0].message

    def test_millions_of_empty_paragraphs_are_refused_before_parsing(self) -> None:
        from tests.robustness.bombs import paragraph_flood_docx

        result = import_letter(paragraph_flood_docx(3_300_000), "letter.docx")
        assert result.answers == {}
        assert "far more paragraphs" in result.notes[0].message

"""Importing the 2024 cover letter: every answer it holds, compared field by field with values
written out here from the letter itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from adcvd_petition.importing import LetterImport, import_letter
from jsonschema import Draft202012Validator, FormatChecker

from tests.adcvd_petition.importing.letters import REFERENCE

SCHEMA = Path(__file__).parents[3] / "schemas/adcvd-petition/answers.schema.json"


def item(
    paragraph: int, pages: list[int], exhibits: list[str], exhibit_list: bool = False
) -> dict[str, Any]:
    return {
        "paragraph": paragraph,
        "pages": pages,
        "exhibit_list": exhibit_list,
        "exhibits": exhibits,
    }


VOLUME_I_ITEMS = [
    item(3, [], ["I-33"]),
    item(4, [], ["I-25", "I-33"]),
    item(5, [43, 44], ["I-24", "I-33"]),
    item(6, [], ["I-25", "I-33"]),
    item(
        9,
        [3, 4, 7, 23, 36, 37, 42, 44, 47, 55],
        ["I-3", "I-4", "I-7", "I-25", "I-30", "I-31", "I-33", "I-34"],
        True,
    ),
    item(10, [10, 11, 42], ["I-3", "I-19"]),
    item(
        11,
        [3, 4, 6, 7, 10, 11, 23, 26, 27, 36, 37, 38, 39, 42, 43, 44, 45, 46, 47, 48, 49, 51, 55],
        ["I-3", "I-4", "I-7", "I-15", "I-16", "I-19", "I-25", "I-30", "I-31", "I-33", "I-34"],
        True,
    ),
]
VOLUME_II_ITEMS = [
    item(1, [12, 16, 19], ["II-1", "II-4", "II-18", "II-19", "II-21", "II-23"]),
    item(2, [23], ["II-1", "II-18", "II-19", "II-29"]),
    item(3, [], ["II-4", "II-11"]),
    item(4, [3, 4, 7, 9, 10, 23], ["II-2", "II-3", "II-4", "II-11", "II-16", "II-19", "II-29"]),
    item(5, [3, 10], ["II-2", "II-4", "II-29"]),
    item(6, [3, 9], ["II-2", "II-3", "II-4", "II-16", "II-19"]),
    item(
        9,
        [1, 3, 4, 5, 10, 12, 16, 19],
        ["II-1", "II-2", "II-3", "II-18", "II-19", "II-21", "II-23"],
        True,
    ),
    item(
        11,
        [1, 3, 4, 5, 7, 9, 10, 11, 12, 16, 19, 23],
        [
            "II-1",
            "II-2",
            "II-3",
            "II-4",
            "II-11",
            "II-16",
            "II-18",
            "II-19",
            "II-21",
            "II-23",
            "II-29",
        ],
        True,
    ),
]
VOLUME_III_ITEMS = [
    item(1, [12, 13, 17, 19], ["III-1", "III-4", "III-18", "III-19", "III-21", "III-23"]),
    item(2, [22], ["III-1", "III-18", "III-19", "III-28"]),
    item(3, [6], ["III-4", "III-11"]),
    item(
        4,
        [4, 8, 9, 10, 11, 22],
        ["III-2", "III-3", "III-4", "III-11", "III-16", "III-19", "III-28"],
    ),
    item(5, [4, 9, 11], ["III-2", "III-4", "III-28"]),
    item(6, [3], ["III-2", "III-3", "III-4", "III-16", "III-19"]),
    item(
        9,
        [1, 3, 4, 6, 10, 11, 12, 13, 17, 19],
        ["III-1", "III-2", "III-3", "III-18", "III-19", "III-21", "III-23"],
        True,
    ),
    item(
        11,
        [1, 3, 4, 6, 8, 9, 10, 11, 12, 13, 17, 19, 22],
        [
            "III-1",
            "III-2",
            "III-3",
            "III-4",
            "III-11",
            "III-16",
            "III-18",
            "III-19",
            "III-21",
            "III-23",
            "III-28",
        ],
        True,
    ),
]
VOLUME_IV_ITEMS = [
    item(1, [16, 18], ["IV-1", "IV-4", "IV-18", "IV-19", "IV-21", "IV-23"]),
    item(2, [22], ["IV-1", "IV-18", "IV-19", "IV-29"]),
    item(3, [], ["IV-4", "IV-11"]),
    item(4, [3, 4, 7, 9, 10, 22], ["IV-2", "IV-3", "IV-4", "IV-11", "IV-16", "IV-19", "IV-29"]),
    item(5, [3, 10], ["IV-2", "IV-4", "IV-29"]),
    item(6, [3, 9], ["IV-2", "IV-3", "IV-4", "IV-16", "IV-19"]),
    item(
        9,
        [1, 3, 4, 10, 11, 12, 16],
        ["IV-1", "IV-2", "IV-3", "IV-18", "IV-19", "IV-21", "IV-23"],
        True,
    ),
    item(
        11,
        [1, 3, 4, 7, 9, 10, 11, 12, 16, 18, 22],
        [
            "IV-1",
            "IV-2",
            "IV-3",
            "IV-4",
            "IV-11",
            "IV-16",
            "IV-18",
            "IV-19",
            "IV-21",
            "IV-23",
            "IV-29",
        ],
        True,
    ),
]
VOLUME_V_ITEMS = [
    item(1, [14, 18], ["V-1", "V-21", "V-22", "V-24", "V-26"]),
    item(2, [21, 24], ["V-1", "V-21", "V-22", "V-32"]),
    item(3, [4, 9, 11], ["V-4", "V-11"]),
    item(4, [4, 8, 9, 11, 24], ["V-2", "V-3", "V-4", "V-11", "V-16", "V-22", "V-32"]),
    item(5, [4, 11], ["V-2", "V-4", "V-32"]),
    item(6, [4], ["V-2", "V-3", "V-4", "V-16", "V-22"]),
    item(
        9,
        [1, 4, 6, 11, 13, 14, 21, 24],
        ["V-1", "V-2", "V-3", "V-21", "V-22", "V-24", "V-26"],
        True,
    ),
    item(
        11,
        [1, 4, 6, 8, 9, 10, 11, 13, 14, 18, 21, 24],
        ["V-1", "V-2", "V-3", "V-4", "V-11", "V-16", "V-21", "V-22", "V-24", "V-26", "V-32"],
        True,
    ),
]


@pytest.fixture(scope="module")
def imported() -> LetterImport:
    return import_letter(REFERENCE.read_bytes(), REFERENCE.name)


def validate(answers: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answers)]


class TestFilingAndAddressees:
    def test_filing(self, imported: LetterImport) -> None:
        assert imported.answers["filing"] == {
            "date": "2024-04-24",
            "total_pages": 13,
            "version": "public",
        }

    def test_addressees(self, imported: LetterImport) -> None:
        assert imported.answers["addressees"] == {
            "commerce_secretary": "Gina M. Raimondo",
            "itc_secretary": "Lisa R. Barton",
        }

    def test_product(self, imported: LetterImport) -> None:
        assert imported.answers["product"] == {
            "name": "Crystalline Silicon Photovoltaic Cells, Whether or Not Assembled Into Modules",
            "short_name": "c-Si PV cells and modules",
        }

    def test_running_text_kept_only_where_the_title_would_not_give_it(self) -> None:
        # The 2024 letter writes what the title suggests, so nothing extra is recorded above;
        # a letter that keeps a capital in running text has it kept.
        text = REFERENCE.read_text(encoding="utf-8").replace(
            "imports of crystalline silicon photovoltaic cells,",
            "imports of Crystalline Silicon photovoltaic cells,",
        )
        imported = import_letter(text.encode(), "letter.txt")
        assert (
            imported.answers["product"]["in_text"]
            == "Crystalline Silicon photovoltaic cells, whether or not assembled into modules"
        )


class TestCaseNumbers:
    def test_countries_named_as_the_re_line_writes_them_with_their_cases(
        self, imported: LetterImport
    ) -> None:
        assert imported.answers["countries"] == [
            {"name": "Cambodia", "ad_case": "A-555-003", "cvd_case": "C-555-004"},
            {"name": "Malaysia", "ad_case": "A-557-830", "cvd_case": "C-557-831"},
            {"name": "Thailand", "ad_case": "A-549-851", "cvd_case": "C-549-852"},
            {
                "name": "the Socialist Republic of Vietnam",
                "ad_case": "A-552-841",
                "cvd_case": "C-552-842",
            },
        ]

    def test_itc_numbers_not_yet_assigned(self, imported: LetterImport) -> None:
        assert imported.answers["itc"] == {"cvd_numbers": "701-TA-__", "ad_numbers": "731-TA-__"}


class TestParties:
    def test_petitioner(self, imported: LetterImport) -> None:
        assert imported.answers["petitioners"] == [
            {
                "name": "The American Alliance for Solar Manufacturing Trade Committee",
                "short_name": "the Committee",
                "basis": "E",
            }
        ]

    def test_members_from_the_footnotes(self, imported: LetterImport) -> None:
        coalition = imported.answers["coalition"]
        assert coalition["has_members"] is True
        assert (
            coalition["member_description"]
            == "U.S. producers of crystalline silicon photovoltaic cells and modules"
        )
        assert coalition["members_basis"] == "C"
        assert [m["name"] for m in coalition["members"]] == [
            "Convalt Energy",
            "First Solar, Inc.",
            "Hanwha Q CELLS USA, Inc.",
            "Mission Solar Energy LLC",
        ]

    def test_counsel(self, imported: LetterImport) -> None:
        counsel = imported.answers["counsel"]
        assert counsel["firm"] == "Wiley Rein LLP"
        assert counsel["address"] == "2050 M Street, NW\nWashington, DC 20036"
        assert counsel["telephone"] == "(202) 719-7000"
        assert [a["name"] for a in counsel["attorneys"]] == [
            "Timothy C. Brightbill",
            "Laura El-Sabaawi",
            "Stephanie M. Bell",
            "Adam M. Teslik",
            "Kimberly A. Reynolds",
            "Paul A. Devamithran",
            "Patrick D. Griffo",
        ]

    def test_consultants(self, imported: LetterImport) -> None:
        assert imported.answers["consultants"] == {
            "included": True,
            "firm": "Wiley Trade Analytics Group",
            "address": "2050 M Street, NW\nWashington, DC 20036",
            "telephone": "(202) 719-7000",
            "people": [{"name": "Richard F. DiDonna"}, {"name": "Amy M. Sherman"}],
        }


class TestVolumes:
    def test_the_nine_volumes(self, imported: LetterImport) -> None:
        heads = [
            {k: v for k, v in volume.items() if k != "bpi_items"}
            for volume in imported.answers["volumes"]
        ]
        assert heads == [
            {
                "numeral": "I",
                "title": "General Information and Injury",
                "kind": "general",
                "has_bpi": True,
            },
            {
                "numeral": "II",
                "title": "Cambodia AD Allegation",
                "kind": "AD",
                "country": "Cambodia",
                "has_bpi": True,
            },
            {
                "numeral": "III",
                "title": "Malaysia AD Allegation",
                "kind": "AD",
                "country": "Malaysia",
                "has_bpi": True,
            },
            {
                "numeral": "IV",
                "title": "Thailand AD Allegation",
                "kind": "AD",
                "country": "Thailand",
                "has_bpi": True,
            },
            {
                "numeral": "V",
                "title": "Vietnam AD Allegation",
                "kind": "AD",
                "country": "the Socialist Republic of Vietnam",
                "has_bpi": True,
            },
            # VI-IX exist only in "Volumes VI through IX contain the countervailing duty
            # allegations": title and country are inferred from II-V, in the same order.
            {
                "numeral": "VI",
                "kind": "CVD",
                "has_bpi": False,
                "title": "Cambodia CVD Allegation",
                "country": "Cambodia",
            },
            {
                "numeral": "VII",
                "kind": "CVD",
                "has_bpi": False,
                "title": "Malaysia CVD Allegation",
                "country": "Malaysia",
            },
            {
                "numeral": "VIII",
                "kind": "CVD",
                "has_bpi": False,
                "title": "Thailand CVD Allegation",
                "country": "Thailand",
            },
            {
                "numeral": "IX",
                "kind": "CVD",
                "has_bpi": False,
                "title": "Vietnam CVD Allegation",
                "country": "the Socialist Republic of Vietnam",
            },
        ]

    @pytest.mark.parametrize(
        ("index", "expected"),
        [
            (0, VOLUME_I_ITEMS),
            (1, VOLUME_II_ITEMS),
            (2, VOLUME_III_ITEMS),
            (3, VOLUME_IV_ITEMS),
            (4, VOLUME_V_ITEMS),
        ],
        ids=["I", "II", "III", "IV", "V"],
    )
    def test_bpi_items(
        self, imported: LetterImport, index: int, expected: list[dict[str, Any]]
    ) -> None:
        items = imported.answers["volumes"][index]["bpi_items"]
        assert len(items) == len(expected)
        for position, (got, want) in enumerate(zip(items, expected)):
            assert got == want, f"item ({position + 1})"

    def test_public_volumes_have_no_items(self, imported: LetterImport) -> None:
        assert all("bpi_items" not in volume for volume in imported.answers["volumes"][5:])

    def test_inferred_titles_and_countries_are_flagged_to_check(
        self, imported: LetterImport
    ) -> None:
        inferred = [n for n in imported.notes if n.code == "import.inferred"]
        assert [(n.path, n.severity) for n in inferred] == [
            (f"volumes[{i}]", "warning") for i in range(5, 9)
        ]
        assert (
            'title "Cambodia CVD Allegation" and country (Cambodia) were inferred from Volume II'
            in inferred[0].message
        )
        assert not any(line.startswith("volumes[") for line in imported.not_found)

    def test_no_inference_when_the_volumes_do_not_pair_up(self) -> None:
        text = REFERENCE.read_text(encoding="utf-8").replace(
            "Volumes VI through IX", "Volumes VI through VIII"
        )
        imported = import_letter(text.encode(), "letter.txt")
        assert [v.get("title") for v in imported.answers["volumes"][5:]] == [None, None, None]
        assert not [n for n in imported.notes if n.code == "import.inferred"]
        assert any(line.startswith("volumes[5].title:") for line in imported.not_found)


class TestCertifications:
    def test_company_certifications(self, imported: LetterImport) -> None:
        assert imported.answers["company_certifications"] == [
            {
                "name": "Hari Achuthan",
                "title": "Founder, President, and Chief Executive Officer",
                "company": "Convalt Energy",
                "date": "2024-04-24",
            },
            {
                "name": "Jason Dymbort",
                "title": "General Counsel and Secretary",
                "company": "First Solar, Inc.",
                "date": "2024-04-24",
            },
            {
                "name": "John Kao",
                "title": "Vice President and General Counsel",
                "company": "Hanwha Q CELLS America, Inc.",
                "represents": "Hanwha Q CELLS USA, Inc.",
                "date": "2024-04-24",
            },
            {
                "name": "Grant Himes",
                "title": "Counsel",
                "company": "Mission Solar Energy LLC",
                "date": "2024-04-24",
            },
        ]

    def test_representative_certification_without_the_blank_capacity(
        self, imported: LetterImport
    ) -> None:
        assert imported.answers["representative_certification"] == {
            "name": "Timothy C. Brightbill",
            "firm": "Wiley Rein LLP",
            "date": "2024-04-24",
        }

    def test_counsel_certification(self, imported: LetterImport) -> None:
        assert imported.answers["counsel_certification"] == {
            "name": "Timothy C. Brightbill",
            "firm": "Wiley Rein LLP",
            "date": "2024-04-24",
        }


class TestNotes:
    def test_blank_capacity(self, imported: LetterImport) -> None:
        [note] = [n for n in imported.notes if n.path == "representative_certification.capacity"]
        assert note.severity == "error"
        assert "In my capacity as, I certify" in note.message

    def test_exhibit_i_24_is_in_neither_summary(self, imported: LetterImport) -> None:
        [note] = [n for n in imported.notes if n.path == "volumes[0].bpi_items[2].exhibits"]
        assert note.severity == "error"
        assert note.code == "bpi.not_in_summary"
        assert "Exhibit I-24" in note.message
        assert "header summary of Volume I" in note.message and "(c)(11)" in note.message

    def test_no_other_errors(self, imported: LetterImport) -> None:
        assert sorted((n.path, n.code) for n in imported.notes if n.severity == "error") == [
            ("representative_certification.capacity", "certification.capacity_blank"),
            ("volumes[0].bpi_items[2].exhibits", "bpi.not_in_summary"),
        ]

    def test_e_signature_stamped_before_the_date_is_a_warning(self, imported: LetterImport) -> None:
        [note] = [n for n in imported.notes if n.path == "company_certifications[0].date"]
        assert note.severity == "warning"
        assert "Apr 15, 2024" in note.message


class TestWholeImport:
    def test_answers_validate_against_the_schema(self, imported: LetterImport) -> None:
        assert validate(imported.answers) == []

    def test_recognised_names_the_questions_answered(self, imported: LetterImport) -> None:
        assert imported.recognised[:3] == ["filing.date", "filing.total_pages", "filing.version"]
        for path in (
            "countries",
            "itc.cvd_numbers",
            "petitioners",
            "coalition.members",
            "counsel.telephone",
            "volumes",
            "volumes[1].bpi_items",
            "company_certifications",
            "representative_certification.name",
            "counsel_certification.date",
        ):
            assert path in imported.recognised
        assert "representative_certification.capacity" not in imported.recognised
        assert "volumes[5].bpi_items" not in imported.recognised

    def test_nothing_is_left_not_found(self, imported: LetterImport) -> None:
        assert imported.not_found == []

    def test_answers_survive_json(self, imported: LetterImport) -> None:
        assert json.loads(json.dumps(imported.answers)) == imported.answers

from __future__ import annotations

from datetime import date

import pytest
from adcvd_petition.rules.officeholders import (
    TERMS,
    UnknownOffice,
    commerce_secretary,
    filing_date,
    itc_secretary,
    officeholder,
    salutation,
    surname,
)


def filed(on: object) -> dict[str, object]:
    return {"filing": {"date": on}}


class TestOfficeholder:
    @pytest.mark.parametrize(
        ("office", "day", "name"),
        [
            ("commerce_secretary", date(2024, 4, 24), "Gina M. Raimondo"),
            ("commerce_secretary", date(2021, 3, 3), "Gina M. Raimondo"),
            ("commerce_secretary", date(2025, 1, 19), "Gina M. Raimondo"),
            ("commerce_secretary", date(2025, 1, 20), None),
            ("commerce_secretary", date(2025, 2, 20), None),
            ("commerce_secretary", date(2025, 2, 21), "Howard Lutnick"),
            ("commerce_secretary", date(2030, 1, 1), "Howard Lutnick"),
            ("commerce_secretary", date(2021, 3, 2), None),
            ("itc_secretary", date(2024, 4, 24), "Lisa R. Barton"),
            ("itc_secretary", date(2026, 6, 1), "Lisa R. Barton"),
            ("itc_secretary", date(2005, 1, 1), None),
        ],
    )
    def test_holder_on_a_date(self, office: str, day: date, name: str | None) -> None:
        assert officeholder(office, day) == name

    def test_refuses_an_unknown_office(self) -> None:
        with pytest.raises(UnknownOffice, match="'usitc_chair'"):
            officeholder("usitc_chair", date(2024, 1, 1))

    def test_terms_of_one_office_do_not_overlap(self) -> None:
        for office in ("commerce_secretary", "itc_secretary"):
            terms = sorted((t for t in TERMS if t.office == office), key=lambda t: t.start)
            for earlier, later in zip(terms, terms[1:]):
                assert earlier.end is not None and earlier.end <= later.start


class TestFilingDate:
    def test_reads_an_iso_date(self) -> None:
        assert filing_date(filed("2024-04-24")) == date(2024, 4, 24)

    @pytest.mark.parametrize(
        "answers",
        [
            {},
            {"filing": {}},
            filed(None),
            filed("April 24, 2024"),
            filed(20240424),
            {"filing": "2024-04-24"},
            filed("2024-02-30"),
        ],
    )
    def test_anything_else_is_none(self, answers: dict[str, object]) -> None:
        assert filing_date(answers) is None


class TestCommerceSecretary:
    def test_2024(self) -> None:
        assert commerce_secretary(filed("2024-04-24")) == "Gina M. Raimondo"

    def test_2025_after_the_change(self) -> None:
        assert commerce_secretary(filed("2025-03-01")) == "Howard Lutnick"

    def test_the_acting_secretary_is_left_to_the_user(self) -> None:
        assert commerce_secretary(filed("2025-02-01")) is None

    def test_no_date_no_name(self) -> None:
        assert commerce_secretary({}) is None


class TestItcSecretary:
    def test_2024(self) -> None:
        assert itc_secretary(filed("2024-04-24")) == "Lisa R. Barton"

    def test_no_date_no_name(self) -> None:
        assert itc_secretary({"filing": {"version": "public"}}) is None


class TestSurname:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Gina M. Raimondo", "Raimondo"),
            ("Lisa R. Barton", "Barton"),
            ("Howard Lutnick", "Lutnick"),
            ("Robert L. Barton, Jr.", "Barton"),
            ("John Smith III", "Smith"),
            ("Laura El-Sabaawi, Esq.", "El-Sabaawi"),
            ("Ursula von der Leyen", "von der Leyen"),
            ("Maria Anna von der Leyen", "von der Leyen"),
            ("Ludwig van Beethoven", "van Beethoven"),
            # A name typed without its given name keeps every particle.
            ("de la Cruz", "de la Cruz"),
            ("van Buren", "van Buren"),
            ("Smith Jr.", "Smith"),
            ("Raimondo", "Raimondo"),
            # One word is the name, even one that reads like a suffix.
            ("III", "III"),
            ("  ", ""),
            ("", ""),
        ],
    )
    def test_the_name_for_the_salutation(self, name: str, expected: str) -> None:
        assert surname(name) == expected

    def test_an_answer_that_is_not_text_has_no_surname(self) -> None:
        # Partial answers may hold anything until the schema has passed them.
        assert surname(None) == ""  # type: ignore[arg-type]


class TestSalutation:
    def test_the_letters_salutation(self) -> None:
        assert (
            salutation("Gina M. Raimondo", "Lisa R. Barton")
            == "Dear Secretary Raimondo and Secretary Barton:"
        )

"""Facts the rule library has not verified are warnings that say so; one person certifying
for two companies is a warning too."""

from adcvd_petition.rules.petition_checks import checks
from adcvd_petition.rules.unverified_checks import unverified_checks

from service.interview import engine
from service.problems import Problem


def codes(answers):
    return [(p.code, p.path, p.severity) for p in checks(answers)]


class TestUnverifiedFacts:
    def test_the_2024_case_uses_no_unverified_fact(self, solar_answers):
        assert checks(solar_answers) == []

    def test_serbias_code_801_is_a_warning_that_says_it_is_unverified(self, solar_answers):
        solar_answers["countries"][0].update(name="Serbia", ad_case="A-801-001")
        found = [p for p in checks(solar_answers) if p.code == "case.country_code_unverified"]
        assert [(p.path, p.severity) for p in found] == [("countries[0].ad_case", "warning")]
        assert "801 for Serbia" in found[0].message and "not verified" in found[0].message

    def test_an_unverified_code_in_a_cvd_only_petition(self):
        # No AD case (a CVD petition alone): the CVD case is still checked.
        answers = {"countries": [{"name": "Serbia", "cvd_case": "C-801-002"}]}
        assert unverified_checks(answers) == [
            Problem(
                path="countries[0].cvd_case",
                message=(
                    "The country code 801 for Serbia in C-801-002 is not verified in this "
                    "service's tables; check the number against Commerce's case list before "
                    "filing"
                ),
                severity="warning",
                code="case.country_code_unverified",
            )
        ]

    def test_a_verified_ad_case_does_not_stop_the_cvd_case_being_checked(self):
        answers = {
            "countries": [
                {"name": "Vietnam", "ad_case": "A-552-841", "cvd_case": "C-801-002"},
            ]
        }
        assert [(p.path, p.code) for p in unverified_checks(answers)] == [
            ("countries[0].cvd_case", "case.country_code_unverified")
        ]

    def test_a_verified_code_says_nothing(self, solar_answers):
        assert not [p for p in checks(solar_answers) if p.code == "case.country_code_unverified"]

    def test_the_wording_of_c7_and_c8_is_a_warning_once_each(self, solar_answers):
        items = solar_answers["volumes"][1]["bpi_items"]
        items[0]["paragraph"] = 7
        items[1]["paragraph"] = 7
        solar_answers["volumes"][2]["bpi_items"][0]["paragraph"] = (
            8  # wrong proceeding: an error too
        )
        found = [p for p in checks(solar_answers) if p.code == "bpi.wording_unverified"]
        assert [p.path for p in found] == [
            "volumes[1].bpi_items[0].paragraph",
            "volumes[2].bpi_items[0].paragraph",
        ]
        assert all(p.severity == "warning" for p in found)
        assert "351.105(c)(7)" in found[0].message and "not verified" in found[0].message

    def test_warnings_do_not_block(self, petition_pack, solar_answers):
        solar_answers["volumes"][1]["bpi_items"][0]["paragraph"] = 7
        assert not [
            p for p in engine.open_problems(petition_pack, solar_answers) if p.severity == "error"
        ]


class TestOnePersonTwoCompanies:
    def test_the_same_person_for_two_companies_is_a_warning(self, solar_answers):
        certifications = solar_answers["company_certifications"]
        certifications[1]["name"] = certifications[0]["name"].upper()  # the same person
        found = [
            p for p in checks(solar_answers) if p.code == "certification.person_for_two_companies"
        ]
        assert [(p.path, p.severity) for p in found] == [
            ("company_certifications[1].name", "warning")
        ]
        assert certifications[0]["company"] in found[0].message

    def test_one_certification_that_also_represents_an_affiliate_is_fine(self, solar_answers):
        # John Kao certifies for Hanwha Q CELLS America and represents Hanwha Q CELLS USA.
        assert not [
            p for p in checks(solar_answers) if p.code == "certification.person_for_two_companies"
        ]

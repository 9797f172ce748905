"""The pack model: question_at answers from its index exactly what the search finds."""

from service.interview import paths
from service.interview.walk import walk


class TestQuestionAt:
    def test_every_path_of_the_2024_case_finds_the_question_the_search_finds(
        self, petition_pack, solar_answers
    ):
        seen = 0
        for slot in walk(petition_pack, solar_answers):
            # Asked twice: found by the search, then from the index.
            assert petition_pack.question_at(slot.path) is slot.question
            assert petition_pack.question_at(slot.path) is slot.question
            assert petition_pack._find_question(slot.path) is slot.question
            seen += 1
        assert seen > 250

    def test_a_path_no_question_asks_for_is_none_each_time(self, petition_pack):
        for _ in range(2):
            assert petition_pack.question_at("volumes[0].no_such_field") is None
            assert petition_pack.question_at("filing.total_pages.deeper") is None

    def test_the_index_never_grows_past_its_bound(self, mini_pack):
        found = mini_pack.question_at("pets[0].kind")
        for index in range(10_000):
            assert mini_pack.question_at(paths.join(("pets", index, "kind"))) is found
        assert 0 < len(mini_pack._question_at) <= 8192

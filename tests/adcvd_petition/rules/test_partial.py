from __future__ import annotations

from adcvd_petition.rules.partial import entries, section, text


class TestSection:
    def test_an_object_or_an_empty_one(self) -> None:
        assert section({"filing": {"date": "x"}}, "filing") == {"date": "x"}
        assert section({"filing": "x"}, "filing") == {}
        assert section({}, "filing") == {}
        assert section(None, "filing") == {}


class TestEntries:
    def test_objects_keep_their_indices(self) -> None:
        assert list(entries([{"a": 1}, "x", None, {"b": 2}])) == [(0, {"a": 1}), (3, {"b": 2})]

    def test_not_a_list_gives_nothing(self) -> None:
        assert list(entries(None)) == []
        assert list(entries({"a": 1})) == []


class TestText:
    def test_strips_and_drops_blanks(self) -> None:
        assert text("  A-555-003 ") == "A-555-003"
        assert text("   ") is None
        assert text("") is None
        assert text(3) is None

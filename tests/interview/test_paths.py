import pytest

from service.interview import paths


class TestSplitAndJoin:
    def test_round_trip(self):
        keys = paths.split("volumes[1].bpi_items[0].pages")
        assert keys == ("volumes", 1, "bpi_items", 0, "pages")
        assert paths.join(keys) == "volumes[1].bpi_items[0].pages"

    @pytest.mark.parametrize("bad", ["a..b", "a[x]", ".a", "a]", "a[1"])
    def test_refuses_malformed(self, bad):
        with pytest.raises(paths.PathError):
            paths.split(bad)


class TestAssign:
    def test_creates_objects_and_pads_lists(self):
        tree: dict = {}
        paths.assign(tree, "counsel.attorneys[2].name", "C")
        assert tree == {"counsel": {"attorneys": [{}, {}, {"name": "C"}]}}

    def test_keeps_siblings(self):
        tree = {"filing": {"date": "2024-04-24", "total_pages": 13}}
        paths.assign(tree, "filing.date", "2024-04-25")
        assert tree == {"filing": {"date": "2024-04-25", "total_pages": 13}}

    def test_get_missing_returns_default(self):
        assert paths.get({"a": [1]}, "a[3]", "none") == "none"
        assert paths.get({"a": "text"}, "a.b") is None


class TestRemove:
    def test_removes_a_key_or_an_item_by_path_or_keys(self):
        tree = {"a": [1, 2], "b": {"c": 1}}
        paths.remove(tree, "a[1]")
        paths.remove(tree, ("b", "c"))
        assert tree == {"a": [1], "b": {}}

    @pytest.mark.parametrize("path", ["a[1]", "a[5]", "b.x", "x.y"])
    def test_what_is_not_there_is_left_alone(self, path):
        tree = {"a": [1], "b": {"c": 1}}
        paths.remove(tree, path)
        assert tree == {"a": [1], "b": {"c": 1}}

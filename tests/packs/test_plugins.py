"""The plugin interface: a pack's Python adds rules, answer types and an importer, and the
petition pack uses the same interface as a stranger's pack."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.interview import fields
from service.packs.loader import PackError, load_pack
from service.packs.plugins import PackPlugin, installed
from tests.fixtures.packs.mini_plugin import PAGE_NUMBERS

REPO = Path(__file__).resolve().parents[2]


def edit_definition(pack_dirs, change) -> None:
    path = pack_dirs[1] / "mini" / "interview.yaml"
    definition = yaml.safe_load(path.read_text())
    change(definition)
    path.write_text(yaml.safe_dump(definition, sort_keys=False))


class TestThePetitionRegistersLikeAnyPack:
    def test_its_plugin_is_found_by_its_entry_point(self):
        plugin = installed()["adcvd-petition"]
        assert {t.name for t in plugin.question_types} == {"page_list", "exhibit_list"}
        assert plugin.importer is not None and ".docx" in plugin.importer.accept
        assert "adcvd.document_context" in plugin.rules

    def test_its_answer_types_come_from_the_plugin(self, petition_pack):
        pages = petition_pack.question_at("volumes[0].bpi_items[0].pages")
        exhibits = petition_pack.question_at("volumes[0].bpi_items[0].exhibits")
        assert pages.plugin_type.name == "page_list"
        assert exhibits.refers == {"numeral_from": "numeral"}

    def test_without_its_plugin_the_engine_knows_none_of_it(self):
        with pytest.raises(PackError) as raised:
            load_pack("adcvd-petition", REPO / "templates", REPO / "schemas", plugin=None)
        text = "\n".join(raised.value.problems)
        assert "unknown type 'page_list'" in text and "unknown type 'exhibit_list'" in text
        assert "no rule named 'adcvd.document_context'" in text

    def test_an_exhibit_list_reads_numbers_with_the_volumes_numeral(self, petition_pack):
        answers = {"volumes": [{"numeral": "II", "bpi_items": [{}]}]}
        path = "volumes[0].bpi_items[0].exhibits"
        assert fields.parse_at(petition_pack, answers, path, "3, 4") == ["II-3", "II-4"]
        with pytest.raises(fields.FieldParseError):
            fields.parse_at(petition_pack, answers, "volumes[0].bpi_items[0].pages", "3, x-9")


class TestAStrangersPlugin:
    def test_named_rules_and_types_of_a_plugin_given_to_the_loader(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d.update(context="mini.context", plugin=None))
        plugin = PackPlugin(
            rules={"mini.context": lambda answers: {**answers, "greeting": "hello"}},
            question_types=(PAGE_NUMBERS,),
            derived_names=frozenset({"greeting"}),
        )
        pack = load_pack("mini", *pack_dirs, plugin=plugin)
        assert pack.context({"owner": {}})["greeting"] == "hello"
        assert "greeting" in pack.derived_names
        assert pack.importer is None

    def test_a_plugin_named_in_the_interview_that_cannot_be_loaded(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d.update(plugin="no_such_module:plugin"))
        with pytest.raises(PackError) as raised:
            load_pack("mini", *pack_dirs)
        assert any(
            "plugin 'no_such_module:plugin' cannot be loaded" in p for p in raised.value.problems
        )

    def test_a_type_the_plugin_does_not_add_is_refused_with_the_known_ones(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d.update(plugin=None))
        with pytest.raises(PackError) as raised:
            load_pack("mini", *pack_dirs, plugin=None)
        assert any("unknown type 'page_numbers'" in p for p in raised.value.problems)


class TestDeclarations:
    def test_reads_and_made_of_mark_the_rule_itself(self):
        from service.packs.plugins import made_of, reads

        def rule(answers):
            return ["found"]

        assert reads("a.b", "c[*].d")(rule) is rule
        assert rule.reads == ("a.b", "c[*].d")
        assert rule({}) == ["found"]

        def both(answers):
            return []

        assert made_of(rule, rule)(both) is both
        assert both.parts == (rule, rule)

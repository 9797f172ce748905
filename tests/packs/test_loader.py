"""A broken pack is refused, naming the file and the place in it."""

from pathlib import Path

import pytest
import yaml
from docx import Document

from service.app import create_app
from service.packs import PackRegistry
from service.packs.loader import PackError, load_pack
from service.settings import Settings


def edit_definition(pack_dirs, change) -> Path:
    path = pack_dirs[1] / "mini" / "interview.yaml"
    definition = yaml.safe_load(path.read_text())
    change(definition)
    path.write_text(yaml.safe_dump(definition, sort_keys=False))
    return path


def problems(pack_dirs) -> list[str]:
    with pytest.raises(PackError) as raised:
        load_pack("mini", *pack_dirs)
    return raised.value.problems


class TestLoadPack:
    def test_the_fixture_pack_loads(self, pack_dirs):
        pack = load_pack("mini", *pack_dirs)
        assert [s.id for s in pack.steps] == ["owner", "pets"]
        assert pack.question_at("pets[3].kind").type == "choice"

    def test_the_petition_pack_loads(self, petition_pack):
        assert petition_pack.version == "1.0.0"
        assert len(petition_pack.documents) == 4

    def test_unknown_field_type(self, pack_dirs):
        path = edit_definition(
            pack_dirs, lambda d: d["steps"][0]["questions"][0].update(type="texty")
        )
        (problem,) = problems(pack_dirs)
        assert problem.startswith(
            f"{path}: steps[0].questions[0] (owner.name): unknown type 'texty'"
        )

    def test_question_the_schema_does_not_have(self, pack_dirs):
        edit_definition(
            pack_dirs,
            lambda d: d["steps"][0]["questions"].append(
                {"id": "owner.shoe_size", "type": "number", "prompt": "?"}
            ),
        )
        (problem,) = problems(pack_dirs)
        assert "(owner.shoe_size): the answers schema has no property at this path" in problem

    def test_type_that_does_not_fit_the_schema(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d["steps"][0]["questions"][2].update(type="number"))
        (problem,) = problems(pack_dirs)
        assert "(owner.since): type 'number' does not fit the schema" in problem

    def test_condition_on_an_answer_nobody_asks(self, pack_dirs):
        edit_definition(
            pack_dirs,
            lambda d: d["steps"][1]["questions"][1].update(
                when={"field": "has_dogs", "equals": True}
            ),
        )
        (problem,) = problems(pack_dirs)
        assert (
            "question 'pets'" in problem
            and "refers to 'has_dogs', which no question asks" in problem
        )

    def test_comparison_with_an_answer_nobody_asks(self, pack_dirs):
        when = {"field": "kind", "differs_from": "favourite_kind"}
        edit_definition(
            pack_dirs, lambda d: d["steps"][1]["questions"][1]["fields"][2].update(when=when)
        )
        (problem,) = problems(pack_dirs)
        assert (
            "question 'pages'" in problem
            and "refers to 'favourite_kind', which no question asks" in problem
        )

    def test_comparison_with_an_answer_of_the_item_or_of_the_whole(self, pack_dirs):
        # "name" is the pet's own; "owner.name" is found outside the group.
        when = {"field": "name", "differs_from": "owner.name"}
        edit_definition(
            pack_dirs, lambda d: d["steps"][1]["questions"][1]["fields"][2].update(when=when)
        )
        pack = load_pack("mini", *pack_dirs)
        assert pack.question_at("pets[0].pages").when == when

    @pytest.mark.parametrize(
        "when",
        [
            {"field": "has_pets"},
            {"field": "has_pets", "equals": True, "is_set": True},
            {"field": "has_pets", "differ_from": "owner.name"},
            {"any": []},
            {"not": {"field": "has_pets", "differs_from": 3}},
        ],
    )
    def test_condition_of_a_shape_the_engine_does_not_know(self, pack_dirs, when):
        edit_definition(pack_dirs, lambda d: d["steps"][1]["questions"][1].update(when=when))
        (problem,) = problems(pack_dirs)
        assert "question 'pets'" in problem and "condition" in problem

    def test_unknown_rule(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d.update(context="generic.nothing"))
        assert any("no rule named 'generic.nothing'" in p for p in problems(pack_dirs))

    def test_yaml_that_does_not_parse(self, pack_dirs):
        path = pack_dirs[1] / "mini" / "interview.yaml"
        path.write_text("pack: mini\nsteps: [\n")
        (problem,) = problems(pack_dirs)
        assert problem.startswith(f"{path}: not valid YAML")
        # Read fast by libyaml, worded by PyYAML's Python loader as before (line and column).
        import yaml

        try:
            yaml.safe_load("pack: mini\nsteps: [\n")
        except yaml.YAMLError as exc:
            assert problem == f"{path}: not valid YAML: {exc}"

    def test_missing_template(self, pack_dirs):
        (pack_dirs[0] / "mini" / "pet-card.docx").unlink()
        (problem,) = problems(pack_dirs)
        assert "documents[1]: template" in problem and "pet-card.docx not found" in problem

    def test_jinja_tag_that_does_not_parse(self, pack_dirs):
        template = pack_dirs[0] / "mini" / "letter.docx"
        document = Document(template)
        document.add_paragraph("{% if owner.name %} never closed")
        document.save(template)
        (problem,) = problems(pack_dirs)
        assert problem.startswith(str(template))
        # The place, what is wrong in plain words, and the tag as written.
        assert problem.endswith(
            "letter.docx: paragraph 7: `{% if %}` is never closed: missing `{% endif %}`: {% if owner.name %}"
        )

    def test_template_variable_the_schema_does_not_define(self, pack_dirs):
        template = pack_dirs[0] / "mini" / "pet-card.docx"
        document = Document(template)
        document.add_paragraph("Vet: {{ vet.name }}")
        document.save(template)
        (problem,) = problems(pack_dirs)
        assert (
            problem
            == f"{template}: paragraph 3: the answers schema defines no field vet.name: {{{{ vet.name }}}}"
        )


class TestStartup:
    def test_a_broken_pack_is_left_out_and_the_app_still_starts(self, pack_dirs):
        edit_definition(pack_dirs, lambda d: d["steps"][0]["questions"][0].update(type="texty"))
        app = create_app(
            Settings(templates_dir=pack_dirs[0], schemas_dir=pack_dirs[1]), configure_logs=False
        )
        (problem,) = app.state.packs.unavailable["mini"]
        assert "unknown type 'texty'" in problem

    def test_every_pack_in_the_folders_is_loaded(self, pack_dirs):
        registry = PackRegistry.load(*pack_dirs)
        assert [p.name for p in registry] == ["mini"]

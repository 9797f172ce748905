"""A clean outcome of the packs check is remembered by content; anything else is checked again."""

import shutil
from pathlib import Path

import pytest
from docx import Document
from jsonschema import Draft202012Validator

from service.packs import PackRegistry, check_cache
from service.packs.loader import PackError, load_pack


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(check_cache, "folder", lambda: folder)
    return folder


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the check really ran: the Word templates' check and the meta-schema's."""
    import service.packs.check

    ran: list[str] = []
    word_check = service.packs.check.check_template
    schema_check = Draft202012Validator.check_schema

    def check_template(path, *args, **kwargs):
        ran.append(Path(path).name)
        return word_check(path, *args, **kwargs)

    def check_schema(schema, *args, **kwargs):
        ran.append("schema")
        return schema_check(schema, *args, **kwargs)

    monkeypatch.setattr(service.packs.check, "check_template", check_template)
    monkeypatch.setattr(Draft202012Validator, "check_schema", staticmethod(check_schema))
    return ran


def test_a_clean_pack_is_checked_once_then_remembered(pack_dirs, cache, checks):
    first = load_pack("mini", *pack_dirs)
    assert sorted(checks) == ["letter.docx", "pet-card.docx", "schema"]
    checks.clear()
    again = load_pack("mini", *pack_dirs)
    assert checks == []
    assert again.documents == first.documents
    assert again.schema == first.schema


def test_an_edited_template_is_checked_again(pack_dirs, cache, checks):
    load_pack("mini", *pack_dirs)
    template = pack_dirs[0] / "mini" / "pet-card.docx"
    document = Document(template)
    document.add_paragraph("Still fine: {{ owner.name }}")
    document.save(template)
    checks.clear()
    load_pack("mini", *pack_dirs)
    assert sorted(checks) == ["letter.docx", "pet-card.docx"]  # the schema is unchanged


def test_a_broken_template_is_never_remembered_and_reported_on_every_start(
    pack_dirs, cache, checks
):
    load_pack("mini", *pack_dirs)  # clean: remembered
    template = pack_dirs[0] / "mini" / "pet-card.docx"
    document = Document(template)
    document.add_paragraph("Vet: {{ vet.name }}")
    document.save(template)
    for _ in range(2):
        registry = PackRegistry.load(*pack_dirs)
        assert [p.name for p in registry] == []
        (problem,) = registry.unavailable["mini"]
        assert "the answers schema defines no field vet.name" in problem
    assert checks.count("pet-card.docx") == 2


def test_a_changed_schema_is_checked_again(pack_dirs, cache, checks):
    load_pack("mini", *pack_dirs)
    schema = next((pack_dirs[1] / "mini").glob("*.json"))
    schema.write_text(schema.read_text().replace("{", '{"$comment": "edited", ', 1))
    checks.clear()
    load_pack("mini", *pack_dirs)
    assert sorted(checks) == ["letter.docx", "pet-card.docx", "schema"]


def test_a_schema_that_is_not_json_schema_is_refused_on_every_start(pack_dirs, cache):
    schema = next((pack_dirs[1] / "mini").glob("*.json"))
    schema.write_text(schema.read_text().replace("{", '{"minProperties": -1, ', 1))
    for _ in range(2):
        with pytest.raises(PackError, match="not a valid JSON Schema"):
            load_pack("mini", *pack_dirs)
    assert not any(cache.glob("schema-*"))


def test_without_a_writable_cache_the_check_runs_every_time(pack_dirs, monkeypatch, checks):
    blocked = pack_dirs[0].parent / "not-a-folder"
    blocked.write_text("a file where the cache's folder would be")
    monkeypatch.setattr(check_cache, "folder", lambda: blocked / "packs-check")
    load_pack("mini", *pack_dirs)
    load_pack("mini", *pack_dirs)
    assert checks.count("letter.docx") == 2


@pytest.fixture
def fresh_checker():
    check_cache._checker.cache_clear()
    yield
    check_cache._checker.cache_clear()


def _key() -> str:
    check_cache._checker.cache_clear()
    return check_cache.key("templates", [b"template", {"schema": 1}, frozenset({"a", "b"})])


def test_the_key_changes_with_the_checking_code(tmp_path, monkeypatch, fresh_checker):
    before = _key()
    copy = tmp_path / "service"
    for relative in check_cache._CHECKER_SOURCES:
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(check_cache._SERVICE / relative, copy / relative)
    monkeypatch.setattr(check_cache, "_SERVICE", copy)
    assert _key() == before
    with (copy / "packs" / "check.py").open("a") as source:
        source.write("# edited\n")
    assert _key() != before


def test_the_key_changes_with_the_libraries_versions(monkeypatch, fresh_checker):
    before = _key()
    monkeypatch.setattr(check_cache.metadata, "version", lambda name: "999")
    assert _key() != before


def test_the_key_tells_its_parts_apart(fresh_checker):
    assert check_cache.key("t", [b"ab", b"c"]) != check_cache.key("t", [b"a", b"bc"])
    assert check_cache.key("t", [frozenset({"b", "a"})]) == check_cache.key("t", [{"a", "b"}])
    assert check_cache.key("t", [b"1"]) != check_cache.key("t", [1])

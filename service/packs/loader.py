"""Reading a template pack from its folders and refusing a broken one at startup.

A pack named N is ``schemas/N/interview.yaml`` (steps, questions, documents, named rules),
``schemas/N/<schema>`` (JSON Schema 2020-12 of the answers) and ``templates/N/*.docx``.
Every problem found is reported with the file and the place in it, so that whoever edits a
pack learns what to fix before the service starts, not from a stack trace at render time.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from service.interview import declared_checks, paths
from service.packs import check_cache, registry
from service.packs.model import FIELD_TYPES, Choice, DocumentSpec, Pack, Question, Step
from service.packs.plugins import PackPlugin, QuestionType, installed

if TYPE_CHECKING:
    from jsonschema.exceptions import SchemaError

# Which JSON Schema shapes each field type may answer.
_TYPE_CHECKS = {
    "text": lambda s: s.get("type") == "string" or "enum" in s,
    "multiline": lambda s: s.get("type") == "string",
    "date": lambda s: s.get("type") == "string" and s.get("format") == "date",
    "number": lambda s: s.get("type") in ("integer", "number"),
    "choice": lambda s: "enum" in s or s.get("type") == "integer",
    "yesno": lambda s: s.get("type") == "boolean",
    "group": lambda s: s.get("type") == "array",
}


class PackError(Exception):
    """A pack that cannot be used, with every problem found and where it is."""

    def __init__(self, pack: str, problems: list[str]) -> None:
        self.pack = pack
        self.problems = problems
        super().__init__(f"template pack {pack!r} is broken:\n  " + "\n  ".join(problems))


# ``load_pack``'s default: the plugin installed under the pack's name, if any.
INSTALLED: Any = object()


def load_pack(
    name: str, templates_root: Path, schemas_root: Path, plugin: PackPlugin | None = INSTALLED
) -> Pack:
    """Load and check one pack, with what its plugin adds: the one given, else the one
    installed under its name, else the one its interview.yaml names. Raises PackError listing
    everything that is wrong."""
    if plugin is INSTALLED:
        plugin = installed().get(name)
    return _PackReader(name, templates_root, schemas_root, plugin).read()


def discover(templates_root: Path, schemas_root: Path) -> list[str]:
    """Names of the packs present: folders of ``schemas_root`` holding an interview.yaml."""
    if not schemas_root.is_dir():
        return []
    return sorted(p.parent.name for p in schemas_root.glob("*/interview.yaml"))


class _PackReader:
    def __init__(
        self, name: str, templates_root: Path, schemas_root: Path, plugin: PackPlugin | None
    ) -> None:
        self.name = name
        self.plugin = plugin
        self.plugin_types: dict[str, QuestionType] = {
            t.name: t for t in (plugin.question_types if plugin else ())
        }
        self.template_dir = templates_root / name
        self.schema_dir = schemas_root / name
        self.definition_file = self.schema_dir / "interview.yaml"
        self.problems: list[str] = []
        self.schema: dict[str, Any] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def read(self) -> Pack:
        where = str(self.definition_file)
        try:
            definition = _read_yaml(self.definition_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PackError(self.name, [f"{where}: file not found"]) from None
        except yaml.YAMLError as exc:
            raise PackError(self.name, [f"{where}: not valid YAML: {exc}"]) from None
        if not isinstance(definition, dict):
            raise PackError(self.name, [f"{where}: must be a mapping"])
        for key in ("pack", "version", "title", "schema", "steps", "documents", "context"):
            if key not in definition:
                self.fail(where, f"missing the key {key!r}")
        if self.problems:
            raise PackError(self.name, self.problems)
        if definition["pack"] != self.name:
            self.fail(
                where, f"declares pack {definition['pack']!r} but lives in folder {self.name!r}"
            )

        if self.plugin is None and definition.get("plugin"):
            self._use_named_plugin(str(definition["plugin"]))
        self.schema = self._read_schema(self.schema_dir / definition["schema"])
        functions = self._resolve_functions(definition)
        steps = self._read_steps(definition["steps"])
        documents = self._read_documents(definition["documents"])
        derived_names = frozenset(definition.get("derived", [])) | (
            self.plugin.derived_names if self.plugin else frozenset()
        )
        if not self.problems:
            self._check_templates(documents, derived_names)
        if self.problems:
            raise PackError(self.name, self.problems)
        return Pack(
            name=self.name,
            version=str(definition["version"]),
            title=definition["title"],
            description=definition.get("description", ""),
            schema=self.schema,
            steps=steps,
            documents=documents,
            context=functions["context"],
            checks=tuple(functions["checks"]),
            session_title=functions["session_title"],
            derive=functions["derive"],
            derived_names=derived_names,
            importer=self.plugin.importer if self.plugin else None,
            page_count_answer=definition.get("page_count_answer"),
        )

    def _use_named_plugin(self, reference: str) -> None:
        """``plugin: module:attribute`` in interview.yaml: a pack's plugin that is not installed
        as an entry point (a pack tried out before it is packaged)."""
        module_name, _, attribute = reference.partition(":")
        try:
            plugin = getattr(importlib.import_module(module_name), attribute or "plugin")
        except (ImportError, AttributeError) as exc:
            self.fail(str(self.definition_file), f"plugin {reference!r} cannot be loaded: {exc}")
            return
        if not isinstance(plugin, PackPlugin):
            self.fail(str(self.definition_file), f"plugin {reference!r} is not a PackPlugin")
            return
        self.plugin = plugin
        self.plugin_types = {t.name: t for t in plugin.question_types}

    # -- the answers schema -------------------------------------------------------------

    def _read_schema(self, path: Path) -> dict[str, Any]:
        try:
            text = path.read_text(encoding="utf-8")
            schema = json.loads(text)
        except FileNotFoundError:
            self.fail(str(path), "file not found")
            return {}
        except json.JSONDecodeError as exc:
            self.fail(f"{path}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}")
            return {}
        # Checked against the meta-schema once per content (``check_cache``).
        entry = check_cache.key("schema", [text.encode()])
        if not check_cache.known_clean(entry):
            wrong = _meta_schema_error(schema)
            if wrong is not None:
                self.fail(
                    f"{path}: {'/'.join(map(str, wrong.path))}",
                    f"not a valid JSON Schema: {wrong.message}",
                )
                return {}
            check_cache.remember_clean(entry)
        return schema

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            target: Any = self.schema
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def _schema_at(self, base: dict[str, Any], relative_id: str) -> dict[str, Any] | None:
        node = base
        for key in paths.split(relative_id):
            node = self._deref(node)
            if isinstance(key, int):
                node = node.get("items", {})
                continue
            properties = node.get("properties", {})
            if key not in properties:
                return None
            node = properties[key]
        return self._deref(node)

    # -- functions of the rule library ----------------------------------------------------

    def _resolve_functions(self, definition: dict[str, Any]) -> dict[str, Any]:
        where = str(self.definition_file)

        def resolve(name: str) -> Any:
            try:
                return registry.resolve(name, self.plugin)
            except registry.UnknownFunction as exc:
                self.fail(where, str(exc))
                return None

        derive_names = {
            q["default"]["derive"]
            for q in _all_question_dicts(definition.get("steps", []))
            if isinstance(q.get("default"), dict) and "derive" in q["default"]
        }
        title_name = definition.get("session_title")
        return {
            "context": resolve(definition["context"]),
            "checks": [
                resolve(n) if isinstance(n, str) else self._declared_check(n)
                for n in definition.get("checks", [])
            ],
            "session_title": resolve(title_name) if title_name else _default_title(definition),
            "derive": {n: resolve(n) for n in derive_names},
        }

    def _declared_check(self, spec: Any) -> Any:
        """A check declared as data (``kind: later_than`` ...), its answers known to the schema."""
        where = f"{self.definition_file}: checks"
        try:
            check = declared_checks.build(spec)
        except declared_checks.DeclaredCheckError as exc:
            self.fail(where, str(exc))
            return None
        for pattern in declared_checks.fields(spec):
            if self.schema and self._schema_at(self.schema, pattern.replace("[*]", "[0]")) is None:
                self.fail(
                    where, f"check {spec['kind']!r} reads {pattern!r}, which the schema lacks"
                )
        return check

    # -- steps and questions ----------------------------------------------------------------

    def _read_steps(self, raw_steps: Any) -> tuple[Step, ...]:
        where = str(self.definition_file)
        if not isinstance(raw_steps, list) or not raw_steps:
            self.fail(where, "steps must be a non-empty list")
            return ()
        steps: list[Step] = []
        seen_steps: set[str] = set()
        seen_questions: set[str] = set()
        for i, raw in enumerate(raw_steps):
            place = f"{where}: steps[{i}]"
            if not isinstance(raw, dict) or "id" not in raw or "questions" not in raw:
                self.fail(place, "a step needs an id and questions")
                continue
            if raw["id"] in seen_steps:
                self.fail(place, f"step id {raw['id']!r} is used twice")
            seen_steps.add(raw["id"])
            questions = tuple(
                q
                for j, rq in enumerate(raw["questions"])
                if (q := self._read_question(rq, f"{place}.questions[{j}]", self.schema, ""))
            )
            for q in questions:
                if q.id in seen_questions:
                    self.fail(place, f"question {q.id!r} is asked twice")
                seen_questions.add(q.id)
            steps.append(
                Step(
                    id=raw["id"],
                    title=raw.get("title", raw["id"]),
                    intro=raw.get("intro", ""),
                    questions=questions,
                )
            )
        self._check_conditions(steps)
        return tuple(steps)

    def _read_question(
        self, raw: Any, place: str, parent_schema: dict[str, Any], parent_id: str
    ) -> Question | None:
        if not isinstance(raw, dict) or "id" not in raw or "type" not in raw:
            self.fail(place, "a question needs an id and a type")
            return None
        qid, qtype = raw["id"], raw["type"]
        place = f"{place} ({parent_id + '.' if parent_id else ''}{qid})"
        try:
            paths.split(qid)
        except paths.PathError:
            self.fail(place, f"id {qid!r} is not a path")
            return None
        plugin_type = self.plugin_types.get(qtype)
        if qtype not in FIELD_TYPES and plugin_type is None:
            known = ", ".join(sorted(FIELD_TYPES | self.plugin_types.keys()))
            self.fail(place, f"unknown type {qtype!r}; known: {known}")
            return None
        fits = plugin_type.fits if plugin_type else _TYPE_CHECKS[qtype]
        schema = self._schema_at(parent_schema, qid) if self.schema else {}
        if schema is None:
            self.fail(place, "the answers schema has no property at this path")
            schema = {}
        elif self.schema and not fits(schema):
            self.fail(place, f"type {qtype!r} does not fit the schema {json.dumps(schema)[:120]}")
        choices = tuple(
            Choice(value=c["value"], label=str(c.get("label", c["value"])))
            for c in raw.get("choices", [])
        )
        if qtype == "choice":
            if not choices:
                self.fail(place, "a choice needs choices")
            allowed = schema.get("enum")
            item_schema = self._deref(schema)
            if allowed is None and item_schema.get("type") == "integer":
                allowed = list(
                    range(item_schema.get("minimum", 0), item_schema.get("maximum", -1) + 1)
                )
            for c in choices:
                if allowed is not None and c.value not in allowed:
                    self.fail(place, f"choice {c.value!r} is not allowed by the schema")
        fields: tuple[Question, ...] = ()
        item_schema: dict[str, Any] = {}
        if qtype == "group":
            item_schema = self._deref(schema.get("items", {})) if schema else {}
            raw_fields = raw.get("fields") or []
            if not raw_fields:
                self.fail(place, "a group needs fields")
            fields = tuple(
                f
                for k, rf in enumerate(raw_fields)
                if (f := self._read_question(rf, f"{place}.fields[{k}]", item_schema, qid))
            )
        max_items = raw.get("max_items", schema.get("maxItems") if schema else None)
        return Question(
            id=qid,
            type=qtype,
            prompt=str(raw.get("prompt", qid)),
            required=bool(raw.get("required", False)),
            help=str(raw.get("help", "")).strip(),
            example=str(raw.get("example", "")),
            choices=choices,
            default=raw.get("default"),
            when=raw.get("when"),
            fields=fields,
            min_items=int(raw.get("min_items", 0)),
            max_items=max_items,
            item_label=str(raw.get("item_label", "item")),
            plugin_type=plugin_type,
            refers={o: raw[o] for o in (plugin_type.refers if plugin_type else ()) if o in raw},
            item_name=str(raw["item_name"]) if raw.get("item_name") else None,
            schema=item_schema if qtype == "group" else schema,
        )

    def _check_conditions(self, steps: list[Step]) -> None:
        """Every condition must name an answer the interview asks for."""
        asked: set[str] = set()

        def collect(questions: tuple[Question, ...], prefix: str) -> None:
            for q in questions:
                full = f"{prefix}{q.id}"
                asked.add(full)
                collect(q.fields, f"{full}.")

        for step in steps:
            collect(step.questions, "")

        def check(questions: tuple[Question, ...], prefix: str, step: Step) -> None:
            for q in questions:
                if q.when is not None and (wrong := _condition_shape_problem(q.when)):
                    self.fail(f"{self.definition_file}: step {step.id!r} question {q.id!r}", wrong)
                    continue
                for name in _condition_fields(q.when) + list(q.refers.values()):
                    # A name resolves in the innermost group item that has it, then outwards.
                    ancestors = [prefix[: i + 1] for i, ch in enumerate(prefix) if ch == "."]
                    if not any(f"{a}{name}" in asked for a in ["", *ancestors]):
                        self.fail(
                            f"{self.definition_file}: step {step.id!r} question {q.id!r}",
                            f"it refers to {name!r}, which no question asks",
                        )
                check(q.fields, f"{prefix}{q.id}.", step)

        for step in steps:
            check(step.questions, "", step)

    # -- documents ---------------------------------------------------------------------------

    def _read_documents(self, raw_documents: Any) -> tuple[DocumentSpec, ...]:
        where = str(self.definition_file)
        documents = []
        for i, raw in enumerate(raw_documents or []):
            place = f"{where}: documents[{i}]"
            if not isinstance(raw, dict) or not {"id", "template", "file_name"} <= raw.keys():
                self.fail(place, "a document needs an id, a template and a file_name")
                continue
            template = self.template_dir / raw["template"]
            if not template.is_file():
                self.fail(place, f"template {template} not found")
            for_each = raw.get("for_each")
            if for_each and (self._schema_at(self.schema, for_each) or {}).get("type") != "array":
                self.fail(place, f"for_each {for_each!r} is not a list of answers")
            documents.append(
                DocumentSpec(
                    id=raw["id"],
                    title=raw.get("title", raw["id"]),
                    template=template,
                    file_name=raw["file_name"],
                    for_each=for_each,
                    as_name=raw.get("as", "item") if for_each else None,
                    item_title=raw.get("item_title"),
                )
            )
        if not documents:
            self.fail(where, "a pack needs at least one document")
        return tuple(documents)

    def _check_templates(
        self, documents: tuple[DocumentSpec, ...], derived_names: frozenset[str]
    ) -> None:
        from service.rendering.packet import ENGINE_NAMES

        # A clean outcome is remembered by content (``check_cache``): templates, schema,
        # names and the checking code all unchanged, the check would find nothing again.
        try:
            entry = check_cache.key(
                "templates",
                [
                    self.schema,
                    derived_names,
                    ENGINE_NAMES,
                    *(part for d in documents for part in (d.template.read_bytes(), d.as_name)),
                ],
            )
        except OSError:
            entry = None  # a template that cannot be read: the check says so
        if entry is not None and check_cache.known_clean(entry):
            return
        problems_before = len(self.problems)
        self._check_templates_now(documents, derived_names, ENGINE_NAMES)
        if entry is not None and len(self.problems) == problems_before:
            check_cache.remember_clean(entry)

    def _check_templates_now(
        self,
        documents: tuple[DocumentSpec, ...],
        derived_names: frozenset[str],
        engine_names: frozenset[str],
    ) -> None:
        from service.packs.check import check_template as check_in_word
        from service.rendering import TemplateCheckError, check_template, template_variables

        defined = set(self.schema.get("properties", {})) | derived_names | engine_names
        for document in documents:
            # Word-level problems first: they name the paragraph or table cell and the tag.
            opaque = (
                derived_names | engine_names | ({document.as_name} if document.as_name else set())
            )
            if found := check_in_word(document.template, self.schema, frozenset(opaque)):
                self.problems += [str(problem) for problem in found]
                continue
            try:
                check_template(document.template)
                used = template_variables(document.template)
            except TemplateCheckError as exc:
                self.fail(str(document.template), str(exc))
                continue
            unknown = used - defined - ({document.as_name} if document.as_name else set())
            if unknown:
                self.fail(
                    str(document.template),
                    "uses variables that neither the answers schema nor the pack's derived names "
                    f"define: {', '.join(sorted(unknown))}",
                )


def _condition_fields(when: Any) -> list[str]:
    """Every answer a condition names, the one compared with (``differs_from``) included."""
    if not isinstance(when, dict):
        return []
    if "field" in when:
        return [when["field"]] + ([when["differs_from"]] if "differs_from" in when else [])
    found: list[str] = []
    for key in ("all", "any"):
        for sub in when.get(key, []):
            found += _condition_fields(sub)
    if "not" in when:
        found += _condition_fields(when["not"])
    return found


_COMPARISONS = ("equals", "in", "is_set", "differs_from")


def _condition_shape_problem(when: Any) -> str | None:
    """What makes ``when`` a condition the engine cannot evaluate, or None."""
    if not isinstance(when, dict):
        return f"its condition must be a mapping, not {when!r}"
    for key in ("all", "any"):
        if key in when:
            if not isinstance(when[key], list) or not when[key]:
                return f"{key!r} in its condition must be a non-empty list of conditions"
            return next(filter(None, map(_condition_shape_problem, when[key])), None)
    if "not" in when:
        return _condition_shape_problem(when["not"])
    comparisons = [key for key in _COMPARISONS if key in when]
    if not isinstance(when.get("field"), str) or len(comparisons) != 1:
        return (
            f"its condition {when!r} must name a field and one of "
            f"{', '.join(_COMPARISONS)} (or combine conditions with all, any, not)"
        )
    if "differs_from" in when and not isinstance(when["differs_from"], str):
        return f"differs_from in its condition {when!r} must name another answer"
    return None


def _all_question_dicts(raw_steps: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(questions: Any) -> None:
        for q in questions or []:
            if isinstance(q, dict):
                found.append(q)
                walk(q.get("fields"))

    for step in raw_steps or []:
        if isinstance(step, dict):
            walk(step.get("questions"))
    return found


def _default_title(definition: dict[str, Any]) -> Any:
    title = str(definition.get("title", "Interview"))
    return lambda answers: title


# PyYAML's libyaml parser reads a large interview.yaml (the first pack's) in a tenth of the time (135 ms of
# a server's start went to the pure-Python one); a file it refuses is read again by the Python
# loader, so that the message naming the line stays the same.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _meta_schema_error(schema: Any) -> SchemaError | None:
    """Where ``schema`` breaks JSON Schema 2020-12's meta-schema; None: nowhere."""
    # Imported only for a schema not known clean: a start with the check remembered does
    # without jsonschema and its referencing (~20 ms of every server's start).
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return exc
    return None

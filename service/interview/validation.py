"""Checking answers: one path for every client, so every client gets the same words.

Two kinds of finding:
- a value that fails its own field's check (type, format, length, pattern) is *refused*:
  the request that sent it saves nothing (``value_problems``);
- what is missing or inconsistent across fields is *saved and reported*, because an interview
  is filled in over many sittings (``open_problems``, in ``engine``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import msgspec

from service.interview import paths
from service.packs.model import Pack, Question
from service.problems import Problem

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

# Characters XML 1.0 cannot carry: a document holding one would not open in Word.
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The same characters in answers encoded as JSON by msgspec, which writes U+FFFE and U+FFFF as
# UTF-8, the controls it must escape as \b, \f and \u00XX (tab, line feed and carriage return
# as \t, \n and \r, quotes and backslashes as \" and \\), and fails on surrogates.
_FORBIDDEN_UTF8 = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_FORBIDDEN_ESCAPES = frozenset(b"bfu")

_validators: dict[tuple[str, str], Draft202012Validator] = {}
_fast_validators: dict[tuple[str, str], Any] = {}

# Entries of all lists in one set of answers (values of list answers, items of groups). Each list
# has its own limit in the schema, but forty items of 5,000 entries each are within those and would make every
# check and every read of the session slow; no real filing comes near this total.
MAX_LIST_ENTRIES = 10_000


def _validator(pack: Pack) -> Draft202012Validator:
    # The Python validator words refusals only (jsonschema-rs says whether answers are valid):
    # imported on the first refusal, not by every server's start (~20 ms with its referencing).
    from jsonschema import Draft202012Validator, FormatChecker

    key = (pack.name, pack.version)
    if key not in _validators:
        _validators[key] = Draft202012Validator(pack.schema, format_checker=FormatChecker())
    return _validators[key]


def _fast_validator(pack: Pack) -> Any:
    # jsonschema-rs says in microseconds whether answers are valid (the Python validator takes
    # ~5 ms on the 2024 case, the largest cost of a PATCH); the Python validator still words
    # every refusal, so messages and paths stay its own. Where the two read a pattern apart,
    # jsonschema-rs is the stricter ("$" before a final newline), which only costs the slow path.
    key = (pack.name, pack.version)
    if key not in _fast_validators:
        _fast_validators[key] = jsonschema_rs.validator_for(pack.schema, validate_formats=True)
    return _fast_validators[key]


# The keywords a schema's root may hold for its answers to be checked key by key: each top-level
# answer is then valid or not by itself (its own property's schema, or additionalProperties),
# whatever the other answers hold. Any other keyword at the root (required, minProperties,
# patternProperties, dependentRequired, allOf, if, unevaluatedProperties, ...) looks at the
# object as a whole or at keys by pattern, and every check of such a pack stays whole.
_ROOT_KEY_BY_KEY = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "definitions",
        "$comment",
        "title",
        "description",
        "examples",
        "type",
        "properties",
        "additionalProperties",
    }
)
_checked_by_key: dict[tuple[str, str], bool] = {}
_ABSENT = object()


def _key_by_key(pack: Pack) -> bool:
    """Whether the answers of ``pack`` are valid exactly when each top-level answer is."""
    key = (pack.name, pack.version)
    if key not in _checked_by_key:
        schema = pack.schema
        _checked_by_key[key] = (
            isinstance(schema, dict)
            and schema.get("type") == "object"
            and isinstance(schema.get("properties", {}), dict)
            and isinstance(schema.get("additionalProperties", True), (bool, dict))
            and all(name in _ROOT_KEY_BY_KEY or name.startswith("x-") for name in schema)
        )
    return _checked_by_key[key]


def _quickly_valid(pack: Pack, answers: Any, valid_before: dict[str, Any] | None = None) -> bool:
    if valid_before is not None and isinstance(answers, dict) and _key_by_key(pack):
        # Every top-level answer kept from answers this check passed (the very object, as a
        # merge shares it) is valid still: only the others are looked at. Refused, they are
        # looked at again with the rest below, as before.
        changed = {
            name: value
            for name, value in answers.items()
            if valid_before.get(name, _ABSENT) is not value
        }
        try:
            if _fast_validator(pack).is_valid(changed):
                return True
        except Exception:  # noqa: BLE001, S110 - the whole check below decides
            pass
    try:
        return bool(_fast_validator(pack).is_valid(answers))
    except Exception:  # noqa: BLE001 - a value it cannot take is left to the Python validator
        return False


def value_problems(
    pack: Pack,
    answers: Any,
    encoded: list[bytes] | None = None,
    valid_before: dict[str, Any] | None = None,
) -> list[Problem]:
    """Every value in ``answers`` that its field refuses, each with its path. ``encoded``, when
    given, receives the answers' JSON as this check made it (msgspec's), for a caller that
    stores that text. ``valid_before``: answers of this pack in which this check found no
    problem, whose top-level values ``answers`` shares where it keeps them (a merge's
    ``merge_shared``): only the others go through the schema's quick check."""
    # One quick pass without paths; the walks that name where come only when it finds something
    # (every write runs this over all the answers, and nearly always finds nothing). Quicker
    # still, at C speed, for answers whose JSON is short enough to hold no more entries.
    entries, unprintable = (0, False) if _clean_and_small(answers, encoded) else _survey(answers)
    if entries > MAX_LIST_ENTRIES:
        too_many = _too_many_entries(pack, answers)
        if too_many is not None:
            # Before anything else looks at the answers, so that the refusal costs little.
            return [too_many]
    problems = (
        [
            Problem(
                path=paths.join(keys),
                message=f"{describe(pack, keys)}: {_unprintable_message(value)}",
                code="value.control_character",
            )
            for keys, value in _strings(answers)
            if _FORBIDDEN_CHARACTERS.search(value)
        ]
        if unprintable
        else []
    )
    if _quickly_valid(pack, answers, valid_before):
        return problems
    seen = {p.path for p in problems}
    for error in sorted(
        _validator(pack).iter_errors(answers), key=lambda e: list(map(str, e.absolute_path))
    ):
        for leaf in _leaf_errors(error):
            keys = tuple(leaf.absolute_path)
            what = _what_is_wrong(leaf)
            if leaf.validator == "additionalProperties":
                extra = sorted(set(leaf.instance) - set(leaf.schema.get("properties", {})))
                for name in extra:
                    path = paths.join((*keys, name))
                    problems.append(
                        Problem(
                            path=path,
                            message=f"{path}: is not a question of this interview",
                            code="value.unknown",
                        )
                    )
                continue
            path = paths.join(keys)
            if path in seen:
                continue
            seen.add(path)
            problems.append(
                Problem(
                    path=path,
                    message=f"{describe(pack, keys)}: {what}",
                    code=f"value.{leaf.validator}",
                )
            )
    return problems


def _clean_and_small(answers: Any, keep: list[bytes] | None = None) -> bool:
    """Whether, by their JSON, the answers surely hold no more list entries than allowed (each
    entry takes a character at least) and no character a document cannot carry. False when
    that cannot be told so (the survey then counts and looks). The JSON goes to ``keep``."""
    try:
        encoded = msgspec.json.encode(answers)
    except (TypeError, ValueError, UnicodeEncodeError, OverflowError):
        return False
    if keep is not None:
        keep.append(encoded)
    if len(encoded) > MAX_LIST_ENTRIES or any(found in encoded for found in _FORBIDDEN_UTF8):
        return False
    escape = encoded.find(b"\\")
    while escape != -1:
        if encoded[escape + 1] in _FORBIDDEN_ESCAPES:
            return False
        # Past the escaped character: a backslash written as \\ escapes nothing after it.
        escape = encoded.find(b"\\", escape + 2)
    return True


def _survey(answers: Any) -> tuple[int, bool]:
    """The list entries in all, and whether any text holds a character a document cannot."""
    entries = 0
    unprintable = False
    pending = [answers]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            unprintable = unprintable or _FORBIDDEN_CHARACTERS.search(node) is not None
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            entries += len(node)
            pending.extend(node)
    return entries, unprintable


def _too_many_entries(pack: Pack, answers: Any) -> Problem | None:
    """A problem at the list that takes the answers past MAX_LIST_ENTRIES, if one does."""
    total = 0
    pending: list[tuple[tuple[paths.Key, ...], Any]] = [((), answers)]
    while pending:
        keys, node = pending.pop()
        if isinstance(node, dict):
            pending.extend(((*keys, key), value) for key, value in node.items())
        elif isinstance(node, list):
            total += len(node)
            if total > MAX_LIST_ENTRIES:
                return Problem(
                    path=paths.join(keys),
                    message=(
                        f"{describe(pack, keys)}: has too many entries: the answers may hold at "
                        f"most {MAX_LIST_ENTRIES:,} list entries in all (values of lists and "
                        "items of groups together)"
                    ),
                    code="value.too_many_entries",
                )
            pending.extend(
                ((*keys, index), value)
                for index, value in enumerate(node)
                if isinstance(value, (dict, list))
            )
    return None


def describe(pack: Pack, keys: tuple[paths.Key, ...] | str) -> str:
    """Where an answer is, in words: ``parts[1].items[0].pages`` → "Part 2, item 1, pages"."""
    if isinstance(keys, str):
        keys = paths.split(keys)
    parts: list[str] = []
    questions = tuple(q for _, q in pack.questions())
    consumed: list[paths.Key] = []
    group: Question | None = None
    last: Question | None = None
    remaining = list(keys)
    while remaining:
        key = remaining.pop(0)
        if isinstance(key, int):
            if last is not None and not last.is_group:
                # One value of a list answer, such as the second page of an item.
                parts.append(f"entry {key + 1}")
                continue
            label = group.item_label if group else "item"
            parts.append(f"{label[:1].upper()}{label[1:]} {key + 1}")
            continue
        consumed.append(key)
        match = _match(questions, consumed)
        if match is None:
            continue
        consumed = []
        last = match
        if match.is_group:
            group = match
            questions = match.fields
            # "Volume 2" says more than "Volumes, Volume 2": name the list only without an index.
            if remaining and isinstance(remaining[0], int):
                continue
        parts.append(_label(match))
    return ", ".join(parts) if parts else paths.join(keys)


def _match(questions: tuple[Question, ...], consumed: list[paths.Key]) -> Question | None:
    for question in questions:
        if list(paths.split(question.id)) == consumed:
            return question
    return None


def _label(question: Question) -> str:
    # A pack names a field whose id reads badly ("case.ad_numbers") by a title in its schema.
    title = question.schema.get("title") if not question.is_group else None
    if isinstance(title, str) and title:
        return title
    name = question.id.replace("_", " ").split(".")
    text = " ".join(name)
    return text[:1].upper() + text[1:]


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    # anyOf/oneOf wrap the real reasons in context; show those, not "is not valid under any".
    if error.context:
        return [leaf for sub in error.context for leaf in _leaf_errors(sub)]
    return [error]


def _what_is_wrong(error: ValidationError) -> str:
    """What is wrong, naming the refused value when it is short enough to quote."""
    what = _rule_broken(error)
    quoted = _quoted(error.instance)
    if error.validator in _QUOTES_VALUE and quoted is not None:
        return f"{quoted} {what}"
    return what


# The checks whose message reads well after the value ("'A-5-1' must be a case number ...").
_QUOTES_VALUE = frozenset({"pattern", "enum", "format", "type", "minimum", "maximum"})


def _quoted(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return None


def _rule_broken(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-message")
    kind = error.validator
    value = error.validator_value
    if custom and kind in ("pattern", "enum", "format"):
        return custom
    if kind == "type":
        names = {
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "array": "a list",
            "object": "a set of answers (a JSON object)",
        }
        wanted = value if isinstance(value, list) else [value]
        return "must be " + " or ".join(names.get(w, w) for w in wanted)
    if kind == "format" and value == "date":
        return "must be a date written as YYYY-MM-DD, such as 2024-04-24"
    if kind == "minLength":
        return "must not be empty" if value == 1 else f"must be at least {value} characters long"
    if kind == "maxLength":
        return f"is too long: at most {value} characters, this one has {len(error.instance)}"
    if kind == "enum":
        return "must be one of: " + ", ".join(str(v) for v in value)
    if kind == "minimum":
        return f"must be at least {value}"
    if kind == "maximum":
        return f"must be at most {value}"
    if kind == "maxItems":
        return f"has too many entries: at most {value}"
    if kind == "minItems":
        return f"needs at least {value} entries"
    if kind == "pattern":
        return "is not in the expected form"
    return error.message


def _strings(
    tree: Any, prefix: tuple[paths.Key, ...] = ()
) -> list[tuple[tuple[paths.Key, ...], str]]:
    found: list[tuple[tuple[paths.Key, ...], str]] = []
    if isinstance(tree, str):
        found.append((prefix, tree))
    elif isinstance(tree, dict):
        for key, value in tree.items():
            found += _strings(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += _strings(value, (*prefix, index))
    return found


def _unprintable_message(value: str) -> str:
    char = _FORBIDDEN_CHARACTERS.search(value)
    code = f"U+{ord(char.group()):04X}" if char else "?"
    return f"contains an invisible control character ({code}) that a Word document cannot hold; remove it and type the text again"

"""Cross-field checks a pack declares as data, for rules too plain to need Python of its own.

In ``interview.yaml``, ``checks`` lists named rules of the library or mappings of a kind below;
a field may step into every item of a list with ``[*]``::

    checks:
      - kind: later_than          # a date after another date
        field: rule.effective_date
        than: signature.date
        message: The rule takes effect after it is signed.
      - kind: starts_with         # a text that begins with another answer (and a separator)
        field: amendments[*].section.number
        prefix_field: rule.cfr_part
        separator: "."
        message: Each amendment names a section of the part being amended.

A check says nothing while either of its answers is missing: the interview reports missing
answers itself. Each finding is an error at the concrete path (``amendments[1].section.number``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from service.interview import paths
from service.problems import Problem

Check = Callable[[Mapping[str, Any]], list[Problem]]


class DeclaredCheckError(ValueError):
    """A check declaration the engine cannot run; the message says what to fix."""


def build(spec: Any) -> Check:
    """The check a declaration describes. Raises DeclaredCheckError for a malformed one."""
    if not isinstance(spec, Mapping) or spec.get("kind") not in _KINDS:
        raise DeclaredCheckError(
            f"a declared check needs a kind, one of {', '.join(sorted(_KINDS))}: {spec!r}"
        )
    required = _KINDS[spec["kind"]][0]
    missing = [key for key in ("field", "message", *required) if not isinstance(spec.get(key), str)]
    if missing:
        raise DeclaredCheckError(f"check {spec['kind']!r} needs {', '.join(missing)} (text)")
    for key in ("field", *required):
        if key != "separator":
            _pattern_keys(spec[key])
    check = _KINDS[spec["kind"]][1](dict(spec))
    # What it reads, for a write that changes none of it to keep its findings (``@reads``).
    check.reads = tuple(fields(spec))  # type: ignore[attr-defined]
    return check


def fields(spec: Mapping[str, Any]) -> list[str]:
    """The answers a (valid) declaration reads, ``[*]`` kept: for the loader to match the schema."""
    return [spec["field"], *(spec[key] for key in ("than", "prefix_field") if key in spec)]


def _later_than(spec: dict[str, Any]) -> Check:
    def check(answers: Mapping[str, Any]) -> list[Problem]:
        other = _date(paths.get(answers, spec["than"]))
        if other is None:
            return []
        return [
            Problem(path, spec["message"], code=spec.get("code", "declared.later_than"))
            for path, value in expand(answers, spec["field"])
            if (when := _date(value)) is not None and when <= other
        ]

    return check


def _starts_with(spec: dict[str, Any]) -> Check:
    def check(answers: Mapping[str, Any]) -> list[Problem]:
        prefix = paths.get(answers, spec["prefix_field"])
        if prefix in (None, ""):
            return []
        wanted = f"{prefix}{spec.get('separator', '')}"
        return [
            Problem(path, spec["message"], code=spec.get("code", "declared.starts_with"))
            for path, value in expand(answers, spec["field"])
            if isinstance(value, (str, int)) and value != "" and not str(value).startswith(wanted)
        ]

    return check


# kind → (keys it needs besides field and message, builder)
_KINDS: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], Check]]] = {
    "later_than": (("than",), _later_than),
    "starts_with": (("prefix_field",), _starts_with),
}


def expand(answers: Any, pattern: str) -> Iterator[tuple[str, Any]]:
    """Every (concrete path, value) a pattern names; ``[*]`` steps into each item of a list."""
    head, star, rest = pattern.partition("[*]")
    value = paths.get(answers, head, None)
    if not star:
        if value is not None:
            yield head, value
        return
    if not isinstance(value, list):
        return
    rest = rest.removeprefix(".")
    for index, item in enumerate(value):
        for inner, found in expand(item, rest) if rest else [("", item)]:
            path = f"{head}[{index}]" + (
                f".{inner}" if inner and not inner.startswith("[") else inner
            )
            if found is not None:
                yield path, found


def _pattern_keys(pattern: str) -> None:
    try:
        for piece in pattern.split("[*]"):
            paths.split(piece.removeprefix("."))
    except paths.PathError:
        raise DeclaredCheckError(f"{pattern!r} is not a path") from None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

"""What the recognisers collect while reading a letter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.interview import paths
from service.problems import Problem, Severity

# The size limits of answers.schema.json, so that text read from a damaged letter (a whole
# paragraph where a name was expected) is dropped and reported instead of making the answers
# invalid. The import tests validate against the schema itself and catch any drift.
_NAME, _LINE, _BLOCK = 200, 500, 2000
_MAX_LENGTH = {
    "product.name": _LINE,
    "member_description": _LINE,
    "title": _LINE,
    "address": _BLOCK,
}
_MAX_ITEMS = {
    "countries": 40,
    "petitioners": 20,
    "members": 200,
    "attorneys": 50,
    "people": 50,
    "volumes": 60,
    "bpi_items": 40,
    "pages": 5000,
    "exhibits": 2000,
    "company_certifications": 200,
}


@dataclass
class Findings:
    answers: dict[str, Any] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def put(self, path: str, value: Any) -> None:
        """Record an answer read from the letter. Empty values are not answers, and values
        beyond the schema's limits are reported instead of recorded."""
        value = self._fit(path, value)
        if value is None or value == "" or value == [] or value == {}:
            return
        paths.assign(self.answers, path, value)

    def get(self, path: str, default: Any = None) -> Any:
        return paths.get(self.answers, path, default)

    def missing(self, path: str, what: str) -> None:
        """Something the letter should say and does not (or not in a form that can be read)."""
        self.not_found.append(f"{path}: {what}")

    def note(self, path: str, message: str, code: str, severity: Severity = "error") -> None:
        """Something the letter says that contradicts itself or the rules."""
        self.notes.append(Problem(path=path, message=message, severity=severity, code=code))

    def _fit(self, path: str, value: Any) -> Any:
        key = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if isinstance(value, str):
            value = value.strip()
            limit = _MAX_LENGTH.get(path, _MAX_LENGTH.get(key, _NAME))
            if len(value) > limit:
                self.missing(
                    path,
                    f"what stands there is {len(value)} characters long, too long to be one (at most {limit})",
                )
                return None
            return value
        if isinstance(value, list):
            limit = _MAX_ITEMS.get(key)
            if limit is not None and len(value) > limit:
                self.missing(
                    path, f"the letter gives {len(value)}; only the first {limit} were kept"
                )
                value = value[:limit]
            fitted = [self._fit(f"{path}[{i}]", item) for i, item in enumerate(value)]
            return [item for item in fitted if item not in (None, "")]
        if isinstance(value, dict):
            out = {}
            for name, item in value.items():
                fitted = self._fit(f"{path}.{name}", item)
                if fitted is not None and fitted != "":
                    out[name] = fitted
            return out
        return value

"""What the recognisers collect while reading a letter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.interview import paths
from service.problems import Problem, Severity


@dataclass
class Findings:
    answers: dict[str, Any] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def put(self, path: str, value: Any) -> None:
        """Record an answer read from the letter. Empty values are not answers."""
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

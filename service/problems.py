"""What is wrong with a set of answers, said once for every client.

A problem names the answer it is about by its path (``counsel.attorneys[2].name``), says what
is wrong in words a paralegal understands, and carries a severity: an ``error`` blocks
generating documents, a ``warning`` does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str
    severity: Severity = "error"
    # A stable machine-readable name of the rule (``dates.out_of_order``), for clients and tests.
    code: str = "invalid"
    # Whether the problem was raised because an answer is missing rather than wrong.
    missing: bool = field(default=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "code": self.code,
        }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]

"""What the engine derives from a revision's answers, in the form it is stored with the
revision: computed once when the revision is written, read back by every later request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.interview import engine
from service.interview.engine import Progress
from service.interview.walk import walk
from service.packs.model import Pack
from service.problems import Problem

# Bumped when what is derived (or how it is stored) changes, so stored values are recomputed.
FORMAT = 1
_TITLE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Derived:
    title: str
    status: str
    progress: Progress
    problems: list[Problem]

    def columns(self, pack: Pack) -> dict[str, Any]:
        """The values of the session's derived columns."""
        return {
            "title": self.title,
            "status": self.status,
            "derived_for": stamp(pack),
            "progress_answered": self.progress.answered,
            "progress_required": self.progress.required,
            "open_errors": sum(1 for p in self.problems if p.severity == "error"),
            "open_warnings": sum(1 for p in self.problems if p.severity != "error"),
            "problems": [{**p.as_dict(), "missing": p.missing} for p in self.problems],
        }


def derive(pack: Pack, answers: dict[str, Any]) -> Derived:
    """Runs the engine once over the answers."""
    # One walk of the questions over the answers, for the answers the rules see and for the
    # required questions (what is missing, the progress).
    slots = list(walk(pack, answers))
    # The rules are the costly part: found once, for the problems and for the progress.
    rules = engine.rule_problems(pack, answers, slots)
    required = engine.required_slots(pack, answers, slots)
    problems = engine.missing_problems(pack, answers, required) + rules
    status = "in_progress" if any(p.severity == "error" for p in problems) else "complete"
    title = (pack.session_title(answers) or pack.title)[:_TITLE_LIMIT]
    return Derived(
        title=title,
        status=status,
        progress=engine.progress(pack, answers, rules, required),
        problems=problems,
    )


def stamp(pack: Pack) -> str:
    """What stored derived values were computed with; anything else is recomputed."""
    return f"{pack.name}@{pack.version}#{FORMAT}"[:120]


def stored_problems(rows: list[dict[str, Any]] | None) -> list[Problem]:
    return [Problem(**row) for row in rows or []]

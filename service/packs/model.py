"""A template pack as the engine sees it: steps of questions, documents, named rules.

Everything here is read from a pack's files (see ``loader``); nothing is specific to one pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.interview import paths
from service.packs.plugins import Importer, QuestionType

# The engine's own answer types; a pack's plugin may add more (see service.packs.plugins).
FIELD_TYPES = frozenset({"text", "multiline", "date", "number", "choice", "yesno", "group"})


@dataclass(frozen=True, slots=True)
class Choice:
    value: Any
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question. Inside a group, ``id`` is relative to one item of the group."""

    id: str
    type: str
    prompt: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[Choice, ...] = ()
    # A literal, {"field": path} (another answer) or {"derive": name} (a rule-library function).
    default: Any = None
    when: dict[str, Any] | None = None
    # Groups only.
    fields: tuple[Question, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    item_label: str = "item"
    # A plugin's type: its parser, formatter and widget; None for the engine's own types.
    plugin_type: QuestionType | None = field(default=None, compare=False, repr=False)
    # The plugin type's options naming another answer (option → path), which its parser gets.
    refers: dict[str, str] = field(default_factory=dict)
    # How one item is named in a question, from its answers: "Volume {numeral} ({title})".
    item_name: str | None = None
    # The JSON Schema of one value (of one item, for a group), resolved by the loader.
    schema: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    id: str
    title: str
    template: Path
    file_name: str
    # One document per item of this list of answers; the item is given to the template as `as_name`.
    for_each: str | None = None
    as_name: str | None = None
    # What tells one item's document from another in its title: "{company}" (answers of the item).
    item_title: str | None = None


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    version: str
    title: str
    description: str
    schema: dict[str, Any] = field(repr=False)
    steps: tuple[Step, ...] = field(repr=False)
    documents: tuple[DocumentSpec, ...] = field(repr=False)
    context: Callable[[dict[str, Any]], dict[str, Any]] = field(repr=False)
    checks: tuple[Callable[[dict[str, Any]], list[Any]], ...] = field(repr=False)
    session_title: Callable[[dict[str, Any]], str] = field(repr=False)
    derive: dict[str, Callable[[dict[str, Any]], Any]] = field(repr=False)
    # Names the templates may use besides the answers' own top-level keys.
    derived_names: frozenset[str] = field(repr=False, default=frozenset())
    # Reads an earlier document into answers, when the pack's plugin has one.
    importer: Importer | None = field(repr=False, default=None)
    # The answer where a person may type the packet's page count, overriding the count.
    page_count_answer: str | None = None
    # question_at's answers by path: every walk asks for the same few hundred paths again.
    _question_at: dict[str, Question | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # What each part of a derivation reads (service.interview.incremental), made on first use.
    _derivation: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def questions(self) -> Iterator[tuple[Step, Question]]:
        for step in self.steps:
            for question in step.questions:
                yield step, question

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def question_at(self, path: str) -> Question | None:
        """The question that asks for the answer at ``path`` (indices ignored)."""
        try:
            return self._question_at[path]
        except KeyError:
            pass
        if len(self._question_at) >= 8192:
            # Paths come from answers, which are bounded but not fixed: never an unbounded map.
            self._question_at.clear()
        found = self._question_at[path] = self._find_question(path)
        return found

    def _find_question(self, path: str) -> Question | None:
        wanted = [k for k in paths.split(path) if not isinstance(k, int)]
        candidates: tuple[Question, ...] = tuple(q for _, q in self.questions())
        prefix: list[str] = []
        while candidates:
            for question in candidates:
                own = list(paths.split(question.id))
                if wanted[: len(prefix) + len(own)] == prefix + own:
                    if len(prefix) + len(own) == len(wanted):
                        return question
                    prefix += own
                    candidates = question.fields
                    break
            else:
                return None
        return None

"""What the pages show, computed from a pack and the answers: plain functions, no I/O.

A step page is drawn from the walk of the pack's questions (``interview.walk``), so every pack
gets its pages without a template written for it. Problems are placed next to the answer
they name, or next to the nearest thing on the page that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from service.interview import fields, paths
from service.interview.conversation import item_name, plural, review
from service.interview.walk import Slot, default_for, is_answered, walk
from service.packs.model import Pack, Question, Step
from service.problems import Problem
from service.web.forms import html_id

# Up to this many choices are radio buttons; more are a drop-down list.
RADIO_LIMIT = 6


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool
    html_id: str


@dataclass(slots=True)
class FieldView:
    path: str
    question: Question
    widget: str  # "text", "textarea", "radios" or "select"
    text: str  # what the input holds: what was typed, else the saved answer, else a fixed default
    options: list[Option] = field(default_factory=list)
    # The suggested answer used when the input is left empty (a default drawn from other answers).
    suggestion: str = ""
    problems: list[Problem] = field(default_factory=list)
    # A date's saved value as YYYY-MM-DD, for the calendar the page's script adds.
    iso: str = ""

    kind = "field"

    @property
    def html_id(self) -> str:
        return html_id(self.path)

    @property
    def invalid(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def example(self) -> str:
        """The pack's example, as the option it names where the answer is chosen, not typed."""
        example = self.question.example
        for option in self.options:
            if option.value == example.strip().lower() or option.value == example:
                return option.label
        return example

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help:
            ids.append(f"{self.html_id}-help")
        if self.question.example:
            ids.append(f"{self.html_id}-example")
        if self.suggestion:
            ids.append(f"{self.html_id}-suggestion")
        if self.problems:
            ids.append(f"{self.html_id}-problems")
        return " ".join(ids)


@dataclass(slots=True)
class ItemView:
    path: str
    index: int
    count: int
    legend: str
    nodes: list[FieldView | GroupView] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # One line for the collapsed item: "Part 2 (Definitions) — 8 entries, 1 to fix".
    summary: str = ""
    open: bool = False
    empty: bool = False  # just added: nothing answered in it yet

    @property
    def html_id(self) -> str:
        return html_id(self.path)


@dataclass(slots=True)
class GroupView:
    path: str
    question: Question
    items: list[ItemView] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    kind = "group"

    @property
    def html_id(self) -> str:
        return html_id(self.path)

    @property
    def can_add(self) -> bool:
        return self.question.max_items is None or len(self.items) < self.question.max_items


@dataclass(slots=True)
class StepPage:
    step: Step
    nodes: list[FieldView | GroupView]
    # Problems of this step with no input of their own on the page, and every problem shown.
    loose: list[Problem]
    shown: list[tuple[Problem, str]]


@dataclass(frozen=True, slots=True)
class StepStatus:
    step: Step
    todo: int  # required answers still missing
    errors: int  # other blocking problems

    @property
    def done(self) -> bool:
        return self.todo == 0 and self.errors == 0


def step_page(
    pack: Pack,
    step: Step,
    answers: dict[str, Any],
    problems: Iterable[Problem] = (),
    typed: dict[str, str] | None = None,
    open_paths: Iterable[str] = (),
) -> StepPage:
    """The form of ``step`` over ``answers``: the relevant questions only, each input holding
    what was ``typed`` if anything, else its saved answer; each problem next to its answer.

    Group items are drawn collapsed to one line each, except those ``open_paths`` names (or
    holds), those that are still empty, and those with an error in what was just ``typed``.
    """
    typed = typed or {}
    problems = list(problems)
    roots: list[FieldView | GroupView] = []
    containers: dict[str, list[FieldView | GroupView]] = {"": roots}
    nodes: dict[str, FieldView | GroupView | ItemView] = {}
    for slot in walk(pack, answers):
        if slot.step.id != step.id or not slot.relevant:
            continue
        container = containers.get(slot.scopes[-1] if slot.scopes else "")
        if container is None:  # inside an item whose group is hidden
            continue
        if slot.question.is_group:
            group = _group_view(slot, answers)
            for item in group.items:
                containers[item.path] = item.nodes
                nodes[item.path] = item
            container.append(group)
            nodes[slot.path] = group
        else:
            view = _field_view(pack, slot, answers, typed)
            container.append(view)
            nodes[slot.path] = view

    loose: list[Problem] = []
    shown: list[tuple[Problem, str]] = []
    for problem in problems:
        holder = _nearest(nodes, problem.path)
        if holder is None:
            loose.append(problem)
            shown.append((problem, ""))
        else:
            holder.problems.append(problem)
            shown.append((problem, holder.html_id))
    opened = tuple(open_paths)
    for item in (n for n in nodes.values() if isinstance(n, ItemView)):
        inside = (f"{item.path}.", f"{item.path}[")
        to_fix = sum(
            1
            for p in problems
            if p.severity == "error" and (p.path == item.path or p.path.startswith(inside))
        )
        typed_wrong = any(p.path.startswith(inside) and p.path in typed for p in problems)
        item.summary = _summary(item, to_fix)
        item.empty = paths.get(answers, item.path) == {}
        item.open = (
            item.empty
            or typed_wrong
            or any(path == item.path or path.startswith(inside) for path in opened)
        )
    return StepPage(step=step, nodes=roots, loose=loose, shown=shown)


def _summary(item: ItemView, to_fix: int) -> str:
    counts = [
        f"{len(n.items)} {plural(n.question.item_label, len(n.items))}"
        for n in item.nodes
        if isinstance(n, GroupView)
    ]
    tail = ", ".join(counts + ([f"{to_fix} to fix"] if to_fix else []))
    return f"{item.legend} — {tail}" if tail else item.legend


def _group_view(slot: Slot, answers: dict[str, Any]) -> GroupView:
    question = slot.question
    items = paths.get(answers, slot.path)
    count = len(items) if isinstance(items, list) else 0
    views = []
    for index in range(count):
        item_path = f"{slot.path}[{index}]"
        if question.item_name:
            legend = item_name(question, items[index], index)
        else:
            label = question.item_label
            legend = f"{label[:1].upper()}{label[1:]} {index + 1}"
            name = _item_name(question, items[index])
            legend = f"{legend}: {name}" if name else legend
        views.append(ItemView(path=item_path, index=index, count=count, legend=legend))
    return GroupView(path=slot.path, question=question, items=views)


def _item_name(question: Question, item: Any) -> str:
    """A few words that tell one item from another in its legend: its first answered texts."""
    if not isinstance(item, dict):
        return ""
    words = []
    for field_question in question.fields:
        value = item.get(field_question.id)
        if field_question.type == "text" and isinstance(value, str) and value:
            words.append(value)
        elif field_question.type == "choice" and value is not None:
            words.append(field_question.choice_label(value))
    return " – ".join(words[:2])


def _field_view(
    pack: Pack, slot: Slot, answers: dict[str, Any], typed: dict[str, str]
) -> FieldView:
    question = slot.question
    saved = paths.get(answers, slot.path)
    answered = is_answered(saved) or saved is False
    default = None if answered else default_for(pack, answers, question, slot.scopes)
    # A fixed default is simply filled in; one drawn from other answers is only suggested,
    # so that it follows those answers until the person types their own.
    fixed = question.default is not None and not isinstance(question.default, dict)
    suggestion = ""
    if answered:
        value: Any = saved
    elif fixed:
        value = default
    else:
        value = None
        if default is not None and (is_answered(default) or default is False):
            suggestion = fields.format_value(question, default)

    if question.type in ("choice", "yesno"):
        current = typed[slot.path] if slot.path in typed else _option_value(value)
        choices = (
            [("yes", "Yes"), ("no", "No")]
            if question.type == "yesno"
            else [(str(c.value), c.label) for c in question.choices]
        )
        widget = "radios" if len(choices) <= RADIO_LIMIT else "select"
        options = [
            Option(
                value=v,
                label=label,
                selected=(v == current),
                html_id=f"{html_id(slot.path)}-{index}",
            )
            for index, (v, label) in enumerate(choices)
        ]
        return FieldView(
            path=slot.path,
            question=question,
            widget=widget,
            text=current,
            options=options,
            suggestion=suggestion,
        )

    text = typed[slot.path] if slot.path in typed else fields.format_value(question, value)
    if question.plugin_type is not None:
        widget = question.plugin_type.widget
    else:
        widget = "textarea" if question.type == "multiline" else "text"
    iso = (
        value
        if question.type == "date" and isinstance(value, str) and slot.path not in typed
        else ""
    )
    return FieldView(
        path=slot.path, question=question, widget=widget, text=text, suggestion=suggestion, iso=iso
    )


def _option_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _nearest(nodes: dict[str, Any], path: str) -> Any:
    """The node of ``path``, else of the nearest enclosing answer shown on the page."""
    try:
        keys = list(paths.split(path))
    except paths.PathError:
        return None
    while keys:
        found = nodes.get(paths.join(keys))
        if found is not None:
            return found
        keys.pop()
    return None


# -- where an answer is asked ------------------------------------------------------------------


class Locator:
    """Where each answer is asked: its step, and the id of its input or fieldset on that page.

    Built from one walk, so that placing many problems costs one walk, not one each."""

    def __init__(self, pack: Pack, answers: dict[str, Any]) -> None:
        self._shown: dict[str, Step] = {}
        self._hidden: dict[str, Step] = {}
        for slot in walk(pack, answers):
            (self._shown if slot.relevant else self._hidden)[slot.path] = slot.step
            if slot.question.is_group and slot.relevant:
                items = paths.get(answers, slot.path)
                for index in range(len(items) if isinstance(items, list) else 0):
                    self._shown[f"{slot.path}[{index}]"] = slot.step

    def find(self, path: str) -> tuple[Step | None, str]:
        """The step that asks for the answer at ``path`` and the id of the nearest input or
        fieldset shown for it; (None, "") when no step holds it."""
        try:
            keys = list(paths.split(path))
        except paths.PathError:
            return None, ""
        while keys:
            candidate = paths.join(keys)
            if candidate in self._shown:
                return self._shown[candidate], html_id(candidate)
            if candidate in self._hidden:
                return self._hidden[candidate], ""
            keys.pop()
        return None, ""


def problems_of_step(locator: Locator, step: Step, problems: Iterable[Problem]) -> list[Problem]:
    return [
        p
        for p in problems
        if (found := locator.find(p.path)[0]) is not None and found.id == step.id
    ]


def step_statuses(pack: Pack, answers: dict[str, Any], problems: list[Problem]) -> list[StepStatus]:
    locator = Locator(pack, answers)
    todo: dict[str, int] = {}
    errors: dict[str, int] = {}
    for problem in problems:
        if problem.severity != "error":
            continue
        step, _ = locator.find(problem.path)
        if step is None:
            continue
        counter = todo if problem.missing else errors
        counter[step.id] = counter.get(step.id, 0) + 1
    return [
        StepStatus(step=s, todo=todo.get(s.id, 0), errors=errors.get(s.id, 0)) for s in pack.steps
    ]


def first_open_step(pack: Pack, answers: dict[str, Any], problems: list[Problem]) -> Step | None:
    """The first step with a required answer missing, else with an error; None when done."""
    statuses = step_statuses(pack, answers, problems)
    for status in statuses:
        if status.todo:
            return status.step
    for status in statuses:
        if status.errors:
            return status.step
    return None


def worth_pointing_out(
    step: Step, answers: dict[str, Any], problems: list[Problem]
) -> list[Problem]:
    """The problems a step page shows unasked. What is missing is pointed out only once the
    step has been saved with some answer, and never inside an item just added and still empty."""
    if not any(paths.has(answers, q.id) for q in step.questions):
        return [p for p in problems if not p.missing]
    return [p for p in problems if not _inside_empty_item(answers, p.path)]


def _inside_empty_item(answers: dict[str, Any], path: str) -> bool:
    try:
        keys = paths.split(path)
    except paths.PathError:
        return False
    return any(
        isinstance(keys[end - 1], int) and paths.get(answers, keys[:end]) == {}
        for end in range(1, len(keys) + 1)
    )


def relevant_paths(pack: Pack, step: Step, answers: dict[str, Any]) -> set[str]:
    return {slot.path for slot in walk(pack, answers) if slot.step.id == step.id and slot.relevant}


# -- review ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewRow:
    path: str
    label: str
    value: str
    answered: bool
    anchor: str


@dataclass(frozen=True, slots=True)
class ReviewSection:
    step: Step
    rows: list[ReviewRow]


def review_sections(pack: Pack, answers: dict[str, Any]) -> list[ReviewSection]:
    """Every relevant answer grouped by step, in the words of ``conversation.review``; steps
    with nothing to show yet are listed too, so each can be opened from the review."""
    grouped = {entry["step"]: entry["answers"] for entry in review(pack, answers)}
    sections = []
    for step in pack.steps:
        rows = [
            ReviewRow(
                path=a["path"],
                label=a["label"],
                value=a["value"],
                answered=a["answered"],
                anchor=html_id(a["path"]),
            )
            for a in grouped.get(step.id, [])
        ]
        sections.append(ReviewSection(step=step, rows=rows))
    return sections

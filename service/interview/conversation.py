"""The interview one question at a time, as a chat-style client asks it.

The conversation's own memory (what was skipped, which lists are closed, what to go back to)
lives in a small state dict saved with the session; the answers themselves are only ever
changed through the same validation as every other client.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from service.interview import fields, paths
from service.interview.engine import merge, open_problems, progress, rule_problems
from service.interview.validation import describe, value_problems
from service.interview.walk import Slot, default_for, is_answered, walk
from service.packs.model import Pack, Question
from service.problems import Problem

MORE_SUFFIX = "#more"
ACCEPT_WORDS = frozenset({"ok", "okay", "accept", "default", "same"})


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    id: str
    prompt: str
    type: str
    step: str
    step_title: str
    help: str
    example: str
    required: bool
    choices: tuple[dict[str, Any], ...] = ()
    default: Any = None
    current: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "prompt": self.prompt,
            "type": self.type,
            "step": self.step,
            "step_title": self.step_title,
            "help": self.help,
            "example": self.example,
            "required": self.required,
            "choices": list(self.choices),
            "default": self.default,
            "current": self.current,
        }


@dataclass(slots=True)
class Turn:
    """What a reply did: the answers to save (or None), and what to say back."""

    answers: dict[str, Any] | None
    state: dict[str, Any]
    message: str
    problems: list[Problem] = field(default_factory=list)
    question: AskedQuestion | None = None
    review: list[dict[str, Any]] | None = None


def new_state() -> dict[str, Any]:
    return {"skipped": [], "closed": [], "history": [], "revisit": None}


def next_question(pack: Pack, answers: dict[str, Any], state: dict[str, Any]) -> AskedQuestion | None:
    """The question to ask now, or None when every relevant question has been dealt with."""
    state = {**new_state(), **(state or {})}
    revisit = state.get("revisit")
    if revisit:
        asked = _ask_path(pack, answers, revisit)
        if asked is not None:
            return asked
    for slot in walk(pack, answers):
        if not slot.relevant:
            continue
        asked = _ask_slot(pack, answers, state, slot)
        if asked is not None:
            return asked
    return None


def _ask_slot(pack: Pack, answers: dict[str, Any], state: dict[str, Any], slot: Slot) -> AskedQuestion | None:
    question = slot.question
    value = paths.get(answers, slot.path)
    if question.is_group:
        count = len(value) if isinstance(value, list) else 0
        if count == 0 and slot.path not in state["skipped"]:
            if question.min_items > 0 or slot.path not in state["closed"]:
                # Start the first item straight away: its first field is the question.
                return _ask_field(pack, answers, slot, f"{slot.path}[0].", question.fields[0], first_item=True)
        if slot.path in state["closed"] or (question.max_items is not None and count >= question.max_items):
            return None
        if count and not _items_complete(pack, answers, slot.path, count, state):
            return None  # the items' own questions come first; the walk reaches them next
        if count:
            return _more_question(slot, count)
        return None
    if is_answered(value) or value is False or slot.path in state["skipped"]:
        return None
    return _make_question(pack, answers, slot.path, question, slot)


def _items_complete(pack: Pack, answers: dict[str, Any], group_path: str, count: int, state: dict[str, Any]) -> bool:
    prefix = f"{group_path}["
    for slot in walk(pack, answers):
        if slot.relevant and slot.path.startswith(prefix) and _ask_slot(pack, answers, state, slot) is not None:
            return False
    return True


def _ask_field(pack: Pack, answers: dict[str, Any], group_slot: Slot, prefix: str, question: Question, first_item: bool) -> AskedQuestion:
    path = f"{prefix}{question.id}"
    asked = _make_question(pack, answers, path, question, group_slot)
    if first_item:
        label = group_slot.question.item_label
        intro = group_slot.question.prompt
        asked = _replace(asked, prompt=f"{intro} First {label}: {asked.prompt}")
    return asked


def plural(label: str, count: int) -> str:
    if count == 1:
        return label
    if label.endswith("y") and label[-2:-1] not in "aeiou":
        return f"{label[:-1]}ies"
    return f"{label}s"


def close_groups(pack: Pack, state: dict[str, Any], patch: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Lists a client sent whole (a portal's PATCH) are taken as complete: the chat does not
    ask "add another?" about them. Returns the new state."""
    state = copy.deepcopy({**new_state(), **(state or {})})
    for slot in walk(pack, answers):
        if slot.question.is_group and paths.has(patch, slot.path) and slot.path not in state["closed"]:
            state["closed"].append(slot.path)
    return state


def _more_question(slot: Slot, count: int) -> AskedQuestion:
    label = slot.question.item_label
    return AskedQuestion(
        id=f"{slot.path}{MORE_SUFFIX}",
        prompt=f"You have given {count} {plural(label, count)}. Add another {label}?",
        type="yesno",
        step=slot.step.id,
        step_title=slot.step.title,
        help=slot.question.help,
        example="no",
        required=True,
    )


def _make_question(pack: Pack, answers: dict[str, Any], path: str, question: Question, slot: Slot) -> AskedQuestion:
    scopes = slot.scopes
    # A field of a group item not created yet (the first item of a list) is asked from the
    # group's slot: its scope is the new item.
    if path.count("[") > slot.path.count("["):
        scopes = (*slot.scopes, path.rsplit(".", 1)[0])
    default = default_for(pack, answers, question, scopes)
    prompt = question.prompt
    if default not in (None, "", []):
        prompt += f" (Suggested: {fields.format_value(question, default)}; reply \"ok\" to accept.)"
    return AskedQuestion(
        id=path,
        prompt=prompt,
        type=question.type,
        step=slot.step.id,
        step_title=slot.step.title,
        # A plugin's type says how to answer it when the question itself does not.
        help=question.help or (question.plugin_type.hint if question.plugin_type else ""),
        example=question.example,
        required=question.required,
        choices=tuple({"value": c.value, "label": c.label} for c in question.choices),
        default=default,
        current=paths.get(answers, path),
    )


def _ask_path(pack: Pack, answers: dict[str, Any], path: str) -> AskedQuestion | None:
    for slot in walk(pack, answers):
        if slot.path == path and slot.relevant and not slot.question.is_group:
            return _make_question(pack, answers, path, slot.question, slot)
    return None


def _replace(asked: AskedQuestion, **changes: Any) -> AskedQuestion:
    data = {name: getattr(asked, name) for name in AskedQuestion.__slots__}
    data.update(changes)
    return AskedQuestion(**data)


def reply(pack: Pack, answers: dict[str, Any], state: dict[str, Any] | None, text: str) -> Turn:
    """Take one chat reply to the current question.

    ``back``, ``skip`` (optional questions only), ``review`` and ``help`` do what they say;
    anything else is parsed by the current question's type, checked like any other answer,
    and saved only if it passes. Never raises for what a person types.
    """
    state = copy.deepcopy({**new_state(), **(state or {})})
    command = text.strip().lower()
    current = next_question(pack, answers, state)

    if command == "help":
        if current is None:
            return Turn(None, state, "The interview is complete. Say \"review\" to see your answers.")
        lines = [current.prompt]
        if current.help:
            lines.append(current.help)
        if current.example:
            lines.append(f"For example: {current.example}")
        if current.choices:
            lines.append("Choices: " + "; ".join(f"{c['value']} = {c['label']}" for c in current.choices))
        if not current.required:
            lines.append("This question is optional: say \"skip\" to leave it out.")
        lines.append('You can also say "back" or "review".')
        return Turn(None, state, "\n".join(lines), question=current)

    if command == "review":
        return Turn(None, state, "Here is what you have answered so far.", question=current, review=review(pack, answers), problems=open_problems(pack, answers))

    if command == "back":
        history = state["history"]
        if not history:
            return Turn(None, state, "There is no earlier answer to go back to.", question=current)
        previous = history.pop()
        state["revisit"] = previous
        # A list closed by "no more" opens again when we step back into it.
        state["closed"] = [p for p in state["closed"] if not previous.startswith(p)]
        state["skipped"] = [p for p in state["skipped"] if p != previous]
        asked = next_question(pack, answers, state)
        return Turn(None, state, "Going back to your previous answer; type a new one, or \"ok\" to keep it.", question=asked)

    if current is None:
        return Turn(None, state, "The interview is complete; every question has an answer. Say \"review\" to see them.")

    if command == "skip":
        if current.required:
            return Turn(None, state, "This question is required and cannot be skipped.", question=current)
        state["skipped"].append(current.id.removesuffix(MORE_SUFFIX))
        if current.id.endswith(MORE_SUFFIX):
            state["closed"].append(current.id.removesuffix(MORE_SUFFIX))
        state["revisit"] = None
        return Turn(None, state, "Skipped.", question=next_question(pack, answers, state))

    if current.id.endswith(MORE_SUFFIX):
        return _answer_more(pack, answers, state, current, text)
    return _answer_field(pack, answers, state, current, text)


def _answer_more(pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion, text: str) -> Turn:
    group_path = current.id.removesuffix(MORE_SUFFIX)
    try:
        more = fields.parse_yes_no(text)
    except fields.FieldParseError as exc:
        problem = Problem(path=current.id, message=str(exc), code="reply.unreadable")
        return Turn(None, state, str(exc), problems=[problem], question=current)
    if not more:
        state["closed"].append(group_path)
        state["revisit"] = None
        return Turn(None, state, "Noted.", question=next_question(pack, answers, state))
    items = paths.get(answers, group_path) or []
    updated = copy.deepcopy(answers)
    paths.assign(updated, f"{group_path}[{len(items)}]", {})
    return Turn(updated, state, "Next one.", question=next_question(pack, updated, state))


def _answer_field(pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion, text: str) -> Turn:
    if text.strip().lower() in ACCEPT_WORDS and (current.default is not None or current.current is not None):
        value = current.current if current.current is not None else current.default
    else:
        try:
            value = fields.parse_at(pack, answers, current.id, text)
        except fields.FieldParseError as exc:
            problem = Problem(path=current.id, message=f"{describe(pack, current.id)}: {exc}", code="reply.unreadable")
            return Turn(None, state, str(exc), problems=[problem], question=current)
    updated = copy.deepcopy(answers)
    paths.assign(updated, current.id, value)
    refused = [p for p in value_problems(pack, updated) if p.path == current.id or p.path.startswith(current.id)]
    if refused:
        message = " ".join(p.message for p in refused)
        return Turn(None, state, message, problems=refused, question=current)
    state["history"].append(current.id)
    state["revisit"] = None
    raised = _raised_beside(pack, answers, updated, current.id)
    if raised is not None:
        # "No, that date is not right": the answer it is about is asked again at once, rather
        # than left for the review to find.
        state["revisit"] = raised.path
        return Turn(updated, state, f"Saved. {raised.message}.", problems=[raised], question=next_question(pack, updated, state))
    following = next_question(pack, updated, state)
    message = "Saved." if following else "Saved. That was the last question: the interview is complete."
    return Turn(updated, state, message, question=following)


def _raised_beside(pack: Pack, before: dict[str, Any], after: dict[str, Any], answered: str) -> Problem | None:
    """A new blocking problem that this answer raised on another, already answered question
    of the same item or section, which can be asked again; problems elsewhere wait for the
    review, since they are usually settled by answers still to come."""
    parent = answered.rpartition(".")[0]
    if not parent:
        return None
    beside = [
        p
        for p in rule_problems(pack, after)
        if p.severity == "error" and p.path != answered and p.path.rpartition(".")[0] == parent
    ]
    if not beside:
        return None  # the usual case: the rules run once, not once more on the old answers
    # Compared by message too: "change it, or confirm it" becoming "change it" is news.
    earlier = {(p.path, p.code, p.message) for p in rule_problems(pack, before)}
    for problem in beside:
        if (problem.path, problem.code, problem.message) in earlier:
            continue
        if is_answered(paths.get(after, problem.path)) and _ask_path(pack, after, problem.path) is not None:
            return problem
    return None


def review(pack: Pack, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every relevant answer grouped by step, as text a person reads."""
    steps: dict[str, dict[str, Any]] = {}
    for slot in walk(pack, answers):
        if not slot.relevant or slot.question.is_group:
            continue
        entry = steps.setdefault(slot.step.id, {"step": slot.step.id, "title": slot.step.title, "answers": []})
        value = paths.get(answers, slot.path)
        shown = value if is_answered(value) or value is False else default_for(pack, answers, slot.question, slot.scopes)
        entry["answers"].append(
            {
                "path": slot.path,
                "label": describe(pack, slot.path),
                "value": fields.format_value(slot.question, shown),
                "answered": is_answered(value) or value is False,
            }
        )
    return list(steps.values())


__all__ = ["AskedQuestion", "Turn", "new_state", "next_question", "reply", "review", "progress", "merge"]

"""The interview one question at a time, as a chat-style client asks it.

The conversation's own memory (what was skipped, which lists are closed, what to go back to)
lives in a small state dict saved with the session; the answers themselves are only ever
changed through the same validation as every other client.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from service.interview import fields, paths
from service.interview.engine import copy_json, merge, open_problems, progress, rule_problems
from service.interview.validation import describe, value_problems
from service.interview.walk import Slot, default_for, is_answered, walk
from service.packs.model import Pack, Question
from service.problems import Problem, errors

MORE_SUFFIX = "#more"
ACCEPT_WORDS = frozenset({"ok", "okay", "accept", "default", "same"})
# Also accept a suggestion, except where they are the answer itself (a yes/no question).
AGREE_WORDS = frozenset({"yes", "y", "yep", "sure", "fine"})
NO_MORE_WORDS = frozenset(
    {"no more", "none more", "that's all", "that is all", "done", "no more items"}
)
_REMOVE = re.compile(
    r"(?:remove|delete)(?:\s+(?P<label>.*?))?(?:\s+(?:no\.?\s*|#)?(?P<number>\d+))?"
)
_ADD = re.compile(r"add\s+(?:an?\s+|another\s+)?(?P<label>.+)")
_MOVE = re.compile(r"move\s+(?P<direction>up|down)")
_LAST_INDEX = re.compile(r"\[(\d+)\](?!.*\[\d+\])")


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
    # Asked again because the rules find its answer wrong: generating is blocked until it changes.
    blocking: bool = False

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
            "blocking": self.blocking,
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
    return {
        "skipped": [],
        "closed": [],
        "history": [],
        "revisit": None,
        "deferred": [],
        "ambiguous": None,
    }


def with_defaults(state: dict[str, Any] | None) -> dict[str, Any]:
    """A saved state with the keys added since it was saved."""
    return {**new_state(), **(state or {})}


def next_question(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any]
) -> AskedQuestion | None:
    """The question to ask now, or None when every relevant question has been dealt with."""
    state = {**new_state(), **(state or {})}
    revisit = state.get("revisit")
    if revisit:
        asked = _ask_path(pack, answers, revisit)
        if asked is not None:
            return asked
    # The walk once: deciding whether a list's items are complete reads it again for each
    # list with items (and again inside for the lists within those items).
    slots = list(walk(pack, answers))
    for slot in slots:
        if not slot.relevant:
            continue
        asked = _ask_slot(pack, answers, state, slot, slots)
        if asked is not None:
            return asked
    return _blocking_question(pack, answers, state)


def _blocking_question(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any]
) -> AskedQuestion | None:
    """Every question has an answer, but the rules may still find errors: the interview is not
    complete until they are fixed, so each is asked again with what is wrong, in turn (the
    ones put off with "skip" last)."""
    deferred = state.get("deferred") or []
    blocking = errors(open_problems(pack, answers))
    blocking.sort(key=lambda p: deferred.index(p.path) + 1 if p.path in deferred else 0)
    for problem in blocking:
        asked = _question_for_problem(pack, answers, problem)
        if asked is not None:
            lead = problem.message.rstrip(". ")
            return _replace(
                asked,
                prompt=f"To fix before the documents can be made: {lead}. {asked.prompt}",
                blocking=True,
            )
    return None


def _question_for_problem(
    pack: Pack, answers: dict[str, Any], problem: Problem
) -> AskedQuestion | None:
    path = problem.path
    question = pack.question_at(path)
    if question is None:
        return None
    if path.endswith("]") and not question.is_group:
        path = path.rsplit("[", 1)[0]  # one entry of a list answer: ask for the list
    elif path.endswith("]"):
        # A problem with one item as a whole ("cites nothing"): ask the item's first question
        # still unanswered there, else its first question.
        return _question_for_item(pack, answers, path)
    for slot in walk(pack, answers):
        if slot.path != path or not slot.relevant:
            continue
        if not slot.question.is_group:
            return _make_question(pack, answers, path, slot.question, slot)
        items = paths.get(answers, path)
        count = len(items) if isinstance(items, list) else 0
        return _ask_field(
            pack, answers, slot, f"{path}[{count}].", slot.question.fields[0], first_item=True
        )
    return None


def _finished_message(pack: Pack, answers: dict[str, Any], last_answer: bool = False) -> str:
    """What is said when nothing is left to ask: complete only if nothing blocks the documents.
    ``last_answer``: said right after the answer that ended the questions."""
    blocking = errors(open_problems(pack, answers))
    if blocking:
        listed = "; ".join(p.message.rstrip(". ") for p in blocking)
        return f'Nothing is left to ask, but this still blocks the documents: {listed}. Say "review" to see your answers.'
    if last_answer:
        return "That was the last question: the interview is complete."
    return (
        'The interview is complete: nothing blocks the documents. Say "review" to see your answers.'
    )


def _question_for_item(pack: Pack, answers: dict[str, Any], item_path: str) -> AskedQuestion | None:
    inside = [
        s
        for s in walk(pack, answers)
        if s.relevant and not s.question.is_group and s.path.startswith(f"{item_path}.")
    ]
    unanswered = [
        s
        for s in inside
        if not is_answered(paths.get(answers, s.path)) and paths.get(answers, s.path) is not False
    ]
    for slot in unanswered or inside:
        return _make_question(pack, answers, slot.path, slot.question, slot)
    return None


def _ask_slot(
    pack: Pack,
    answers: dict[str, Any],
    state: dict[str, Any],
    slot: Slot,
    slots: list[Slot] | None = None,
) -> AskedQuestion | None:
    """``slots``: the walk of ``pack`` over ``answers`` when the caller has it already."""
    question = slot.question
    value = paths.get(answers, slot.path)
    if question.is_group:
        count = len(value) if isinstance(value, list) else 0
        if count == 0 and slot.path not in state["skipped"]:
            if question.min_items > 0 or slot.path not in state["closed"]:
                # Start the first item straight away: its first field is the question.
                return _ask_field(
                    pack, answers, slot, f"{slot.path}[0].", question.fields[0], first_item=True
                )
        if slot.path in state["closed"] or (
            question.max_items is not None and count >= question.max_items
        ):
            return None
        if count and not _items_complete(pack, answers, slot.path, count, state, slots):
            return None  # the items' own questions come first; the walk reaches them next
        if count:
            return _more_question(pack, answers, slot, count)
        return None
    if is_answered(value) or value is False or slot.path in state["skipped"]:
        return None
    if not question.required and paths.has(answers, slot.path):
        return None  # answered "none" ([] or ""): asking again would never end
    if not question.required and _in_closed_list(slot.path, state):
        # A list a client sent whole (a portal's PATCH) settles the optional answers it left
        # out: asking the same optional question once per item of a long list is a dozen questions.
        # What the rules then find wrong is still asked, as a blocking question.
        return None
    return _make_question(pack, answers, slot.path, question, slot)


def _in_closed_list(path: str, state: dict[str, Any]) -> bool:
    found = _LAST_INDEX.search(path)
    return found is not None and path[: found.start()] in state["closed"]


def _items_complete(
    pack: Pack,
    answers: dict[str, Any],
    group_path: str,
    count: int,
    state: dict[str, Any],
    slots: list[Slot] | None = None,
) -> bool:
    prefix = f"{group_path}["
    for slot in walk(pack, answers) if slots is None else slots:
        if (
            slot.relevant
            and slot.path.startswith(prefix)
            and _ask_slot(pack, answers, state, slot, slots) is not None
        ):
            return False
    return True


def _ask_field(
    pack: Pack,
    answers: dict[str, Any],
    group_slot: Slot,
    prefix: str,
    question: Question,
    first_item: bool,
) -> AskedQuestion:
    path = f"{prefix}{question.id}"
    asked = _make_question(pack, answers, path, question, group_slot)
    if first_item:
        intro = group_slot.question.prompt.rstrip()
        if intro[-1:] not in ".?!:":
            intro += "."
        asked = _replace(asked, prompt=f"{intro} {asked.prompt}")
    return asked


def plural(label: str, count: int) -> str:
    if count == 1:
        return label
    if label.endswith("y") and label[-2:-1] not in "aeiou":
        return f"{label[:-1]}ies"
    return f"{label}s"


def close_groups(
    pack: Pack, state: dict[str, Any], patch: dict[str, Any], answers: dict[str, Any]
) -> dict[str, Any]:
    """Lists a client sent whole (a portal's PATCH) are taken as complete: the chat does not
    ask "add another?" about them. Returns the new state."""
    state = copy_json({**new_state(), **(state or {})})
    for step in pack.steps:
        for path in _groups_sent(step.questions, "", patch, answers):
            if path not in state["closed"]:
                state["closed"].append(path)
    return state


def _groups_sent(
    questions: tuple[Question, ...], prefix: str, patch: dict[str, Any], answers: dict[str, Any]
) -> Iterator[str]:
    """The paths of the lists ``patch`` holds, in interview order (the walk's, without its
    conditions: whether a list is asked does not matter here). Only what the patch holds is
    descended into, so a PATCH of one answer costs nearly nothing."""
    for question in questions:
        path = f"{prefix}{question.id}"
        if not question.is_group or not paths.has(patch, path):
            continue
        yield path
        items = paths.get(answers, path)
        for index in range(len(items) if isinstance(items, list) else 0):
            yield from _groups_sent(question.fields, f"{path}[{index}].", patch, answers)


def _more_question(pack: Pack, answers: dict[str, Any], slot: Slot, count: int) -> AskedQuestion:
    label = slot.question.item_label
    outer = item_context(pack, answers, slot.path)
    return AskedQuestion(
        id=f"{slot.path}{MORE_SUFFIX}",
        prompt=f"{outer + ' — ' if outer else ''}You have given {count} {plural(label, count)}. "
        f'Add another {label}? (Say "remove" to take the last one out.)',
        type="yesno",
        step=slot.step.id,
        step_title=slot.step.title,
        help=slot.question.help,
        example="no",
        required=True,
    )


def _make_question(
    pack: Pack, answers: dict[str, Any], path: str, question: Question, slot: Slot
) -> AskedQuestion:
    scopes = slot.scopes
    # A field of a group item not created yet (the first item of a list) is asked from the
    # group's slot: its scope is the new item.
    if path.count("[") > slot.path.count("["):
        scopes = (*slot.scopes, path.rsplit(".", 1)[0])
    default = default_for(pack, answers, question, scopes)
    prompt = question.prompt
    where = item_context(pack, answers, path)
    if where:
        prompt = f"{where} — {prompt}"
    if default not in (None, "", []):
        prompt += f' (Suggested: {fields.format_value(question, default)}; reply "ok" to accept.)'
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


def item_context(pack: Pack, answers: dict[str, Any], path: str) -> str:
    """The items a path is inside, in words: "Part 2 (Definitions), entry 2"
    for ``volumes[2].bpi_items[1].pages``; empty outside repeated groups."""
    keys = paths.split(path)
    names = []
    for position, key in enumerate(keys):
        if not isinstance(key, int):
            continue
        group = pack.question_at(paths.join(keys[:position]))
        if group is None or not group.is_group:
            continue
        names.append(item_name(group, paths.get(answers, keys[: position + 1]), key))
    return ", ".join(names)


def item_name(group: Question, item: Any, index: int) -> str:
    """One item of a group by the pack's ``item_name`` ("Volume {numeral} ({title})") when its
    answers fill it, else by its label and number ("Attorney 2")."""
    label = f"{group.item_label[:1].upper()}{group.item_label[1:]} {index + 1}"
    if not isinstance(item, dict):
        return label
    named = {
        k: v
        for k, v in item.items()
        if isinstance(v, (str, int)) and not isinstance(v, bool) and v != ""
    }
    if group.item_name:
        try:
            return group.item_name.format_map(named)
        except (KeyError, ValueError, IndexError):
            pass
    first = next(
        (
            named[f.id]
            for f in group.fields
            if f.type == "text" and isinstance(named.get(f.id), str)
        ),
        None,
    )
    return f"{label} ({_shorten(first, 60)})" if first else label


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
    ``remove``, ``remove attorney 2``, ``move up``/``move down`` and ``no more`` work on
    repeated groups; anything else is parsed by the current question's type, checked like any
    other answer, and saved only if it passes. Never raises for what a person types.
    """
    state = copy.deepcopy({**new_state(), **(state or {})})
    command = " ".join(text.strip().lower().rstrip(".!").split())
    current = next_question(pack, answers, state)

    if command == "help":
        if current is None:
            return Turn(None, state, _finished_message(pack, answers))
        lines = [current.prompt]
        if current.help:
            lines.append(current.help)
        if current.example:
            lines.append(f"For example: {current.example}")
        if current.choices:
            lines.append(
                "Choices: " + "; ".join(f"{c['value']} = {c['label']}" for c in current.choices)
            )
        if not current.required:
            lines.append('This question is optional: say "skip" to leave it out.')
        if _LAST_INDEX.search(current.id) or current.id.endswith(MORE_SUFFIX):
            lines.append(
                'In a list, "remove" takes this item out, "move up" or "move down" reorders it, '
                'and "no more" ends the list.'
            )
        if current.blocking:
            lines.append('"skip" leaves this problem for later; it still blocks the documents.')
        if not current.required and current.current is not None:
            lines.append('"clear" removes this answer.')
        lines.append('"add" and a kind of item ("add volume") starts a new item of a list.')
        lines.append('You can also say "back" or "review".')
        return Turn(None, state, "\n".join(lines), question=current)

    if command == "review":
        return Turn(
            None,
            state,
            "Here is what you have answered so far.",
            question=current,
            review=review(pack, answers),
            problems=open_problems(pack, answers),
        )

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
        return Turn(
            None,
            state,
            'Going back to your previous answer; type a new one, or "ok" to keep it.',
            question=asked,
        )

    # Words that could also be an answer ("Add Co.") are commands only when they name a list.
    removing = _REMOVE.fullmatch(command)
    if removing:
        label = removing.group("label")
        if label in ("this", "it", "this one", "this item", "item"):
            label = None
        if label is None or _named_group(pack, answers, current, label) is not None:
            return _remove_item(pack, answers, state, current, label, removing.group("number"))
    moving = _MOVE.fullmatch(command)
    if moving:
        return _move_item(pack, answers, state, current, moving.group("direction"))
    adding = _ADD.fullmatch(command)
    if adding and _named_group(pack, answers, current, adding.group("label")) is not None:
        return _add_item(pack, answers, state, current, adding.group("label"))
    if command == "clear" and current is not None:
        return _clear(pack, answers, state, current)

    if current is None:
        return Turn(None, state, _finished_message(pack, answers))

    if command in NO_MORE_WORDS and (
        _LAST_INDEX.search(current.id) or current.id.endswith(MORE_SUFFIX)
    ):
        return _no_more(pack, answers, state, current)

    if command == "skip":
        if current.blocking:
            # Put off, not forgotten: the other problems come first, then this one again.
            state["deferred"] = [p for p in state["deferred"] if p != current.id] + [current.id]
            state["revisit"] = None
            following = next_question(pack, answers, state)
            if following is not None and following.id == current.id:
                message = 'This is the last problem left, and it still blocks the documents: change the answer, or say "review".'
            else:
                message = "Left for later: it still blocks the documents."
            return Turn(None, state, message, question=following)
        if current.required:
            return Turn(
                None, state, "This question is required and cannot be skipped.", question=current
            )
        state["skipped"].append(current.id.removesuffix(MORE_SUFFIX))
        if current.id.endswith(MORE_SUFFIX):
            state["closed"].append(current.id.removesuffix(MORE_SUFFIX))
        state["revisit"] = None
        return Turn(None, state, "Skipped.", question=next_question(pack, answers, state))

    if current.id.endswith(MORE_SUFFIX):
        return _answer_more(pack, answers, state, current, text)
    return _answer_field(pack, answers, state, current, text)


def _item_at(current: AskedQuestion | None) -> tuple[str, int] | None:
    """The list and index of the innermost item the current question is about; the last item
    of the list for "Add another?"."""
    if current is None:
        return None
    if current.id.endswith(MORE_SUFFIX):
        return current.id.removesuffix(MORE_SUFFIX), -1
    match = _LAST_INDEX.search(current.id)
    if match is None:
        return None
    return current.id[: match.start()], int(match.group(1))


def _named_group(
    pack: Pack, answers: dict[str, Any], current: AskedQuestion | None, label: str
) -> str | None:
    """The list a person names by its label ("attorney", "entries"): the one around the
    current question first, then the first such list of the interview."""
    wanted = label.strip().lower()
    around = _item_at(current)
    candidates = [
        slot.path
        for slot in walk(pack, answers)
        if slot.relevant
        and slot.question.is_group
        and wanted
        in (slot.question.item_label.lower(), plural(slot.question.item_label, 2).lower())
    ]
    if around is not None:
        inside = [path for path in candidates if around[0].startswith(path)]
        if inside:
            return max(inside, key=len)
    return candidates[0] if candidates else None


def _remove_item(
    pack: Pack,
    answers: dict[str, Any],
    state: dict[str, Any],
    current: AskedQuestion | None,
    label: str | None,
    number: str | None,
) -> Turn:
    if label:
        group_path = _named_group(pack, answers, current, label)
        if group_path is None:
            return Turn(
                None, state, f"There is no list of {label!r} in this interview.", question=current
            )
        index = int(number) - 1 if number else -1
    else:
        found = _item_at(current)
        if found is None:
            return Turn(
                None,
                state,
                'There is no item here to remove; name one, such as "remove attorney 2".',
                question=current,
            )
        group_path, index = found
        if number:
            index = int(number) - 1
    group = pack.question_at(group_path)
    items = paths.get(answers, group_path)
    items = items if isinstance(items, list) else []
    if index < 0:
        index += len(items)
    if group is None or not 0 <= index < len(items):
        what = group.item_label if group else "item"
        return Turn(
            None,
            state,
            f"There is no {what} {index + 1 if index >= 0 else ''} to remove; the list has {len(items)}.".replace(
                "  ", " "
            ),
            question=current,
        )
    name = item_name(group, items[index], index)
    updated = copy.deepcopy(answers)
    paths.get(updated, group_path).pop(index)
    _forget_items(state, group_path)
    if not label and group_path not in state["closed"]:
        state["closed"].append(group_path)  # the item at hand was not wanted: do not ask for more
    message = f"Removed {name}."
    if len(items) - 1 < group.min_items:
        message += f" At least {group.min_items} {plural(group.item_label, group.min_items)} {'is' if group.min_items == 1 else 'are'} needed."
    return Turn(updated, state, message, question=next_question(pack, updated, state))


def _move_item(
    pack: Pack,
    answers: dict[str, Any],
    state: dict[str, Any],
    current: AskedQuestion | None,
    direction: str,
) -> Turn:
    found = _item_at(current)
    if found is None:
        return Turn(None, state, "There is no item here to move.", question=current)
    group_path, index = found
    group = pack.question_at(group_path)
    items = paths.get(answers, group_path)
    items = items if isinstance(items, list) else []
    if index < 0:
        index += len(items)
    target = index - 1 if direction == "up" else index + 1
    if group is None or not 0 <= index < len(items) or not 0 <= target < len(items):
        return Turn(
            None,
            state,
            f"That item cannot move {direction}: it is already {'first' if direction == 'up' else 'last'}.",
            question=current,
        )
    updated = copy.deepcopy(answers)
    moved = paths.get(updated, group_path)
    moved[index], moved[target] = moved[target], moved[index]
    _forget_items(state, group_path)
    name = item_name(group, moved[target], index)
    return Turn(
        updated,
        state,
        f"Moved {direction}: {name} is now {group.item_label} {target + 1}.",
        question=next_question(pack, updated, state),
    )


def _no_more(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion
) -> Turn:
    found = _item_at(current)
    assert found is not None
    group_path, index = found
    items = paths.get(answers, group_path)
    items = items if isinstance(items, list) else []
    updated = answers
    message = "Noted: no more."
    if 0 <= index < len(items) and not any(
        is_answered(v) or v is False for v in (items[index] or {}).values()
    ):
        # An item started by mistake ("yes" to "Add another?") and never filled in goes.
        updated = copy.deepcopy(answers)
        paths.get(updated, group_path).pop(index)
        message = "Noted: no more; the empty item is removed."
    _forget_items(state, group_path)
    if group_path not in state["closed"]:
        state["closed"].append(group_path)
    return Turn(
        updated if updated is not answers else None,
        state,
        message,
        question=next_question(pack, updated, state),
    )


def _add_item(
    pack: Pack,
    answers: dict[str, Any],
    state: dict[str, Any],
    current: AskedQuestion | None,
    label: str,
) -> Turn:
    group_path = _named_group(pack, answers, current, label)
    if group_path is None:
        return Turn(
            None, state, f"There is no list of {label!r} in this interview.", question=current
        )
    group = pack.question_at(group_path)
    items = paths.get(answers, group_path)
    count = len(items) if isinstance(items, list) else 0
    if group is None or (group.max_items is not None and count >= group.max_items):
        return Turn(
            None,
            state,
            f"The list is full: at most {group.max_items if group else 0}.",
            question=current,
        )
    updated = copy.deepcopy(answers)
    paths.assign(updated, f"{group_path}[{count}]", {})
    state["closed"] = [p for p in state["closed"] if p != group_path]
    state["revisit"] = None
    asked = next_question(pack, updated, state)
    return Turn(updated, state, f"Added {group.item_label} {count + 1}.", question=asked)


def _clear(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion
) -> Turn:
    if current.required or current.id.endswith(MORE_SUFFIX) or not paths.has(answers, current.id):
        return Turn(
            None,
            state,
            "There is no answer here that can be cleared: this question needs one.",
            question=current,
        )
    updated = copy.deepcopy(answers)
    paths.remove(updated, current.id)
    state["skipped"].append(current.id)
    state["revisit"] = None
    return Turn(
        updated,
        state,
        "Cleared: the answer is removed.",
        question=next_question(pack, updated, state),
    )


def _forget_items(state: dict[str, Any], group_path: str) -> None:
    """Item paths the state remembers shift when a list changes: forget those of this list."""
    inside = f"{group_path}["
    state["history"] = [p for p in state["history"] if not p.startswith(inside)]
    state["skipped"] = [p for p in state["skipped"] if not p.startswith(inside)]
    state["deferred"] = [p for p in state["deferred"] if not p.startswith(inside)]
    if (state.get("revisit") or "").startswith(inside):
        state["revisit"] = None


def _answer_more(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion, text: str
) -> Turn:
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


def _answer_field(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion, text: str
) -> Turn:
    word = text.strip().lower().rstrip(".!")
    question = pack.question_at(current.id)
    offered = current.current if current.current is not None else current.default
    if word in ACCEPT_WORDS or (word in AGREE_WORDS and current.type != "yesno"):
        if offered in (None, "", []):
            message = "There is no suggestion to accept here: please type the answer."
            problem = Problem(
                path=current.id,
                message=f"{describe(pack, current.id)}: {message}",
                code="reply.nothing_to_accept",
            )
            return Turn(None, state, message, problems=[problem], question=current)
        value = offered
    else:
        try:
            value = _parse_reply(pack, answers, state, current, text)
        except fields.AmbiguousDate as exc:
            state["ambiguous"] = {
                "path": current.id,
                "options": [day.isoformat() for day in exc.options],
            }
            problem = Problem(
                path=current.id,
                message=f"{describe(pack, current.id)}: {exc}",
                code="reply.ambiguous_date",
            )
            return Turn(None, state, str(exc), problems=[problem], question=current)
        except fields.FieldParseError as exc:
            problem = Problem(
                path=current.id,
                message=f"{describe(pack, current.id)}: {exc}",
                code="reply.unreadable",
            )
            return Turn(None, state, str(exc), problems=[problem], question=current)
    updated = copy.deepcopy(answers)
    paths.assign(updated, current.id, value)
    refused = [
        p
        for p in value_problems(pack, updated)
        if p.path == current.id or p.path.startswith(current.id)
    ]
    if refused:
        message = " ".join(p.message for p in refused)
        return Turn(None, state, message, problems=refused, question=current)
    state["history"].append(current.id)
    state["revisit"] = None
    state["ambiguous"] = None
    echo = f"Saved: {_shorten(fields.format_value(question, value)) if question else value}."
    new = _caused(pack, answers, updated, current.id)
    raised = _raised_beside(pack, updated, current.id, new)
    if raised is not None:
        # "No, that date is not right": the answer it is about is asked again at once, rather
        # than left for the review to find.
        state["revisit"] = raised.path
    following = next_question(pack, updated, state)
    caused = [p for p in new if p is raised or _reported_now(p, current.id, state, following)]
    if following is not None and following.blocking and following.id == current.id:
        message = f"{echo} That does not settle it yet."
    elif caused:
        words = "; ".join(
            p.message.rstrip(". ") + (" (a warning)" if p.severity == "warning" else "")
            for p in caused
        )
        message = f"{echo} But this answer raised {'a problem' if len(caused) == 1 else f'{len(caused)} problems'}: {words}."
    elif following is None:
        message = f"{echo} {_finished_message(pack, updated, last_answer=True)}"
    else:
        message = echo
    return Turn(updated, state, message, problems=caused, question=following)


def _parse_reply(
    pack: Pack, answers: dict[str, Any], state: dict[str, Any], current: AskedQuestion, text: str
) -> Any:
    ambiguous = state.get("ambiguous") or {}
    if current.type == "date" and ambiguous.get("path") == current.id:
        options = tuple(dt.date.fromisoformat(day) for day in ambiguous["options"])
        return fields.parse_date(text, choose_from=options).isoformat()
    return fields.parse_at(pack, answers, current.id, text)


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _caused(
    pack: Pack, before: dict[str, Any], after: dict[str, Any], answered: str
) -> list[Problem]:
    """The problems this answer raised anywhere in the interview. Problems about answers not
    given yet are left out: the questions still to come settle them."""
    found = [
        p
        for p in rule_problems(pack, after)
        if p.path == answered or is_answered(paths.get(after, _list_of(p.path)))
    ]
    if not found:
        return []  # the usual case: the rules run once, not once more on the old answers
    # Compared by message too: "change it, or confirm it" becoming "change it" is news.
    earlier = {(p.path, p.code, p.message) for p in rule_problems(pack, before)}
    return [p for p in found if (p.path, p.code, p.message) not in earlier]


def _reported_now(
    problem: Problem, answered: str, state: dict[str, Any], following: AskedQuestion | None
) -> bool:
    """Whether a new problem is said now. An error at the answer itself always is; a warning
    there waits while its item has questions to come (an item that must name an entry of
    another list, until the question that names it). A problem elsewhere is said unless the
    answer is in a list still being filled in, whose next items usually settle it (the first
    item given makes every other "without its item" until the others come)."""
    found = _LAST_INDEX.search(answered)
    item = answered[: found.end()] if found else ""
    if problem.path == answered or problem.path.startswith((f"{answered}.", f"{answered}[")):
        more_in_item = bool(item) and following is not None and following.id.startswith(f"{item}.")
        return problem.severity == "error" or not more_in_item
    return found is None or answered[: found.start()] in state["closed"]


def _list_of(path: str) -> str:
    return path.rsplit("[", 1)[0] if path.endswith("]") else path


def _raised_beside(
    pack: Pack, after: dict[str, Any], answered: str, caused: list[Problem]
) -> Problem | None:
    """A new blocking problem that this answer raised on another, already answered question
    of the same item or section, which can be asked again at once."""
    parent = answered.rpartition(".")[0]
    if not parent:
        return None
    for problem in caused:
        if (
            problem.severity != "error"
            or problem.path == answered
            or problem.path.rpartition(".")[0] != parent
        ):
            continue
        if (
            is_answered(paths.get(after, problem.path))
            and _ask_path(pack, after, problem.path) is not None
        ):
            return problem
    return None


def review(pack: Pack, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every relevant answer grouped by step, as text a person reads."""
    steps: dict[str, dict[str, Any]] = {}
    for slot in walk(pack, answers):
        if not slot.relevant or slot.question.is_group:
            continue
        entry = steps.setdefault(
            slot.step.id, {"step": slot.step.id, "title": slot.step.title, "answers": []}
        )
        value = paths.get(answers, slot.path)
        shown = (
            value
            if is_answered(value) or value is False
            else default_for(pack, answers, slot.question, slot.scopes)
        )
        entry["answers"].append(
            {
                "path": slot.path,
                "label": describe(pack, slot.path),
                "value": fields.format_value(slot.question, shown),
                "answered": is_answered(value) or value is False,
            }
        )
    return list(steps.values())


__all__ = [
    "AskedQuestion",
    "Turn",
    "new_state",
    "next_question",
    "reply",
    "review",
    "progress",
    "merge",
]

"""The plugin interface: everything a pack's own Python package may add to the engine.

A pack is data (Word templates, an answers schema, ``interview.yaml``). A pack that needs more
ships a Python package and names a ``PackPlugin`` under the entry point group
``filing_assembler.packs``, the entry point's name being the pack's name::

    [project.entry-points."filing_assembler.packs"]
    my-pack = "my_pack:plugin"

What a plugin adds, all optional:

- ``rules``: named functions ``interview.yaml`` refers to: its ``context`` (answers → template
  context), its ``checks`` (answers → problems), its ``session_title`` and the ``derive``
  defaults of its questions (answers → value).
- ``question_types``: answer types beyond the engine's own (text, multiline, date, number,
  choice, yesno, group), each with its parser, its formatter, the web widget and the words the
  chat adds.
- ``importer``: reads an earlier document into answers, for ``POST /api/sessions/import?pack=``
  and the web form's import page.
- ``derived_names``: the names the context adds beside the answers' own top-level keys, so that
  the loader can check every template variable.

A check or a ``derive`` default may declare which answers it reads (``@reads``), and a check
may be declared the sum of smaller ones (``@made_of``): a write then reruns only the checks
whose answers it changed, and keeps the previous revision's findings of the others (see
``service/interview/derived.py``). A rule that declares nothing runs on every write.

The engine loads plugins here and nowhere else; the packs shipped with the service register
through this very interface.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoints, entry_points
from typing import Any, Protocol, TypeVar

import structlog

GROUP = "filing_assembler.packs"

log = structlog.get_logger(__name__)

Rule = TypeVar("Rule", bound=Callable[..., Any])


def reads(*patterns: str) -> Callable[[Rule], Rule]:
    """Declares the answers a rule reads, as paths (``filing.date``, ``volumes[*].kind``:
    ``[*]`` for every item of a list): for a check, paths into the effective answers it is
    given; for a ``derive`` default, into the answers. A path stands for everything under it.

    The declaration is a promise the engine relies on: a write that changes none of these
    answers keeps the rule's previous findings instead of running it. Reading anything else
    (the keys of an object the paths lie inside, say) makes later revisions' findings
    wrong. Whether an object or a list on the way to a path exists, and a list's length where
    a path steps into each of its items (``[*]``), count as read. The shipped pack's tests
    check its declarations by recording what each rule reads over many sets of answers."""

    def declare(rule: Rule) -> Rule:
        rule.reads = tuple(patterns)  # type: ignore[attr-defined]
        return rule

    return declare


def made_of(*parts: Callable[..., Any]) -> Callable[[Rule], Rule]:
    """Declares a check to be its parts run one after another, their findings joined in that
    order, on any object of answers: the engine then runs (and reuses) each part on its own,
    each with its own ``@reads``."""

    def declare(rule: Rule) -> Rule:
        rule.parts = tuple(parts)  # type: ignore[attr-defined]
        return rule

    return declare


class Unreadable(ValueError):
    """Raised by a question type's ``parse``; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class QuestionType:
    name: str
    # Whether a question of this type may answer a value of this JSON Schema.
    fits: Callable[[Mapping[str, Any]], bool]
    # Text a person typed → the answer. ``refs`` holds the answers named by the question's
    # ``refers`` options (see below). Raises Unreadable.
    parse: Callable[[str, Mapping[str, Any]], Any]
    # The answer → the text a person would type, for review pages and prefilled inputs.
    format: Callable[[Any], str]
    # Options of a question in interview.yaml that name another answer, whose value ``parse``
    # receives under the option's name (e.g. ``numeral_from: numeral``).
    refers: tuple[str, ...] = ()
    # Whether an empty text is an answer of its own (an empty list) rather than no answer.
    blank_is_answer: bool = False
    # The web form's input: "text" or "textarea".
    widget: str = "text"
    # What the chat says, on "help", about how to answer a question that has no help of its own.
    hint: str = ""


class ImportResult(Protocol):
    """What an importer found in a document."""

    answers: dict[str, Any]
    # Paths of the interview's questions the document answered.
    recognised: list[str]
    # What the document did not say, each starting with the path it would answer.
    not_found: list[str]
    # The document's own mistakes (service.problems.Problem).
    notes: list[Any]


@dataclass(frozen=True, slots=True)
class Importer:
    # (the file's bytes, its name) → ImportResult. Never raises on a bad file: it reports it.
    read: Callable[[bytes, str], ImportResult]
    # What the import page asks for: "an earlier letter".
    document: str
    # File types the page's file input offers: ".docx", ".txt".
    accept: tuple[str, ...] = ()
    # Modules the processes that run ``read`` import once, in advance (imports of untrusted
    # documents run in a process of their own, forked from a server that preloaded these).
    preload: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackPlugin:
    rules: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    question_types: tuple[QuestionType, ...] = ()
    importer: Importer | None = None
    derived_names: frozenset[str] = frozenset()


def import_preload(importers: Iterable[Importer]) -> list[str]:
    """The modules to preload for running these importers: each one's own and those it names."""
    return sorted({module for i in importers for module in (i.read.__module__, *i.preload)})


@functools.cache
def _entry_points() -> EntryPoints:
    # Finding them reads every installed distribution's metadata (tens of milliseconds), and
    # a server asked twice as it started (``serve``, then the app's packs); what is installed
    # does not change while a process runs.
    return entry_points(group=GROUP)


def installed() -> dict[str, PackPlugin]:
    """The plugins installed in this environment, by pack name. A plugin that fails to load is
    logged and left out, so that its pack is reported broken rather than the service failing."""
    found: dict[str, PackPlugin] = {}
    for point in _entry_points():
        try:
            plugin = point.load()
        except Exception as exc:  # noqa: BLE001 - any error in a plugin's import
            log.error("packs.plugin.failed", pack=point.name, error=str(exc))
            continue
        if isinstance(plugin, PackPlugin):
            found[point.name] = plugin
        else:
            log.error("packs.plugin.not_a_plugin", pack=point.name, value=point.value)
    return found

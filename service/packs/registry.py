"""Named rules as a pack's interview.yaml refers to them: the engine's own, and its plugin's.

A pack is data; when it needs a derived value (a document context, a check, a default drawn
from other answers) it names a function. Names are resolved when a pack is loaded, so a
misspelt name stops the pack, not a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service.packs.generic import answers_as_context
from service.packs.plugins import PackPlugin

# The rules every pack may use without Python of its own.
BUILTIN: dict[str, Callable[..., Any]] = {"generic.answers": answers_as_context}


class UnknownFunction(LookupError):
    pass


def resolve(name: str, plugin: PackPlugin | None = None) -> Callable[..., Any]:
    """The function a pack names. Raises UnknownFunction for a name neither the engine nor the
    pack's plugin defines."""
    found = BUILTIN.get(name) or (plugin.rules.get(name) if plugin else None)
    if found is None:
        where = "the engine's rules" + (
            " or the pack's plugin" if plugin else " (the pack has no plugin)"
        )
        raise UnknownFunction(f"no rule named {name!r} in {where}")
    return found

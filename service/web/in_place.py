"""What an item button (Add, Move up/down, Remove) draws again in place, with JavaScript.

Drawing the whole page again after each press made a step of 70 volumes slow to fill: the
browser threw away and rebuilt some 15,000 nodes per press. A press on a list inside an item
draws again only its *region*, the outermost item around that list (whose collapsed line
counts what its lists hold); what else changes everywhere (the revision, the steps beside
the form, the page's notes and focus) is sent out of band. When the press changed anything
outside the region (a question asked or no longer asked, a suggestion, a problem beside an
input), the whole page is drawn again instead.

A list in no item is most of its page, so its buttons draw the whole page again, as before:
measured on 55 volumes, swapping the list alone was no faster in the browser, and comparing
the page outside it (two more page models of every volume) cost the server more.
"""

from __future__ import annotations

from typing import Any

from service.interview import paths
from service.web.forms import Action
from service.web.views import FieldView, GroupView, ItemView, StepPage


def region_of(action: Action) -> str:
    """The path of the item an item button draws again: the outermost item around its list;
    "" for a list in no item (the whole page is drawn again)."""
    keys = paths.split(action.path)
    group = keys if action.kind == "add" else keys[:-1]
    first_index = next((at for at, key in enumerate(group) if isinstance(key, int)), None)
    return "" if first_index is None else paths.join(group[: first_index + 1])


def find(page: StepPage, region: str) -> ItemView | None:
    """The item of ``page`` at ``region`` (an item of a list that is in no item)."""
    for root in page.nodes:
        if isinstance(root, GroupView):
            for item in root.items:
                if item.path == region:
                    return item
    return None


def outside(page: StepPage, region: str) -> list[Any]:
    """What ``page`` shows outside ``region`` that answers decide, in page order: the
    questions asked, their suggestions, the items' lines, and the problems beside them.
    What a person typed is left out: the page holds it already."""
    shown: list[Any] = []

    def visit(node: FieldView | GroupView | ItemView) -> None:
        if node.path == region:
            shown.append(region)
            return
        messages = [(p.severity, p.message) for p in node.problems]
        if isinstance(node, FieldView):
            shown.append((node.path, node.suggestion, messages))
        elif isinstance(node, GroupView):
            shown.append((node.path, node.can_add, len(node.items), messages))
            for item in node.items:
                visit(item)
        else:
            shown.append((node.path, node.legend, node.summary, messages))
            for child in node.nodes:
                visit(child)

    for root in page.nodes:
        visit(root)
    return shown

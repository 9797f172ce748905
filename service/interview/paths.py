"""Paths into a tree of answers: ``counsel.attorneys[2].name``.

One spelling is used everywhere a path is shown to a person or a client; these helpers turn
it into keys and back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

Key = str | int

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class PathError(ValueError):
    """A path that does not parse (``a..b``, ``a[x]``)."""


# Every walk over the answers splits the same few hundred paths again: remembered.
@functools.lru_cache(maxsize=8192)
def split(path: str) -> tuple[Key, ...]:
    """``"volumes[1].bpi_items[0].pages"`` → ``("volumes", 1, "bpi_items", 0, "pages")``.

    Raises PathError for an empty path or characters outside names and ``[n]`` indices.
    """
    if not path:
        return ()
    keys: list[Key] = []
    position = 0
    for match in _TOKEN.finditer(path):
        gap = path[position : match.start()]
        if gap not in ("", ".") or (gap == "." and not keys):
            raise PathError(f"not a path: {path!r}")
        name, index = match.groups()
        keys.append(int(index) if index is not None else name)
        position = match.end()
    if position != len(path):
        raise PathError(f"not a path: {path!r}")
    return tuple(keys)


def join(keys: tuple[Key, ...] | list[Key]) -> str:
    out = ""
    for key in keys:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else key
    return out


def child(path: str, key: Key) -> str:
    return join((*split(path), key))


_MISSING = object()


def get(tree: Any, path: str | tuple[Key, ...], default: Any = None) -> Any:
    keys = split(path) if isinstance(path, str) else path
    node = tree
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return default
        elif not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def has(tree: Any, path: str | tuple[Key, ...]) -> bool:
    return get(tree, path, _MISSING) is not _MISSING


def assign(tree: dict[str, Any], path: str | tuple[Key, ...], value: Any) -> None:
    """Set a value, creating the dicts and list slots on the way.

    Lists are padded with empty objects so that ``members[2].name`` can be answered before
    ``members[1]``; the engine treats an empty object as an item not yet filled in.
    """
    keys = split(path) if isinstance(path, str) else path
    if not keys:
        raise PathError("cannot assign to the root")
    node: Any = tree
    for key, next_key in zip(keys, keys[1:]):
        container: Any = [] if isinstance(next_key, int) else {}
        node = _step_into(node, key, container)
    last = keys[-1]
    if isinstance(last, int):
        _pad(node, last)
    node[last] = value


def remove(tree: dict[str, Any], path: str | tuple[Key, ...]) -> None:
    keys = split(path) if isinstance(path, str) else path
    parent = get(tree, keys[:-1])
    last = keys[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)  # type: ignore[arg-type]
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent.pop(last)


def _step_into(node: Any, key: Key, container: Any) -> Any:
    if isinstance(key, int):
        if not isinstance(node, list):
            raise PathError("an index into something that is not a list")
        _pad(node, key)
        if not isinstance(node[key], (dict, list)):
            node[key] = container
        return node[key]
    if not isinstance(node, dict):
        raise PathError("a name inside something that is not an object")
    if not isinstance(node.get(key), (dict, list)):
        node[key] = container
    return node[key]


def _pad(node: list[Any], index: int) -> None:
    while len(node) <= index:
        node.append({})


def scopes_of(path: str) -> tuple[str, ...]:
    """The list items a path lies inside, outermost first:
    ``volumes[1].bpi_items[0].pages`` → ``("volumes[1]", "volumes[1].bpi_items[0]")``."""
    keys = split(path)
    return tuple(join(keys[: i + 1]) for i, key in enumerate(keys[:-1]) if isinstance(key, int))


def leaves(tree: Any, prefix: tuple[Key, ...] = ()) -> Iterator[tuple[tuple[Key, ...], Any]]:
    """Every scalar value with its keys; lists of scalars count as one value."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from leaves(value, (*prefix, key))
    elif isinstance(tree, list) and any(isinstance(v, (dict, list)) for v in tree):
        for index, value in enumerate(tree):
            yield from leaves(value, (*prefix, index))
    else:
        yield prefix, tree

"""Template packs: a kind of document set as data (templates, answers schema, interview).

``PackRegistry`` loads and checks every pack once at startup. A broken pack is left out and
listed as unavailable with its problems; the other packs keep working.
"""

from __future__ import annotations

from pathlib import Path

import structlog

from service.packs.loader import INSTALLED, PackError, discover
from service.packs.loader import load_pack as _load_pack
from service.packs.model import Pack
from service.packs.plugins import PackPlugin, installed
from service.settings import Settings

log = structlog.get_logger(__name__)


class PackRegistry:
    def __init__(
        self, packs: dict[str, Pack], unavailable: dict[str, list[str]] | None = None
    ) -> None:
        self._packs = packs
        # Broken packs by name, with their problems: reported by /api/packs and /healthz.
        self.unavailable = unavailable or {}

    @classmethod
    def load(
        cls, templates_dir: Path, schemas_dir: Path, plugins: dict[str, PackPlugin] | None = None
    ) -> PackRegistry:
        """Every pack found under the two folders, with its plugin (by default, the installed
        ones); a broken one is left out and listed as unavailable, never fatal."""
        plugins = installed() if plugins is None else plugins
        packs: dict[str, Pack] = {}
        unavailable: dict[str, list[str]] = {}
        for name in discover(templates_dir, schemas_dir):
            try:
                packs[name] = load_checked_pack(name, templates_dir, schemas_dir, plugins.get(name))
            except PackError as exc:
                unavailable[name] = exc.problems
                log.error("packs.unavailable", pack=name, problems=exc.problems)
        return cls(packs, unavailable)

    def get(self, name: str) -> Pack | None:
        return self._packs.get(name)

    def __iter__(self):
        return iter(self._packs.values())

    def __len__(self) -> int:
        return len(self._packs)


def load_pack(name: str, settings: Settings | None = None) -> Pack:
    """One pack by name, from the configured folders. Raises PackError if missing or broken."""
    settings = settings or Settings.from_env()
    if name not in discover(settings.templates_dir, settings.schemas_dir):
        raise PackError(name, [f"no pack named {name!r} under {settings.schemas_dir}"])
    return load_checked_pack(name, settings.templates_dir, settings.schemas_dir)


def load_checked_pack(
    name: str, templates_dir: Path, schemas_dir: Path, plugin: PackPlugin | None = INSTALLED
) -> Pack:
    """The pack, loaded and its templates checked. Raises PackError with every problem.

    The loader itself runs the Word-level check (``service.packs.check``) on each template,
    with that document's own names, so nothing is checked a second time here."""
    return _load_pack(name, templates_dir, schemas_dir, plugin)


__all__ = ["Pack", "PackError", "PackRegistry", "load_checked_pack", "load_pack"]

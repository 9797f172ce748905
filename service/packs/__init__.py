"""Template packs: a kind of document set as data (templates, answers schema, interview).

``PackRegistry`` loads every pack once at startup and refuses to start on a broken one.
"""

from __future__ import annotations

from pathlib import Path

from service.packs.loader import PackError, discover, load_pack as _load_pack
from service.packs.model import Pack
from service.packs.plugins import PackPlugin, installed
from service.settings import Settings


class PackRegistry:
    def __init__(self, packs: dict[str, Pack]) -> None:
        self._packs = packs

    @classmethod
    def load(
        cls, templates_dir: Path, schemas_dir: Path, plugins: dict[str, PackPlugin] | None = None
    ) -> PackRegistry:
        """Every pack found under the two folders, with its plugin (by default, the installed
        ones). Raises PackError for the first broken one."""
        plugins = installed() if plugins is None else plugins
        names = discover(templates_dir, schemas_dir)
        return cls(
            {name: _load_pack(name, templates_dir, schemas_dir, plugins.get(name)) for name in names}
        )

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
    return _load_pack(name, settings.templates_dir, settings.schemas_dir)


__all__ = ["Pack", "PackError", "PackRegistry", "load_pack"]

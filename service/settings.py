"""Settings: one object, read from the environment once at startup."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'filing-assembler.db'}"


@dataclass(frozen=True, slots=True)
class Settings:
    # SQLAlchemy async URL: sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST:PORT/DB
    database_url: str = field(default_factory=_default_database_url)
    templates_dir: Path = PROJECT_ROOT / "templates"
    schemas_dir: Path = PROJECT_ROOT / "schemas"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    # "json", "console", or "auto": JSON lines unless stderr is a terminal.
    log_format: str = "auto"
    debug: bool = False
    # Largest request body accepted, in bytes.
    max_body_bytes: int = 2 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment variables of ENVIRONMENT; absent ones keep defaults.

        Raises ValueError naming the variable when a number or flag does not parse.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, variable in ENVIRONMENT.items():
            if variable not in env:
                continue
            raw = env[variable]
            kind = cls.__dataclass_fields__[name].type
            try:
                if kind == "int":
                    values[name] = int(raw)
                elif kind == "bool":
                    values[name] = raw.strip().lower() in ("1", "true", "yes", "on")
                elif kind == "Path":
                    values[name] = Path(raw)
                else:
                    values[name] = raw
            except ValueError:
                raise ValueError(f"{variable} must be a whole number, got {raw!r}") from None
        if "log_level" in values:
            values["log_level"] = str(values["log_level"]).upper()
        return cls(**values)  # type: ignore[arg-type]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or ":memory:" in self.database_url:
            return None
        return Path(self.database_url.split("///", 1)[1])


# Each setting and the environment variable it is read from (compose.yaml uses these names).
ENVIRONMENT: dict[str, str] = {
    "database_url": "DATABASE_URL",
    "templates_dir": "TEMPLATES_DIR",
    "schemas_dir": "SCHEMAS_DIR",
    "host": "HOST",
    "port": "PORT",
    "log_level": "LOG_LEVEL",
    "log_format": "LOG_FORMAT",
    "debug": "DEBUG",
    "max_body_bytes": "MAX_BODY_BYTES",
}

"""Settings: one object, read from the environment once at startup."""

from __future__ import annotations

import os
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
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL", defaults.database_url),
            templates_dir=Path(env.get("TEMPLATES_DIR", defaults.templates_dir)),
            schemas_dir=Path(env.get("SCHEMAS_DIR", defaults.schemas_dir)),
            host=env.get("HOST", defaults.host),
            port=int(env.get("PORT", defaults.port)),
            log_level=env.get("LOG_LEVEL", defaults.log_level).upper(),
            log_format=env.get("LOG_FORMAT", defaults.log_format),
            debug=env.get("DEBUG", "").lower() in ("1", "true", "yes"),
            max_body_bytes=int(env.get("MAX_BODY_BYTES", defaults.max_body_bytes)),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or ":memory:" in self.database_url:
            return None
        return Path(self.database_url.split("///", 1)[1])

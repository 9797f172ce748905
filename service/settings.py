"""Settings: one object, read from the environment once at startup."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'filing-assembler.db'}"


def _default_unoserver_command() -> str:
    local = PROJECT_ROOT / ".venv-uno" / "bin" / "unoserver"
    return str(local) if local.is_file() else "unoserver"


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
    # Name of the header the firm's reverse proxy sets to the signed-in person ("X-Remote-User").
    # Empty: off, and the web form has its own sign-in. Set it only when the app is reachable
    # through that proxy alone, and the proxy overwrites the header on every request.
    auth_proxy_header: str = ""
    # How long a sign-in to the web form lasts.
    sign_in_hours: int = 12
    # How long an Idempotency-Key is remembered.
    idempotency_hours: int = 24
    # Webhook deliveries: time allowed per attempt, attempts before giving up, and the first
    # wait between attempts (doubled after each failure).
    webhook_timeout_seconds: int = 10
    webhook_max_attempts: int = 10
    webhook_backoff_ms: int = 10_000

    # Signs the web forms' CSRF tokens; empty: a secret kept in a file beside the SQLite data.
    csrf_secret: str = field(default="", repr=False)
    # An imported letter is read in a process of its own with this much time and memory.
    import_seconds: int = 20
    import_memory_mb: int = 768
    # Hosts and networks of the firm's own that webhooks may reach although they are internal
    # ("portal.firm.internal, 10.20.0.0/16"); everything else must be a public address.
    webhook_allowed_hosts: str = ""
    # Generated batches of documents a session keeps; older ones are removed (the answer log stays).
    document_batches_kept: int = 5
    # Imports and generations a key (or a signed-in person) may start per minute; 0: no limit.
    costly_requests_per_minute: int = 30
    # Where those counts are kept: "" for a folder shared by the processes of one machine, or a
    # redis:// URL shared by every machine (several servers over one PostgreSQL).
    rate_limit_store: str = ""

    # Server processes `serve` starts; 0: one per core.
    workers: int = 0
    # PostgreSQL connections each server process keeps open (and never more: no connection is
    # opened and closed again under load, as overflow connections were).
    database_pool_size: int = 20

    # PDF conversion: "embedded" (a unoserver this process starts on first use), the URL of
    # a shared one ("http://converter:2003"), or "off" (.docx only, the page count unchecked).
    pdf_converter: str = "embedded"
    # The unoserver program the embedded converter runs (`make` installs it in .venv-uno).
    unoserver_command: str = field(default_factory=_default_unoserver_command)
    # Time allowed per document, and documents converted at once by this process.
    pdf_timeout_seconds: int = 60
    pdf_concurrency: int = 2
    # Processes that render documents for this server process: "auto" (one per core), a
    # number, or "off" (a worker thread of the server process, as the tests do).
    render_processes: str = "auto"

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
        store = str(values.get("rate_limit_store", ""))
        if store and not store.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"RATE_LIMIT_STORE must be empty or a redis:// URL, got {store!r}")
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
    "auth_proxy_header": "AUTH_PROXY_HEADER",
    "sign_in_hours": "SIGN_IN_HOURS",
    "idempotency_hours": "IDEMPOTENCY_HOURS",
    "webhook_timeout_seconds": "WEBHOOK_TIMEOUT_SECONDS",
    "webhook_max_attempts": "WEBHOOK_MAX_ATTEMPTS",
    "webhook_backoff_ms": "WEBHOOK_BACKOFF_MS",
    "csrf_secret": "CSRF_SECRET",
    "import_seconds": "IMPORT_SECONDS",
    "import_memory_mb": "IMPORT_MEMORY_MB",
    "webhook_allowed_hosts": "WEBHOOK_ALLOWED_HOSTS",
    "document_batches_kept": "DOCUMENT_BATCHES_KEPT",
    "costly_requests_per_minute": "RATE_LIMIT_PER_MINUTE",
    "rate_limit_store": "RATE_LIMIT_STORE",
    "workers": "WORKERS",
    "pdf_converter": "PDF_CONVERTER",
    "unoserver_command": "UNOSERVER_COMMAND",
    "pdf_timeout_seconds": "PDF_TIMEOUT_SECONDS",
    "pdf_concurrency": "PDF_CONCURRENCY",
    "render_processes": "RENDER_PROCESSES",
    "database_pool_size": "DATABASE_POOL_SIZE",
}

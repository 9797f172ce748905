"""CSRF protection of the web forms (Litestar's double-submit cookie, signed with a secret).

The JSON API under /api is left out: portals call it with Bearer keys, not with a browser's
cookies. The secret must outlive a restart, or every page open in a browser would fail to
save after one; it is read from CSRF_SECRET, else kept in a file beside the data.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import structlog
from litestar.config.csrf import CSRFConfig

from service.settings import PROJECT_ROOT, Settings

log = structlog.get_logger(__name__)

SECRET_VARIABLE = "CSRF_SECRET"
CSRF_COOKIE = "filing_assembler_csrf"


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=csrf_secret(settings),
        cookie_name=CSRF_COOKIE,
        cookie_httponly=True,
        cookie_samesite="strict",
        exclude=["^/api(/|$)"],
    )


def csrf_secret(settings: Settings) -> str:
    """CSRF_SECRET (``settings.csrf_secret``) if set, else the secret kept in ``csrf-secret`` beside the SQLite file (or
    under var/), made on first use. Falls back to a secret for this process alone, with a
    warning, when that file can be neither read nor written."""
    if settings.csrf_secret:
        return settings.csrf_secret
    database = settings.sqlite_path()
    path = (database.parent if database else PROJECT_ROOT / "var") / "csrf-secret"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _kept_secret(path)
    except OSError as exc:
        log.warning("csrf.secret.unsaved", reason=type(exc).__name__, hint=f"set {SECRET_VARIABLE}")
        return secrets.token_hex(32)


def _kept_secret(path: Path) -> str:
    # O_EXCL: of two processes starting at once, one writes the secret and both use it.
    for _ in range(50):
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            kept = path.read_text(encoding="ascii").strip()
            if len(kept) >= 32:
                return kept
            time.sleep(0.01)  # the other process is still writing it
            continue
        secret = secrets.token_hex(32)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secret)
        return secret
    raise OSError(f"{path} holds no usable secret")

"""structlog set up once: JSON lines when not on a terminal, dotted event names, ids as fields.

Answers a user typed are never logged; log the session id and the path of what changed.
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str = "INFO", log_format: str = "auto") -> None:
    as_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Route the standard library's records (uvicorn, alembic, sqlalchemy) through structlog.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer, foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def cache_loggers() -> None:
    """Each logger keeps what it was made with from its first call on. Uncached, every call
    (``log.info`` of each request, even one the level filters out) binds a new logger:
    ~15 µs a call under load against ~5. For a server process only, once logging is set up
    for good: a cached logger no longer follows ``structlog.configure``, which the tests' log
    captures rely on."""
    structlog.configure(cache_logger_on_first_use=True)

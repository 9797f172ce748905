"""The web pages of the interview: the same engine and checks as the API, as HTML forms that
work without JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from litestar.connection import ASGIConnection
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from service.auth.identity import IDENTITY_SCOPE_KEY, Identity
from service.web.controllers import InterviewPages
from service.web.csrf import csrf_config
from service.web.preview import PreviewPages

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def route_handlers() -> list[ControllerRouterHandler]:
    return [
        InterviewPages,
        PreviewPages,
        create_static_files_router(
            path="/static", directories=[STATIC], name="web.static", include_in_schema=False
        ),
    ]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_configure
    )


def _configure(engine: JinjaTemplateEngine) -> None:
    environment = engine.engine
    environment.trim_blocks = True
    environment.lstrip_blocks = True
    environment.filters.update(when=when, filesize=filesize, with_article=with_article)
    environment.globals.update(caller_of=caller_of)


def caller_of(request: ASGIConnection | None) -> Identity | None:
    """Who the page is for, for the header (an error page of an open route has nobody)."""
    if request is None:
        return None
    return request.scope.get(IDENTITY_SCOPE_KEY)  # type: ignore[return-value]


def when(moment: dt.datetime | None) -> str:
    """``24 Apr 2024, 15:03 UTC``."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def with_article(noun: str) -> str:
    """``attorney`` → ``an attorney``; ``PDF copy`` → ``a PDF copy``."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


__all__ = ["csrf_config", "route_handlers", "template_config"]

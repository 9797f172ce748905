"""Document rendering: Word templates (docxtpl) filled with a context, checked at startup.

The names below are imported from ``docx_template`` on first use: importing a module of this
package (the server imports ``pool`` and ``packet``, and renders in other processes) does not
import docxtpl, python-docx, lxml or Jinja's compiled templates.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from service.rendering.errors import RenderError, TemplateCheckError

if TYPE_CHECKING:
    from service.rendering.docx_template import (
        DocxTemplateFile,
        check_template,
        clean_text,
        template_variables,
    )

_FROM_DOCX_TEMPLATE = {"DocxTemplateFile", "check_template", "clean_text", "template_variables"}


def __getattr__(name: str) -> Any:
    if name in _FROM_DOCX_TEMPLATE:
        return getattr(importlib.import_module("service.rendering.docx_template"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DocxTemplateFile",
    "RenderError",
    "TemplateCheckError",
    "check_template",
    "clean_text",
    "template_variables",
]

"""Document rendering: Word templates (docxtpl) filled with a context, checked at startup."""

from service.rendering.docx_template import (
    DocxTemplateFile,
    RenderError,
    TemplateCheckError,
    check_template,
    clean_text,
    template_variables,
)

__all__ = [
    "DocxTemplateFile",
    "RenderError",
    "TemplateCheckError",
    "check_template",
    "clean_text",
    "template_variables",
]

"""The rendering exceptions, apart from docxtpl and Jinja: the server catches them (a render
in a pool process raises them there and they arrive here pickled) without importing what renders."""

from __future__ import annotations

from pathlib import Path


class TemplateCheckError(Exception):
    """A template whose Jinja does not parse; says which file, which part and where."""

    def __init__(self, file: Path | str, place: str, message: str) -> None:
        self.file = str(file)
        self.place = place
        self.message = message
        super().__init__(f"{self.file}: {place}: {message}")


class RenderError(Exception):
    """Rendering a template failed (an undefined name, a sandbox refusal, ...)."""

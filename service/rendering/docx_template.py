"""Filling a Word template (docxtpl's language) with a context, safely and fast.

A ``DocxTemplateFile`` reads its .docx once and compiles it on its first render
(``compiled.CompiledDocx``): renders share only immutable parts and compiled Jinja, so they may
run in parallel threads. docxtpl's clean-up of the XML (``patch_xml``) and Jinja's compilation
of each source happen once per process (the caches below).

User text is data, never template code: the environment escapes every value for XML
(autoescape), so "<", "&", "{{ 7*7 }}" and "{% for %}" print as typed, and characters that
XML 1.0 cannot hold (NUL and the other C0 controls) are removed from every value printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, TemplateSyntaxError, Undefined, meta
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from service.rendering.compiled import (
    FOOTNOTES_CONTENT_TYPE,
    RENDERED_PROPERTIES,
    CompiledDocx,
    as_rendered,
)
from service.rendering.errors import RenderError, TemplateCheckError
from service.rendering.filters import FILTERS, TESTS

# C0 controls other than tab, line feed and carriage return, lone surrogates and the two
# non-characters: XML 1.0 has no way to write them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text made fit for XML: controls removed, CR LF and CR made LF.

    A vertical tab (Word's own soft line break, when text is pasted from it) becomes a line
    break; the other characters XML cannot hold are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_XML.sub("", text)


def _printable(value: Any) -> Any:
    """Jinja's ``finalize``: every value a template prints passes here before it is escaped."""
    if isinstance(value, Markup):
        return Markup(clean_text(value))
    if isinstance(value, str):
        return clean_text(value)
    return value


class _Environment(SandboxedEnvironment):
    """Autoescaping sandbox whose ``from_string`` compiles each distinct source once."""

    def __init__(self, undefined: type[Undefined] = Undefined) -> None:
        super().__init__(autoescape=True, finalize=_printable, undefined=undefined)
        self.filters.update(FILTERS)
        self.tests.update(TESTS)
        self._compile_once = functools.lru_cache(maxsize=512)(self._from_string_uncached)

    def _from_string_uncached(self, source: str) -> Any:
        return super().from_string(source)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        if isinstance(source, str) and globals is None and template_class is None:
            return self._compile_once(source)
        return super().from_string(source, globals, template_class)


ENVIRONMENT = _Environment()
# For a draft of an unfinished interview: a missing answer, and anything read through it
# (``owner.address.city``), prints blank instead of failing the render.
DRAFT_ENVIRONMENT = _Environment(undefined=ChainableUndefined)


@functools.lru_cache(maxsize=256)
def _patched(src_xml: str) -> str:
    # docxtpl's patch_xml is a pure function of the string; it reads nothing of the template.
    return DocxTemplate.patch_xml(None, src_xml)  # type: ignore[arg-type]


class _Template(DocxTemplate):
    """docxtpl's template with its XML clean-up memoised; used to take a template apart."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


class DocxTemplateFile:
    """One .docx template, read once, compiled on its first render (see ``compiled``), then
    rendered any number of times from any thread."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._docx = self.path.read_bytes()

    @functools.cached_property
    def variables(self) -> frozenset[str]:
        """The names the template reads from its context."""
        return frozenset(template_variables(self.path))

    @functools.cached_property
    def compiled(self) -> CompiledDocx:
        return CompiledDocx(_Template(io.BytesIO(self._docx)))

    def render(
        self,
        context: Mapping[str, Any],
        generated_at: dt.datetime | None = None,
        draft: bool = False,
    ) -> bytes:
        """A new .docx filled with ``context``. Raises RenderError naming the template.

        The document says it was created and last modified at ``generated_at`` (now, by
        default), and its numbers never break across lines (see ``nonbreaking``). A ``draft``
        prints what the context lacks as blanks.
        """
        when = generated_at or dt.datetime.now(dt.UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        try:
            return self.compiled.render(context, DRAFT_ENVIRONMENT if draft else ENVIRONMENT, when)
        except Exception as exc:  # Jinja's errors, and Python's from inside template code
            raise RenderError(f"{self.path.name}: {type(exc).__name__}: {exc}") from exc


# --- checks at startup ---------------------------------------------------------------------


def template_variables(path: Path | str) -> set[str]:
    """Names a template reads from its context, over body, headers, footers and footnotes.

    Raises TemplateCheckError when the file is not a Word document or its Jinja does not parse.
    """
    names: set[str] = set()
    for place, source in _sources(path):
        try:
            names |= meta.find_undeclared_variables(ENVIRONMENT.parse(source))
        except TemplateSyntaxError as exc:
            raise _check_error(path, place, source, exc) from None
    return names


def check_template(path: Path | str) -> None:
    """Compile every Jinja source of the template, as rendering will (this warms the cache).

    Raises TemplateCheckError with the file, the part and the paragraph (or line) at fault.
    """
    for place, source in _sources(path):
        try:
            ENVIRONMENT.from_string(source)
        except TemplateSyntaxError as exc:
            raise _check_error(path, place, source, exc) from None


def _sources(path: Path | str) -> Iterator[tuple[str, str]]:
    """Each Jinja source docxtpl renders, exactly as it hands it to the environment (and as
    ``CompiledDocx`` compiles it: the same cache entry, and line numbers that say where)."""
    try:
        template = _Template(io.BytesIO(Path(path).read_bytes()))
        docx = template.get_docx()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateCheckError(
            path, "the file", f"is not a readable Word document ({exc})"
        ) from None
    yield "word/document.xml", as_rendered(template.patch_xml(template.get_xml()))
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            yield (
                str(part.partname).lstrip("/"),
                as_rendered(template.patch_xml(template.get_part_xml(part))),
            )
    for part in _footnote_parts(docx):
        yield str(part.partname).lstrip("/"), as_rendered(template.patch_xml(_decoded(part.blob)))
    for name in RENDERED_PROPERTIES:
        yield f"docProps/core.xml ({name})", getattr(docx.core_properties, name) or ""


def _check_error(
    path: Path | str, place: str, source: str, exc: TemplateSyntaxError
) -> TemplateCheckError:
    lines = source.splitlines()
    lineno = exc.lineno or 0
    if 1 <= lineno <= len(lines):
        text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
        if text:
            shown = text if len(text) <= 160 else text[:157] + "..."
            return TemplateCheckError(
                path, f"{place}, paragraph “{shown}”", exc.message or str(exc)
            )
    return TemplateCheckError(path, f"{place}, line {lineno}", exc.message or str(exc))


def _footnote_parts(docx: Any) -> list[Any]:
    return [
        part
        for part in docx.part.package.iter_parts()
        if part.content_type == FOOTNOTES_CONTENT_TYPE
    ]


def _decoded(blob: bytes | str) -> str:
    return blob.decode("utf-8") if isinstance(blob, bytes) else blob

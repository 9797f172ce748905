"""A Word template taken apart once, so that a render is its Jinja and little else.

docxtpl opens the package with python-docx, renders the body, headers, footers, footnotes and
core properties, and python-docx writes every part again; done per document, opening and
saving cost more than the Jinja. Here docxtpl and python-docx run once, when the template is
compiled: python-docx's own save of the untouched template gives every part that a render
does not change, kept as its deflated bytes; docxtpl's clean-up of each rendered part gives
the Jinja source, compiled once per environment. A render then runs those sources, does to
their output what docxtpl, python-docx and this service did after them (below, in order),
and writes a zip of the parts.

What a render does after Jinja, as the pipeline it replaces did (``tests/rendering/
test_compiled.py`` compares both, part by part, as canonical XML):

- docxtpl's text post-processing of each part (``render_xml_part``: its escapes of braces,
  and tabs, new lines and page breaks in text made Word's own elements);
- the body: docxtpl's ``fix_tables`` (parsing with recovery) and its renumbering of drawing
  ids, then placed in the document part as python-docx had parsed it;
- headers and footers parsed as python-docx parses a part (blank text dropped);
- footnotes whose reference a condition removed are dropped;
- numbers held together in every printed part (``nonbreaking``);
- the core properties rendered as plain text through python-docx's own element, created and
  modified at the generation time, revision 1.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree
from markupsafe import Markup

from service.rendering.nonbreaking import (
    PRINTED_PART,
    hold_numbers_in_part,
    hold_numbers_in_tree,
)
from service.rendering.zip_parts import Member, deflated, members, write_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_FOOTNOTE, _FOOTNOTE_REFERENCE = f"{_W}footnote", f"{_W}footnoteReference"
_W_ID, _W_TYPE = f"{_W}id", f"{_W}type"
_REVISION = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}revision"
FOOTNOTES_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
# The core properties docxtpl renders as Jinja (its own list).
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")

# As python-docx parses a part it loads (its oxml_parser, without its element classes).
_PART_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_STRICT_PARSER = etree.XMLParser(resolve_entities=False)
# Text that docxtpl's resolve_listing would change: a tab, bell, new line or form feed inside a
# <w:t> before its </w:t>. Without one, resolve_listing gives back what it was given.
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<\t\a\n\f]*(?:<(?!/w:t>)[^<\t\a\n\f]*)*[\t\a\n\f]")


def as_rendered(xml: str) -> str:
    """The source docxtpl compiles for a part: each paragraph on a line of its own."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def after_jinja(xml: str) -> str:
    """What docxtpl's ``render_xml_part`` does to a part's Jinja output."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if _LISTING_TEXT.search(xml) is None:
        return xml
    # resolve_listing works paragraph by paragraph (this very pattern); only the paragraphs
    # holding such text go through it, and the template's own ("Re:<tab>") once per process.
    return _PARAGRAPH.sub(_resolved_paragraph, xml)


# docxtpl's r"<w:p(?: [^>]*)?>.*?</w:p>" (DOTALL), written to skip text between tags in one step.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>[^<]*(?:<(?!/w:p>)[^<]*)*</w:p>")


def _resolved_paragraph(match: re.Match[str]) -> str:
    paragraph = match.group(0)
    if _LISTING_TEXT.search(paragraph) is None:
        return paragraph
    return _resolve_listing(paragraph)


@functools.lru_cache(maxsize=1024)
def _resolve_listing(paragraph: str) -> str:
    return DocxTemplate.resolve_listing(None, paragraph)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _Source:
    """One part docxtpl renders: its name and its Jinja source."""

    name: str
    source: str
    kind: str  # "body", "header", "footnotes"
    encoding: str = "utf-8"


class CompiledDocx:
    """One .docx template, compiled once and rendered any number of times, from any thread.

    Built from docxtpl's ``DocxTemplate`` of the file (``template``), which it reads and
    does not change.
    """

    def __init__(self, template: DocxTemplate) -> None:
        docx = template.get_docx()
        package = docx.part.package
        # python-docx makes a core properties part when the template has none; a render
        # writes into it, so it is made here, before the parts are taken.
        properties = docx.core_properties
        self._core_name = str(package._core_properties_part.partname).lstrip("/")
        self._core_xml = serialize_part_xml(properties._element)

        sources = [_Source("word/document.xml", template.patch_xml(template.get_xml()), "body")]
        for uri in (template.HEADER_URI, template.FOOTER_URI):
            for _, part in template.get_headers_footers(uri):
                xml = template.get_part_xml(part)
                sources.append(
                    _Source(
                        str(part.partname).lstrip("/"),
                        template.patch_xml(xml),
                        "header",
                        template.get_headers_footers_encoding(xml),
                    )
                )
        for part in package.iter_parts():
            if part.content_type == FOOTNOTES_CONTENT_TYPE:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                sources.append(
                    _Source(str(part.partname).lstrip("/"), template.patch_xml(blob), "footnotes")
                )
        self.sources: tuple[_Source, ...] = tuple(
            _Source(s.name, as_rendered(s.source), s.kind, s.encoding) for s in sources
        )

        # The document part around the body, as python-docx parsed it; each render puts its
        # body into a copy.
        self._document = copy.deepcopy(docx.element)
        for child in self._document.findall(f"{_W}body"):
            child.clear()

        saved = io.BytesIO()
        docx.save(saved)
        rendered = {s.name for s in self.sources} | {self._core_name}
        self._parts: list[Member | str] = []
        for member in members(saved.getvalue()):
            if member.name in rendered:
                self._parts.append(member.name)
            elif PRINTED_PART.match(member.name):
                # A printed part no Jinja touches (endnotes, say): its numbers are held once.
                content = _inflated(saved.getvalue(), member.name)
                held = hold_numbers_in_part(content)
                self._parts.append(member if held == content else deflated(member.name, held))
            else:
                self._parts.append(member)
        self._core_sources = {name: getattr(properties, name) or "" for name in RENDERED_PROPERTIES}
        self._compiled: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def compile(self, environment: Environment) -> tuple[dict[str, Any], dict[str, Any]]:
        """The parts' and the properties' compiled Jinja in ``environment`` (made once)."""
        compiled = self._compiled.get(id(environment))
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(id(environment))
                if compiled is None:
                    compiled = (
                        {s.name: environment.from_string(s.source) for s in self.sources},
                        {
                            # Text with no Jinja in it renders as itself.
                            name: source
                            if "{" not in source and not source.endswith("\n")
                            else environment.from_string(source)
                            for name, source in self._core_sources.items()
                        },
                    )
                    self._compiled[id(environment)] = compiled
        return compiled

    def render(
        self, context: Mapping[str, Any], environment: Environment, generated_at: dt.datetime
    ) -> bytes:
        """The document for ``context``; Jinja's errors (and Python's from template code)
        propagate, as do a header that is no longer XML and a property over 255 characters."""
        parts, properties = self.compile(environment)
        context = dict(context)
        rendered: dict[str, bytes] = {}
        # The body comes first: the footnotes kept are the ones it still refers to.
        referenced: set[str | None] = set()
        for source in self.sources:
            xml = after_jinja(parts[source.name].render(context))
            if source.kind == "body":
                root = self._document_with_body(xml)
                referenced = {ref.get(_W_ID) for ref in root.iter(_FOOTNOTE_REFERENCE)}
            elif source.kind == "header":
                root = etree.fromstring(xml.encode(source.encoding), _PART_PARSER)
            else:
                root = etree.fromstring(xml.encode("utf-8"), _STRICT_PARSER)
                for note in root.findall(_FOOTNOTE):
                    if note.get(_W_TYPE) is None and note.get(_W_ID) not in referenced:
                        root.remove(note)
            if PRINTED_PART.match(source.name):
                hold_numbers_in_tree(root)
            rendered[source.name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        rendered[self._core_name] = self._core(properties, context, generated_at)
        return write_zip(
            [
                deflated(part, rendered[part]) if isinstance(part, str) else part
                for part in self._parts
            ],
            generated_at.astimezone(dt.UTC),
        )

    def _document_with_body(self, xml: str) -> etree._Element:
        # docxtpl parses the rendered body with recovery, fixes its tables and numbers its
        # drawings from 1001, then python-docx puts it in place of the template's body.
        body = DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]
        for number, drawing in enumerate(body.iter(_WP_DOC_PR), start=1001):
            drawing.attrib["id"] = str(number)
        document = copy.deepcopy(self._document)
        document.replace(document.find(f"{_W}body"), body)
        return document

    def _core(
        self, properties: dict[str, Any], context: dict[str, Any], generated_at: dt.datetime
    ) -> bytes:
        values = tuple(
            value if isinstance(value, str) else value.render(context)
            for value in properties.values()
        )
        stamp = generated_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        return _CORE_DATES.sub(
            lambda m: m.group(1) + stamp + m.group(2), _core_xml(self._core_xml, values)
        )


# python-docx writes a core part in a few milliseconds; the properties of a template's
# documents rarely differ, so its part is made once per set of values, dated with a stand-in
# that each render replaces with its own time.
_STAND_IN = dt.datetime(1980, 1, 1)
_CORE_DATES = re.compile(rb"(<[\w.-]+:(?:created|modified)\b[^>]*>)1980-01-01T00:00:00Z(</)")


@functools.lru_cache(maxsize=256)
def _core_xml(template_core: bytes, values: tuple[str, ...]) -> bytes:
    core = CoreProperties(parse_xml(template_core))
    for name, value in zip(RENDERED_PROPERTIES, values, strict=True):
        # The environment escapes for XML, and python-docx escapes a property's text itself:
        # set as rendered (which checks its length), then as the text it stands for.
        setattr(core, name, value)
        setattr(core, name, Markup(getattr(core, name) or "").unescape())
    core.created = core.modified = _STAND_IN
    # Not ``core.revision = 1``: docxcompose (which docxtpl imports) rebinds python-docx's "cp"
    # prefix to another namespace, and the setter would add a second, foreign element.
    revision = core._element.find(_REVISION)
    if revision is None:
        revision = etree.SubElement(core._element, _REVISION)
    revision.text = "1"
    return serialize_part_xml(core._element)


def _inflated(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(name)

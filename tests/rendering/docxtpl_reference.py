"""The renderer as it was before templates were compiled into parts: docxtpl opening, rendering
and python-docx saving each document, then its numbers held together in a second pass.

Kept only as the reference ``test_compiled`` compares the product's output with, part by part.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree
from markupsafe import Markup

from service.rendering.compiled import FOOTNOTES_CONTENT_TYPE, RENDERED_PROPERTIES
from service.rendering.docx_template import DRAFT_ENVIRONMENT, ENVIRONMENT, _Template
from service.rendering.nonbreaking import PRINTED_PART, hold_numbers_in_part

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REVISION = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}revision"


class _ReferenceTemplate(_Template):
    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        super().render_properties(context, jinja_env)
        properties = self.docx.core_properties
        for name in RENDERED_PROPERTIES:
            setattr(properties, name, Markup(getattr(properties, name) or "").unescape())

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        referenced = {
            ref.get(f"{_W}id") for ref in self.docx.element.body.iter(f"{_W}footnoteReference")
        }
        for part in self.docx.part.package.iter_parts():
            if part.content_type != FOOTNOTES_CONTENT_TYPE:
                continue
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            xml = self.patch_xml(blob)
            notes = etree.fromstring(
                self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")
            )
            for note in notes.findall(f"{_W}footnote"):
                if note.get(f"{_W}type") is None and note.get(f"{_W}id") not in referenced:
                    notes.remove(note)
            part._blob = etree.tostring(
                notes, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def render(
    path: Path, context: Mapping[str, Any], generated_at: dt.datetime, draft: bool = False
) -> bytes:
    template = _ReferenceTemplate(io.BytesIO(path.read_bytes()))
    template.render(dict(context), jinja_env=DRAFT_ENVIRONMENT if draft else ENVIRONMENT)
    properties = template.docx.core_properties
    when = generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    properties.created = properties.modified = when.replace(microsecond=0)
    revision = properties._element.find(_REVISION)
    if revision is None:
        revision = etree.SubElement(properties._element, _REVISION)
    revision.text = "1"
    out = io.BytesIO()
    template.save(out)
    return _hold_numbers(out.getvalue())


def _hold_numbers(docx: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if PRINTED_PART.match(info.filename):
                data = hold_numbers_in_part(data)
            target.writestr(info, data)
    return out.getvalue()


def differing_parts(ours: bytes, reference: bytes) -> list[str]:
    """The parts that differ as canonical XML (as bytes, for parts that are not XML), and the
    parts only one of the two has."""
    a, b = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(reference))
    differ = sorted(set(a.namelist()) ^ set(b.namelist()))
    for name in sorted(set(a.namelist()) & set(b.namelist())):
        left, right = a.read(name), b.read(name)
        if name.endswith((".xml", ".rels")):
            left, right = (
                etree.tostring(etree.fromstring(x), method="c14n") for x in (left, right)
            )
        if left != right:
            differ.append(name)
    return differ

"""The floor the product's renderer is measured against, built here as a reference only.

Each template is compiled once into its zip parts: the parts docxtpl renders (body, headers and
footers, footnotes, core properties) keep only their compiled Jinja; every other part is kept as
its compressed bytes and copied into each output untouched. Rendering a document is then the
Jinja of those parts, docxtpl's own text post-processing, and one zip written by hand. The
output is checked against the product's, part by part, as canonical XML (``same_parts``).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from lxml import etree

from service.rendering.docx_template import ENVIRONMENT, _footnote_parts, _Template
from service.rendering.nonbreaking import PRINTED_PART, hold_numbers_in_part

_CORE = "docProps/core.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# python-docx's name of each core property docxtpl renders, and its element.
_PROPERTIES = {
    "author": "{http://purl.org/dc/elements/1.1/}creator",
    "comments": "{http://purl.org/dc/elements/1.1/}description",
    "identifier": "{http://purl.org/dc/elements/1.1/}identifier",
    "language": "{http://purl.org/dc/elements/1.1/}language",
    "subject": "{http://purl.org/dc/elements/1.1/}subject",
    "title": "{http://purl.org/dc/elements/1.1/}title",
}
_REFERENCE = re.compile(r'<w:footnoteReference [^>]*w:id="(-?\d+)"')
# The generation time the product writes as created and modified, and its revision.
_DCTERMS = "{http://purl.org/dc/terms/}"
_REVISION = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}revision"


class _Member:
    """A zip member copied as it is: its header fields and its compressed bytes."""

    def __init__(self, info: zipfile.ZipInfo, raw: bytes) -> None:
        self.name = info.filename.encode("utf-8")
        self.method, self.crc, self.size, self.raw = (
            info.compress_type,
            info.CRC,
            info.file_size,
            raw,
        )
        self.time, self.date = _dos_time(info.date_time)


def _dos_time(moment: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = moment
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _raw_members(data: bytes) -> dict[str, _Member]:
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + name_length + extra_length
            members[info.filename] = _Member(info, data[start : start + info.compress_size])
    return members


def _deflated(name: str, content: bytes, like: _Member) -> _Member:
    member = copy.copy(like)
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    member.raw = compressor.compress(content) + compressor.flush()
    member.method, member.crc, member.size = zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content)
    return member


def _zip(members: list[_Member]) -> bytes:
    out, central = io.BytesIO(), io.BytesIO()
    for m in members:
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                m.method,
                m.time,
                m.date,
                m.crc,
                len(m.raw),
                m.size,
                len(m.name),
                0,
            )
        )
        out.write(m.name)
        out.write(m.raw)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                m.method,
                m.time,
                m.date,
                m.crc,
                len(m.raw),
                m.size,
                len(m.name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(m.name)
    start = out.tell()
    out.write(central.getvalue())
    out.write(
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(members),
            len(members),
            len(central.getvalue()),
            start,
            0,
        )
    )
    return out.getvalue()


def _post_processed(xml: str) -> str:
    # What docxtpl's render_xml_part does to a part after Jinja.
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]


def _source(template: _Template, xml: str) -> Any:
    return ENVIRONMENT.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml)))


class FloorTemplate:
    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        self.members = _raw_members(data)
        template = _Template(io.BytesIO(data))
        docx = template.get_docx()
        self.body = "word/document.xml"
        # Part name → (compiled Jinja, encoding of the output).
        self.jinja: dict[str, tuple[Any, str]] = {
            self.body: (_source(template, template.get_xml()), "utf-8")
        }
        for uri in (template.HEADER_URI, template.FOOTER_URI):
            for _, part in template.get_headers_footers(uri):
                xml = template.get_part_xml(part)
                self.jinja[str(part.partname).lstrip("/")] = (
                    _source(template, xml),
                    template.get_headers_footers_encoding(xml),
                )
        # docxtpl renders the body element only: the document part around it is kept as text.
        document = self.members_text(data, self.body)
        self.around_body = (
            document[: document.index("<w:body")],
            document[document.index("</w:body>") + len("</w:body>") :],
        )
        self.footnotes = [str(p.partname).lstrip("/") for p in _footnote_parts(docx)]
        for name in self.footnotes:
            blob = self.members_text(data, name)
            self.jinja[name] = (_source(template, blob), "utf-8")
        core = docx.core_properties
        self.core_tree = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(_CORE))
        self.core_jinja = {
            tag: ENVIRONMENT.from_string(getattr(core, prop) or "")
            for prop, tag in _PROPERTIES.items()
        }

    @staticmethod
    def members_text(data: bytes, name: str) -> str:
        return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")

    def render(self, context: dict[str, Any], generated_at: dt.datetime | None = None) -> bytes:
        rendered = {
            name: _post_processed(jinja.render(context)) for name, (jinja, _) in self.jinja.items()
        }
        referenced = set(_REFERENCE.findall(rendered[self.body]))
        rendered[self.body] = self.around_body[0] + rendered[self.body] + self.around_body[1]
        for name in self.footnotes:
            rendered[name] = _without_unreferenced(rendered[name], referenced)
        out = []
        for name, member in self.members.items():
            if name in rendered:
                content = rendered[name].encode(self.jinja[name][1])
                if PRINTED_PART.match(name):
                    # As the product does: numbers held together with Word's own characters.
                    content = hold_numbers_in_part(content)
                out.append(_deflated(name, content, member))
            elif name == _CORE:
                out.append(_deflated(name, self._core(context, generated_at), member))
            else:
                out.append(member)
        return _zip(out)

    def _core(self, context: dict[str, Any], generated_at: dt.datetime | None) -> bytes:
        tree = copy.deepcopy(self.core_tree)
        for tag, jinja in self.core_jinja.items():
            element = tree.find(tag)
            if element is None:
                element = etree.SubElement(tree, tag)
            element.text = jinja.render(context)
        when = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        for name in ("created", "modified"):
            element = tree.find(f"{_DCTERMS}{name}")
            if element is not None:
                element.text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        revision = tree.find(_REVISION)
        if revision is not None:
            revision.text = "1"
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_unreferenced(xml: str, referenced: set[str]) -> str:
    # As the product does: a footnote whose reference a condition removed is dropped.
    notes = etree.fromstring(xml.encode("utf-8"))
    for note in notes.findall(f"{{{_W}}}footnote"):
        if note.get(f"{{{_W}}}type") is None and note.get(f"{{{_W}}}id") not in referenced:
            notes.remove(note)
    return etree.tostring(notes, xml_declaration=True, encoding="UTF-8", standalone=True).decode(
        "utf-8"
    )


def same_parts(ours: bytes, floor: bytes) -> list[str]:
    """The parts that differ as canonical XML (or as bytes, for parts that are not XML)."""
    a, b = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(floor))
    names = sorted(set(a.namelist()) | set(b.namelist()))
    differ = []
    for name in names:
        if name not in a.namelist() or name not in b.namelist():
            differ.append(name)
            continue
        left, right = a.read(name), b.read(name)
        if name.endswith((".xml", ".rels")):
            left, right = (
                etree.tostring(etree.fromstring(x), method="c14n") for x in (left, right)
            )
        if left != right:
            differ.append(name)
    return differ

"""The text of an uploaded letter: bytes in, lines and footnotes out.

The kind of file is decided by its content (a .docx is a zip starting with ``PK``); the
file name is only a hint, used to word the message when the content does not fit it.
Nothing here raises on bad input: a file that cannot be read becomes a ``Source`` with no
lines and a plain reason.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from lxml import etree

# A letter with its certifications is a few hundred kilobytes; anything that unpacks to more
# than this is not a letter, and may be a zip bomb.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
_MB = MAX_UNPACKED_BYTES // (1024 * 1024)
# Plain text of a letter is far smaller still; this only stops absurd uploads early.
MAX_TEXT_BYTES = 5 * 1024 * 1024
# Markup of one part: every element starts with "<", so counting that byte bounds the elements
# lxml would build (3.3 million empty paragraphs fit in 19 MB and cost half a gigabyte).
# A long letter with its certifications has some tens of thousands.
MAX_PART_TAGS = 400_000
# Text read out of the letter; a letter is some tens of thousands of characters.
MAX_TEXT_CHARACTERS = 2_000_000
_READ_CHUNK = 64 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True, slots=True)
class Source:
    """What could be read: the body as lines ("" between paragraphs where the file has an
    empty one), the footnotes in the order they are referenced, and the lines of page
    headers. ``unreadable`` says in plain words why nothing could be read."""

    kind: str  # "docx", "text" or "unknown"
    lines: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    page_header_lines: tuple[str, ...] = ()
    unreadable: str | None = None
    # Read, but not as the file name promised ("named .docx but holds plain text").
    caveat: str | None = None


def read_source(data: bytes, filename: str) -> Source:
    name = (filename or "").lower()
    if not data or not data.strip():
        return Source("unknown", unreadable="the file is empty")
    if len(data) > MAX_UNPACKED_BYTES:
        return Source(
            "unknown", unreadable=f"the file is larger than {_MB} MB, far more than a letter"
        )
    if data.startswith(b"PK"):
        return _read_docx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Source(
            "unknown",
            unreadable=(
                "the file is an old Word (.doc) document or a password-protected one; save it "
                "as .docx without a password and upload it again"
            ),
        )
    if data.startswith(b"%PDF"):
        return Source(
            "unknown", unreadable="the file is a PDF; upload the letter as .docx or plain text"
        )
    if len(data) > MAX_TEXT_BYTES:
        return Source("unknown", unreadable="the file is far larger than the text of a letter")
    text = _decode(data)
    named_docx = name.endswith((".docx", ".docm", ".dotx"))
    not_a_zip = "the file is named .docx but is not a valid .docx (it is not a zip archive)"
    if text is None:
        if named_docx:
            return Source("unknown", unreadable=not_a_zip)
        return Source("unknown", unreadable="the file is neither a .docx nor readable text")
    caveat = f"{not_a_zip}; it was read as plain text" if named_docx else None
    return Source("text", lines=tuple(text.split("\n")), caveat=caveat)


def _decode(data: bytes) -> str | None:
    """Text of the bytes, or None when they do not look like text at all.

    UTF-8 (with or without BOM) first, UTF-16 when it carries a BOM, else Windows-1252, the
    encoding Word and Notepad on Windows have long used for "plain text".
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    elif b"\x00" in data:
        return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        return None
    return text


def _looks_binary(text: str) -> bool:
    controls = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\t\f"
    )
    return controls > max(2, len(text) // 200)


def _read_docx(data: bytes) -> Source:
    unpacked = _unpack(data)
    if isinstance(unpacked, str):
        return Source("docx", unreadable=unpacked)
    try:
        document = Document(io.BytesIO(unpacked))
        lines: list[str] = []
        references: list[str] = []
        for block in document.element.body.iterchildren():
            _block_lines(block, lines, references)
        footnotes = _footnotes(document, references)
        header_lines: list[str] = []
        for section in document.sections:
            for part in (section.first_page_header, section.header):
                if part.is_linked_to_previous:
                    continue
                for item in part.iter_inner_content():
                    if hasattr(item, "rows"):
                        header_lines.extend(cell.text for row in item.rows for cell in row.cells)
                    else:
                        header_lines.extend(item.text.split("\n"))
    # A damaged package can fail in any of these ways inside python-docx, zipfile or lxml.
    except (
        zipfile.BadZipFile,
        zlib.error,
        struct.error,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        NotImplementedError,
        RuntimeError,
        EOFError,
        OSError,
        OpcError,
        etree.LxmlError,
    ):
        return Source(
            "docx", unreadable="the file is not a valid .docx (the Word package is damaged)"
        )
    if sum(map(len, lines)) + sum(map(len, footnotes)) > MAX_TEXT_CHARACTERS:
        return Source("docx", unreadable=_TOO_MUCH_TEXT)
    return Source(
        "docx",
        lines=tuple(lines),
        footnotes=tuple(footnotes),
        page_header_lines=tuple(line for line in header_lines if line.strip()),
    )


_TOO_LARGE = f"the file unpacks to more than {_MB} MB, far more than a letter; it was not opened"
_TOO_MUCH_TEXT = "the file holds far more text than a letter; it was not read"
_TOO_MANY_PARTS = (
    "the file holds far more paragraphs and other parts than a letter; it was not read"
)


class _Oversized(Exception):
    pass


def _unpack(data: bytes) -> bytes | str:
    """The package again, each member inflated through a bounded reader and stored uncompressed,
    or why it cannot be opened.

    The sizes a zip declares are the attacker's to choose, and zipfile inflates a whole
    compressed block at once when asked for everything; reading each member in small pieces
    and counting what really comes out stops at MAX_UNPACKED_BYTES whatever the zip claims.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                return "the file is not a plausible .docx (it holds too many parts)"
            if "word/document.xml" not in {member.filename for member in members}:
                return "the file is a zip archive but not a Word document (it has no word/document.xml)"
            out = io.BytesIO()
            allowance = MAX_UNPACKED_BYTES
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
                for member in members:
                    if member.is_dir():
                        continue
                    content = _inflate(archive, member, allowance)
                    allowance -= len(content)
                    if (
                        member.filename.endswith((".xml", ".rels"))
                        and content.count(b"<") > MAX_PART_TAGS
                    ):
                        return _TOO_MANY_PARTS
                    repacked.writestr(member.filename, content)
    except _Oversized:
        return _TOO_LARGE
    # zipfile refuses a damaged or exotic archive in any of these ways.
    except (
        zipfile.BadZipFile,
        zlib.error,
        struct.error,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        return "the file is not a valid .docx (it starts like a zip archive but cannot be opened)"
    return out.getvalue()


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, allowance: int) -> bytes:
    """The member's bytes, read a piece at a time; raises _Oversized past ``allowance`` bytes.

    zipfile also checks the CRC, so a member that inflates to more than it declares fails.
    """
    content = bytearray()
    with archive.open(member) as stream:
        while chunk := stream.read(_READ_CHUNK):
            content += chunk
            if len(content) > allowance:
                raise _Oversized
    return bytes(content)


def _block_lines(element: etree._Element, lines: list[str], references: list[str]) -> None:
    """Append the lines of a body element: a paragraph, or a table read row by row."""
    tag = etree.QName(element).localname
    if tag == "p":
        boxes: list[str] = []
        text = _paragraph_text(element, references, boxes)
        lines.extend(text.split("\n"))
        lines.extend(boxes)
    elif tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "txbxContent"):
        for child in element.iterchildren():
            _block_lines(child, lines, references)


# Parts of a run that hold no letter text (tracked deletions and moves, field codes), or a second
# copy of it (mc:Fallback repeats a text box for old readers).
_SKIPPED = {"delText", "instrText", "moveFrom", "Fallback", "rPr", "pPr"}


def _paragraph_text(
    paragraph: etree._Element, references: list[str], boxes: list[str] | None = None
) -> str:
    """The paragraph's text, footnote references as superscript numbers in reading order.

    Text boxes anchored in the paragraph are not part of its sentence: their lines go to
    ``boxes`` (or are dropped when ``boxes`` is None).
    """
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node.iterchildren():
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in _SKIPPED:
                continue
            if tag == "txbxContent":
                if boxes is not None:
                    for block in child.iterchildren():
                        _block_lines(block, boxes, references)
                continue
            if etree.QName(child).namespace == _W:
                if tag == "t" and child.text:
                    parts.append(child.text)
                elif tag == "tab":
                    parts.append("\t")
                elif tag in ("br", "cr"):
                    parts.append("\n")
                elif tag == "noBreakHyphen":
                    parts.append("-")
                elif tag == "footnoteReference":
                    references.append(child.get(f"{{{_W}}}id", ""))
                    parts.append(str(len(references)).translate(_SUPERSCRIPT_DIGITS))
            walk(child)

    walk(paragraph)
    return "".join(parts)


def _footnotes(document, references: list[str]) -> list[str]:
    """The footnote texts in the order the body refers to them."""
    part = next(
        (
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == RT.FOOTNOTES and not rel.is_external
        ),
        None,
    )
    if part is None or not references:
        return []
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    by_id: dict[str, str] = {}
    for note in root.iterfind(f"{{{_W}}}footnote"):
        if note.get(f"{{{_W}}}type") not in (None, "normal"):
            continue
        texts = [_paragraph_text(p, []) for p in note.iter(f"{{{_W}}}p")]
        by_id[note.get(f"{{{_W}}}id", "")] = " ".join(t.strip() for t in texts if t.strip())
    return [by_id.get(ref, "") for ref in references]

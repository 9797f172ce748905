"""Hostile uploads, built in memory: a zip that lies about its sizes, a flood of paragraphs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_members() -> dict[str, bytes]:
    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def lying_docx(inflated_bytes: int, declared_bytes: int = 10_000) -> bytes:
    """A .docx whose word/document.xml declares ``declared_bytes`` but inflates to
    ``inflated_bytes`` (a 1 GiB member compresses to about 1 MB)."""
    members = _docx_members()
    head = f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode()
    # Each 1 MiB block of spaces is deflated once: a full flush after it ends the block on a
    # byte and forgets the history, so every block after it deflates to the very same bytes,
    # and the stream is those bytes repeated (deflating the 1 GiB took 5 s of CPU).
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * (1024 * 1024)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressed = start + deflated * (inflated_bytes // len(block)) + compressor.flush()
    crc = zlib.crc32(head + b" " * (declared_bytes - len(head)))

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name != "word/document.xml":
                archive.writestr(name, content)
    entries = out.getvalue()
    # Append the lying member by hand: local header, data, then rebuild the central directory.
    with zipfile.ZipFile(io.BytesIO(entries)) as archive:
        infos = archive.infolist()
        central_start = archive.start_dir
    body = bytearray(entries[:central_start])
    name = b"word/document.xml"
    offset = len(body)
    body += struct.pack(
        "<4s5H3L2H",
        b"PK\x03\x04",
        20,
        0,
        8,
        0,
        0,
        crc,
        len(compressed),
        declared_bytes,
        len(name),
        0,
    )
    body += name + compressed
    directory = bytearray()
    for info in infos:
        directory += _central(
            info.filename.encode(),
            info.compress_type,
            info.CRC,
            info.compress_size,
            info.file_size,
            info.header_offset,
        )
    directory += _central(name, 8, crc, len(compressed), declared_bytes, offset)
    start = len(body)
    body += directory
    body += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(infos) + 1, len(infos) + 1, len(directory), start, 0
    )
    return bytes(body)


def _central(name: bytes, method: int, crc: int, compressed: int, size: int, offset: int) -> bytes:
    return (
        struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0,
            crc,
            compressed,
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + name
    )


def paragraph_flood_docx(paragraphs: int) -> bytes:
    """A .docx of ``paragraphs`` empty paragraphs: tiny compressed, millions of elements parsed."""
    members = _docx_members()
    members["word/document.xml"] = (
        f"<w:document {_W}><w:body>".encode() + b"<w:p/>" * paragraphs + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()

"""Zip members kept compressed, and a zip written from them.

A Word document is a zip of which a render changes a handful of parts; the rest (styles,
fonts, theme, settings, relationships) are the same bytes every time. ``zipfile`` can only
write what it compresses itself, so the members are taken out once as their deflated bytes
with the fields of their headers, and written back with a small writer of the zip format
(APPNOTE 4.3: local headers, central directory, end record; no zip64, as a document part is
far below 4 GiB).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class Member:
    """One zip member as stored: its name, method, CRC, sizes and compressed bytes."""

    name: str
    method: int
    crc: int
    size: int
    raw: bytes


def members(data: bytes) -> list[Member]:
    """The members of the zip ``data``, in order, with their bytes as stored (not inflated)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            # The local header's name and extra field may differ in length from the central
            # directory's; the data starts after the local ones.
            name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + _LOCAL.size + name_length + extra_length
            out.append(
                Member(
                    info.filename,
                    info.compress_type,
                    info.CRC,
                    info.file_size,
                    data[start : start + info.compress_size],
                )
            )
    return out


def deflated(name: str, content: bytes) -> Member:
    """A member holding ``content``, deflated as zipfile does by default (zlib level 6)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(content) + compressor.flush()
    return Member(name, zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content), raw)


def write_zip(parts: list[Member], moment: dt.datetime) -> bytes:
    """A zip of ``parts`` in order, every member dated ``moment`` (so that the same parts at
    the same moment give the same bytes)."""
    time, date = _dos_time(moment)
    out = io.BytesIO()
    central = io.BytesIO()
    for part in parts:
        if part.size > _LIMIT or len(part.raw) > _LIMIT:
            raise ValueError(f"{part.name} is too large for a zip without zip64")
        name = part.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        offset = out.tell()
        out.write(
            _LOCAL.pack(
                0x04034B50,
                _VERSION,
                flags,
                part.method,
                time,
                date,
                part.crc,
                len(part.raw),
                part.size,
                len(name),
                0,
            )  # fmt: skip
        )
        out.write(name)
        out.write(part.raw)
        central.write(
            _CENTRAL.pack(
                0x02014B50,
                _VERSION,
                _VERSION,
                flags,
                part.method,
                time,
                date,
                part.crc,
                len(part.raw),
                part.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
        )
        central.write(name)
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(_END.pack(0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0))
    return out.getvalue()


def _dos_time(moment: dt.datetime) -> tuple[int, int]:
    # Zip dates start in 1980 and count seconds in twos.
    year = min(max(moment.year, 1980), 2107)
    time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
    return time, ((year - 1980) << 9) | (moment.month << 5) | moment.day

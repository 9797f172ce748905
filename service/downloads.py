"""What the API and the web pages both send when a generated document is downloaded."""

from __future__ import annotations

from urllib.parse import quote

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(file_name: str) -> str:
    # RFC 6266: an ASCII fallback plus the exact UTF-8 name.
    ascii_name = file_name.encode("ascii", "ignore").decode().replace('"', "") or "document"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"

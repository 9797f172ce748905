"""The list of interviews: what a row shows, the filters, and the keyset cursor.

A page is found by where the last one ended (``updated_at``, ``id``), not by counting rows
from the top, so the 1,000th page costs what the first does.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from dataclasses import dataclass

from service.interview.engine import Progress


class BadCursor(ValueError):
    """A ``cursor`` this service did not hand out (or that was altered)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page ended: the next page starts after this row, newest change first."""

    updated_at: dt.datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.updated_at.isoformat(), str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises BadCursor when ``text`` is not a cursor of ours."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            stamp, ident = json.loads(raw)
            updated_at = dt.datetime.fromisoformat(stamp)
            if updated_at.tzinfo is None:
                raise ValueError("naive time")
            return cls(updated_at=updated_at, id=uuid.UUID(ident))
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise BadCursor("not a cursor given by this service; use the `next` of a page") from exc


@dataclass(frozen=True, slots=True)
class ListFilter:
    """``owner=None`` lists every owner's sessions (an admin's view)."""

    owner: str | None = None
    status: str | None = None
    pack: str | None = None
    # Matched anywhere in the title, ignoring case.
    title: str | None = None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of the list: stored columns only, never the answers."""

    id: uuid.UUID
    pack: str
    pack_version: str
    title: str
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    progress: Progress
    open_errors: int
    open_warnings: int

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.updated_at, self.id)


@dataclass(frozen=True, slots=True)
class SessionList:
    items: list[SessionSummary]
    # The cursor of the page after this one; None on the last page.
    next: Cursor | None
    # Counted only when asked for.
    total: int | None

"""``SessionOut`` encoded straight from a session's stored columns (``SessionRow``): the answers
go out as the JSON text the database holds, never decoded and encoded again (a 12 KB case took
most of a GET's own time that way). Same fields, same order, same formats as ``SessionOut``."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from service.interview.engine import Progress
from service.storage.point_reads import SessionRow


class _Problem(msgspec.Struct):
    # What ProblemOut shows; the stored "missing" is read past.
    path: str
    message: str
    severity: str
    code: str


class _Progress(msgspec.Struct):
    answered: int
    required: int
    percent: int


class _Session(msgspec.Struct):
    id: uuid.UUID
    pack: str
    pack_version: str
    title: str
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    progress: _Progress
    problems: list[_Problem]
    answers: msgspec.Raw


_problems = msgspec.json.Decoder(list[_Problem] | None)
_encode = msgspec.json.Encoder().encode


def session_json(row: SessionRow) -> bytes:
    progress = Progress(answered=row.progress_answered or 0, required=row.progress_required or 0)
    return _encode(
        _Session(
            id=row.id,
            pack=row.pack,
            pack_version=row.pack_version,
            title=row.title,
            status=row.status,
            revision=row.revision,
            created_at=row.created_at,
            updated_at=row.updated_at,
            progress=_Progress(progress.answered, progress.required, progress.percent),
            problems=_problems.decode(row.problems_json or "null") or [],
            answers=msgspec.Raw(row.answers_json.encode()),
        )
    )

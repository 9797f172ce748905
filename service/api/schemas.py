"""What the JSON API takes and gives. Handlers stay thin; shapes are described here once."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import UploadFile

from service.downloads import is_out_of_date
from service.interview.conversation import AskedQuestion
from service.sessions.listing import SessionSummary
from service.sessions.service import SessionView
from service.storage.models import GeneratedDocument


@dataclass
class CreateSession:
    pack: str
    answers: dict[str, Any] | None = None


@dataclass
class ChatReply:
    text: str


@dataclass
class ProblemOut:
    path: str
    message: str
    severity: str
    code: str


@dataclass
class ProgressOut:
    answered: int
    required: int
    percent: int


@dataclass
class SessionOut:
    id: uuid.UUID
    pack: str
    pack_version: str
    title: str
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    progress: ProgressOut
    problems: list[ProblemOut]
    answers: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, view: SessionView, with_answers: bool = True) -> SessionOut:
        row, progress = view.row, view.progress
        return cls(
            id=row.id,
            pack=row.pack,
            pack_version=row.pack_version,
            title=row.title,
            status=row.status,
            revision=row.revision,
            created_at=row.created_at,
            updated_at=row.updated_at,
            progress=ProgressOut(progress.answered, progress.required, progress.percent),
            problems=[ProblemOut(**p.as_dict()) for p in view.problems],
            answers=row.answers if with_answers else {},
        )


@dataclass
class SessionSummaryOut:
    """A row of the list: no answers and no problems, only how many are open."""

    id: uuid.UUID
    pack: str
    pack_version: str
    title: str
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    progress: ProgressOut
    open_errors: int
    open_warnings: int

    @classmethod
    def of(cls, item: SessionSummary) -> SessionSummaryOut:
        p = item.progress
        return cls(
            id=item.id,
            pack=item.pack,
            pack_version=item.pack_version,
            title=item.title,
            status=item.status,
            revision=item.revision,
            created_at=item.created_at,
            updated_at=item.updated_at,
            progress=ProgressOut(p.answered, p.required, p.percent),
            open_errors=item.open_errors,
            open_warnings=item.open_warnings,
        )


@dataclass
class SessionPage:
    items: list[SessionSummaryOut]
    # Pass as `cursor` for the page after this one; null on the last page.
    next: str | None
    limit: int
    offset: int
    # Counted only with `count=true`.
    total: int | None = None


@dataclass
class ChoiceOut:
    value: Any
    label: str


@dataclass
class QuestionOut:
    id: str
    prompt: str
    type: str
    step: str
    step_title: str
    help: str
    example: str
    required: bool
    choices: list[ChoiceOut]
    default: Any = None
    current: Any = None
    # Asked again because the rules find the answer wrong; generating waits for a new one.
    blocking: bool = False

    @classmethod
    def of(cls, asked: AskedQuestion, with_answer: bool = True) -> QuestionOut:
        data = asked.as_dict()
        if not with_answer:
            # Both may be answers already given; a key without read sees neither.
            data["current"] = data["default"] = None
        data["choices"] = [ChoiceOut(**c) for c in data["choices"]]
        return cls(**data)


@dataclass
class NextOut:
    session_id: uuid.UUID
    revision: int
    complete: bool
    progress: ProgressOut
    question: QuestionOut | None


@dataclass
class ReviewAnswerOut:
    path: str
    label: str
    value: str
    answered: bool


@dataclass
class ReviewStepOut:
    step: str
    title: str
    answers: list[ReviewAnswerOut]


@dataclass
class ReplyOut:
    session_id: uuid.UUID
    revision: int
    saved: bool
    message: str
    problems: list[ProblemOut]
    progress: ProgressOut
    question: QuestionOut | None
    review: list[ReviewStepOut] | None = None


@dataclass
class DocumentOut:
    id: uuid.UUID
    kind: str
    title: str
    file_name: str
    sha256: str
    template_version: str
    size: int
    created_at: dt.datetime
    download: str
    # The session's revision the batch was made from, and whether answers changed since.
    revision: int | None = None
    out_of_date: bool = False
    # The PDF (None when no converter made one), its page count, its first page as a picture.
    pdf: str | None = None
    pages: int | None = None
    thumbnail: str | None = None
    # What to know about the batch: the page count unchecked, or differing from a typed one.
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, row: GeneratedDocument, session_revision: int | None = None) -> DocumentOut:
        base = f"/api/sessions/{row.session_id}/documents/{row.id}"
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            file_name=row.file_name,
            sha256=row.sha256,
            template_version=row.template_version,
            size=row.size,
            created_at=row.created_at,
            download=base,
            revision=row.revision,
            out_of_date=is_out_of_date(row, session_revision),
            pdf=f"{base}.pdf" if row.pages is not None else None,
            pages=row.pages,
            thumbnail=f"{base}.png" if row.pages is not None else None,
            notes=list(row.notes or []),
        )


@dataclass
class PackOut:
    name: str
    version: str
    title: str
    description: str
    steps: list[dict[str, str]]
    documents: list[dict[str, str]]
    # False for a pack left out at startup; `problems` says why (file, place, tag).
    available: bool = True
    problems: list[str] = field(default_factory=list)


@dataclass
class DocumentUpload:
    file: UploadFile
    # The pack to import into, when not given as ?pack= (may be left out if one pack imports).
    pack: str | None = None


@dataclass
class ImportReport:
    # Paths of the answers the document gave.
    recognised: list[str]
    # What the document did not say, in words, each starting with the path it would answer.
    not_found: list[str]
    # What looks inconsistent: the document's own mistakes and what the checks find.
    inconsistencies: list[ProblemOut]


@dataclass
class ImportOut:
    session: SessionOut
    report: ImportReport

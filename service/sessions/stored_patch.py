"""A PATCH of answers from the session as the authentication read it, written without the ORM.

The key's point read (``storage.point_reads``) brings the session's stored columns along; a
PATCH of a visible session whose derived state is current is worked out from them (the same
change function, checks and derivation as the service's ``_write``, in one call of
``service._applied``), written by ``storage.session_writes`` only if no one wrote since that
read, and answered from what was written: the answers go out as the JSON text stored.

Anything else takes the ordinary path (``SessionService.patch_answers``), which answers as
always: ``None`` from ``patch`` says so. That is: a session someone wrote since it was read
(the ordinary path reads it again and retries), and a write that failed.
"""

from __future__ import annotations

import collections
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import structlog

from service.auth.actor import Actor
from service.auth.identity import parse_stored_scopes
from service.interview.derived import stamp
from service.interview.engine import changes
from service.packs import Pack
from service.sessions import service as sessions
from service.storage.point_reads import SessionRow
from service.storage.session_writes import (
    WRITTEN,
    Delivery,
    Listener,
    NewRevision,
    SessionWrites,
)
from service.webhooks import SESSION_COMPLETED
from service.webhooks.service import completion_data, event_payload, hears

log = structlog.get_logger(__name__)

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.decode


@dataclass(slots=True)
class Current:
    """The session as read, in the shape the service's change functions and ``_applied`` take."""

    answers: dict[str, Any]
    chat_state: dict[str, Any] | None
    derived_for: str | None
    problems: list[dict[str, Any]] | None
    progress_answered: int | None
    progress_required: int | None
    # The pack (name, version) whose field check these answers passed in this process, if any.
    checked_for: tuple[str, str] | None = None


@dataclass(slots=True)
class Patched:
    """What a PATCH comes to: the revision to write (None: the answers did not change, or
    ``ordinary``: the session as read is for the ordinary path), and the row it makes."""

    write: NewRevision | None
    completed: bool = False
    row: SessionRow | None = field(default=None)
    ordinary: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """The response: the session as written, as ``SessionOut`` encodes it, and its revision."""

    body: bytes
    revision: int


@dataclass(frozen=True, slots=True)
class _Known:
    """A session's answers and chat state as JSON text this process wrote, with the objects
    that text was encoded from, and the pack (name, version) whose field check they passed."""

    answers_json: str
    chat_state_json: str
    answers: dict[str, Any]
    chat_state: dict[str, Any]
    checked_for: tuple[str, str] | None = None


class Decoded:
    """The answers and chat state of the sessions a process last prepared a write of, kept as
    objects beside the JSON text they were written as: the next PATCH of one of them, read
    back as that same text, starts from those objects rather than decoding ~8 KB again (most
    PATCHes of a session follow one this process wrote). Nothing reached from the objects is
    changed in place (a patch is merged by sharing, the chat state copied), and they are used
    only when the text read is equal to the text they were encoded as. Used from one thread
    only: each thread a write is worked out in has its own (``SessionWrites.kept``)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._known: collections.OrderedDict[uuid.UUID, _Known] = collections.OrderedDict()

    def known(self, row: SessionRow) -> _Known | None:
        """What this process wrote of ``row``'s session, if ``row`` holds that very text."""
        known = self._known.get(row.id)
        if (
            known is not None
            and row.answers_json == known.answers_json
            and row.chat_state_json == known.chat_state_json
        ):
            return known
        return None

    def remember(self, session_id: uuid.UUID, known: _Known) -> None:
        self._known[session_id] = known
        self._known.move_to_end(session_id)
        while len(self._known) > self.size:
            self._known.popitem(last=False)


def current_of(row: SessionRow, decoded: Decoded | None = None) -> Current:
    known = decoded.known(row) if decoded is not None else None
    checked_for = None
    if known is not None:
        answers, chat_state, checked_for = known.answers, known.chat_state, known.checked_for
    else:
        answers = _decode(row.answers_json)
        chat_state = _decode(row.chat_state_json) if row.chat_state_json else None
    return Current(
        answers=answers,
        chat_state=chat_state,
        derived_for=row.derived_for,
        problems=_decode(row.problems_json) if row.problems_json else None,
        progress_answered=row.progress_answered,
        progress_required=row.progress_required,
        checked_for=checked_for,
    )


def prepare(
    pack: Pack,
    row: SessionRow,
    patch: dict[str, Any],
    actor: Actor,
    expected_revision: int | None = None,
    source: str = "api",
    decoded: Decoded | None = None,
) -> Patched:
    """The new revision a PATCH makes of ``row`` (off the event loop: it runs the engine).
    Raises StaleRevision and AnswersRefused as the ordinary path does, before anything is
    written. ``decoded``: the writer's memory of what it wrote (read and added to)."""
    if not (
        (actor.is_admin or row.owner == actor.owner)
        and row.derived_for == stamp(pack)
        and row.chat_state_json is not None
    ):
        return Patched(write=None, row=row, ordinary=True)
    if expected_revision is not None and row.revision != expected_revision:
        raise sessions.StaleRevision(row.revision)
    current = current_of(row, decoded)
    # The field check encodes the merged answers (as msgspec does here): that text is stored.
    encoded: list[bytes] = []
    # Answers read as text this process wrote passed this pack's field check then: only what
    # the patch replaces is checked against the schema again (validation.value_problems).
    checked = current.checked_for == (pack.name, pack.version)
    changed = sessions._applied(
        sessions.patching(patch, encoded, answers_checked=checked), pack, current, source
    )
    if changed is None:
        return Patched(write=None, row=row)
    now = dt.datetime.now(dt.UTC)
    answers_json = (encoded[0] if encoded else _encode(changed["answers"])).decode()
    chat_state_json = _encode(changed["chat_state"]).decode()
    problems_json = _encode(changed["problems"]).decode()
    if decoded is not None:
        decoded.remember(
            row.id,
            # Written only if the field check found nothing: _applied raised otherwise.
            _Known(
                answers_json,
                chat_state_json,
                changed["answers"],
                changed["chat_state"],
                checked_for=(pack.name, pack.version),
            ),
        )
    completed = row.status != "complete" and changed["status"] == "complete"
    new = NewRevision(
        session_id=row.id,
        revision=row.revision,
        answers_json=answers_json,
        chat_state_json=chat_state_json,
        title=changed["title"],
        status=changed["status"],
        derived_for=changed["derived_for"],
        progress_answered=changed["progress_answered"],
        progress_required=changed["progress_required"],
        open_errors=changed["open_errors"],
        open_warnings=changed["open_warnings"],
        problems_json=problems_json,
        updated_at=now,
        actor=actor.name,
        source=source,
        changes=[
            (path[:500], _encode(old).decode(), _encode(value).decode())
            for path, old, value in changes(current.answers, changed["answers"])
        ],
        deliveries=_completion(row, now) if completed else None,
    )
    written = SessionRow(
        id=row.id,
        pack=row.pack,
        pack_version=row.pack_version,
        title=new.title,
        status=new.status,
        revision=row.revision + 1,
        created_at=row.created_at,
        updated_at=now,
        owner=row.owner,
        derived_for=new.derived_for,
        progress_answered=new.progress_answered,
        progress_required=new.progress_required,
        problems_json=problems_json,
        answers_json=answers_json,
        chat_state_json=new.chat_state_json,
    )
    return Patched(write=new, completed=completed, row=written)


def _completion(row: SessionRow, now: dt.datetime) -> Any:
    """The deliveries of ``session.completed`` for the webhooks listening when it is written,
    as WebhookService.emit makes them."""
    event_id = uuid.uuid4()
    payload = event_payload(
        SESSION_COMPLETED, event_id, now, completion_data(row.id, row.pack, row.revision + 1)
    )

    def deliveries(listeners: list[Listener]) -> list[Delivery]:
        return [
            Delivery(
                webhook_id=each.webhook_id,
                event_id=event_id,
                event=SESSION_COMPLETED,
                payload=payload,
            )
            for each in listeners
            if hears(
                [e for e in each.events.split(",") if e],
                each.key_owner,
                "admin" in parse_stored_scopes(each.key_scopes),
                SESSION_COMPLETED,
                row.owner,
            )
        ]

    return deliveries


async def patch(
    writes: SessionWrites,
    pack: Pack,
    row: SessionRow,
    read: Callable[[], tuple[dict[str, Any], int | None]],
    actor: Actor,
    wake_webhooks: Callable[[], None] | None = None,
    body_bytes: int = 0,
) -> Patched | None:
    """Writes the PATCH of ``row`` (visible to ``actor``, its derived state current), or
    answers None when the ordinary path must. ``read`` gives the patch and the revision the
    client expects (None: any), and is called in the work of the write (on the event loop for
    a small one, in the writer's thread for a large one); ``body_bytes``: the size of the body
    it reads.
    Raises what ``read`` raises, StaleRevision and AnswersRefused, as the ordinary path does."""

    def prepared(found: SessionRow) -> Patched:
        body, expected_revision = read()
        # Looked up when called: a test may watch it.
        return prepare(pack, found, body, actor, expected_revision, decoded=writes.kept(Decoded))

    patched, outcome = await writes.run(row, prepared, body_bytes)
    assert isinstance(patched, Patched)
    if patched.ordinary:
        return None
    if patched.write is None:
        return patched
    if outcome is None or outcome.result != WRITTEN:
        return None
    row = patched.row or row
    written = patched.write.revision + 1
    if outcome.deliveries:
        log.info(
            "webhook.event.queued",
            kind=SESSION_COMPLETED,
            session_id=str(row.id),
            deliveries=outcome.deliveries,
        )
    if patched.completed and wake_webhooks is not None:
        wake_webhooks()
    log.info("session.answers.saved", session_id=str(row.id), revision=written, source="api")
    return patched

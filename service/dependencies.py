"""What handlers are given: the session service, who is acting, the revision they expect."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.plugins.problem_details import ProblemDetailsException
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.actor import Actor
from service.auth.identity import IDENTITY_SCOPE_KEY, READ, Identity
from service.idempotency.service import IdempotencyService
from service.interview.derived import stamp
from service.isolation import Budget
from service.sessions.service import SessionService
from service.storage.point_reads import SessionRow
from service.webhooks.service import WebhookService


async def provide_service(
    db_session: NamedDependency[AsyncSession], state: State
) -> SessionService:
    return _service(db_session, state)


def service_of(request: Request) -> SessionService:
    """The service as ``provide_service`` gives it, for a handler that needs it only sometimes:
    the request's database session is made only then (and closed with the request, as always)."""
    state = request.app.state
    return _service(state.db_config.provide_session(state, request.scope), state)


def _service(db_session: AsyncSession, state: State) -> SessionService:
    return SessionService(
        db_session,
        state.packs,
        webhooks=provide_webhooks_of(db_session, state),
        idempotency=IdempotencyService(db_session, state.settings.idempotency_hours),
        import_budget=Budget(
            seconds=state.settings.import_seconds,
            memory_bytes=state.settings.import_memory_mb * 2**20,
        ),
        batches_kept=state.settings.document_batches_kept,
        converter=state.get("pdf_converter"),
        renderer=state.get("renderer"),
    )


def is_current(state: State, row: SessionRow, actor: Actor) -> bool:
    """Whether ``row`` (read by the point reads) may be served as stored to ``actor``: it is
    theirs to see and its derived columns are those of its pack as loaded now."""
    if not (actor.is_admin or row.owner == actor.owner):
        return False
    pack = state.packs.get(row.pack)
    return pack is not None and row.derived_for == stamp(pack)


def provide_webhooks_of(db_session: AsyncSession, state: State) -> WebhookService:
    dispatcher = state.get("webhook_dispatcher")
    return WebhookService(
        db_session, wake=dispatcher.wake if dispatcher else None, policy=state.get("webhook_policy")
    )


async def provide_webhooks(
    db_session: NamedDependency[AsyncSession], state: State
) -> WebhookService:
    return provide_webhooks_of(db_session, state)


async def provide_actor(request: Request) -> Actor:
    # The authentication middleware (service/auth) puts the caller here; a route it left open
    # has no caller, and must not act as anyone.
    identity: Identity | None = request.scope.get(IDENTITY_SCOPE_KEY)  # type: ignore[assignment]
    if identity is None:
        raise ProblemDetailsException(
            status_code=401,
            title="Unauthorized",
            detail="Sign in, or send an API key as 'Authorization: Bearer <key>'.",
        )
    return identity.actor()


async def provide_identity(request: Request) -> Identity:
    identity = request.scope.get(IDENTITY_SCOPE_KEY)
    if identity is None:
        raise ProblemDetailsException(
            status_code=401,
            title="Unauthorized",
            detail="Send an API key as 'Authorization: Bearer <key>'.",
        )
    return identity  # type: ignore[return-value]


async def provide_reads_answers(request: Request) -> bool:
    """Whether the caller may see answers: a key needs ``read`` (a write-only key may send
    answers, never get them back)."""
    identity: Identity | None = request.scope.get(IDENTITY_SCOPE_KEY)  # type: ignore[assignment]
    return identity is None or identity.may(READ)


async def provide_expected_revision(request: Request) -> int | None:
    """The revision named by ``If-Match`` (``"7"`` or ``W/"7"``), or None for ``*``/absent."""
    return expected_revision_of(request.headers.get("if-match"))


def expected_revision_of(header: str | None) -> int | None:
    """``provide_expected_revision`` of an ``If-Match`` header's value (None: no header);
    raises the same 400 for one that names no revision."""
    if header is None or header.strip() == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    # Revisions are small numbers; a tag of thousands of digits is not one (and int() refuses it).
    if not (tag.isascii() and tag.isdigit()) or len(tag) > 18:
        header = header if len(header) <= 40 else header[:37] + "..."
        raise ClientException(
            status_code=400,
            detail=f'If-Match must be an ETag this API gave, such as "3"; got {header!r}',
        )
    return int(tag)


def etag(revision: int) -> str:
    return f'"{revision}"'


# Handlers name their dependencies explicitly (Litestar 3 stops inferring them).
Service = NamedDependency[SessionService]
CurrentActor = NamedDependency[Actor]
CurrentIdentity = NamedDependency[Identity]
Webhooks = NamedDependency[WebhookService]
ExpectedRevision = NamedDependency[int | None]
ReadsAnswers = NamedDependency[bool]

"""What handlers are given: the session service, who is acting, the revision they expect."""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency
from litestar.datastructures import State
from litestar.exceptions import ClientException
from sqlalchemy.ext.asyncio import AsyncSession

from service.sessions.service import Actor, SessionService

ACTOR_SCOPE_KEY = "filing_assembler.actor"


async def provide_service(db_session: NamedDependency[AsyncSession], state: State) -> SessionService:
    return SessionService(db_session, state.packs)


async def provide_actor(request: Request) -> Actor:
    # Authentication middleware (API keys, the proxy header, sign-in) puts the actor here.
    return request.scope.get(ACTOR_SCOPE_KEY) or Actor()  # type: ignore[return-value]


async def provide_expected_revision(request: Request) -> int | None:
    """The revision named by ``If-Match`` (``"7"`` or ``W/"7"``), or None for ``*``/absent."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ClientException(status_code=400, detail=f"If-Match must be an ETag this API gave, such as \"3\"; got {header!r}")
    return int(tag)


def etag(revision: int) -> str:
    return f'"{revision}"'


# Handlers name their dependencies explicitly (Litestar 3 stops inferring them).
Service = NamedDependency[SessionService]
CurrentActor = NamedDependency[Actor]
ExpectedRevision = NamedDependency[int | None]

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import State

from service.api.responses import problems
from service.api.schemas import PackOut


class PacksController(Controller):
    path = "/api/packs"
    tags = ["packs"]

    @get("/", summary="The template packs and their versions", responses=problems())
    async def list_packs(self, state: State) -> list[PackOut]:
        available = [
            PackOut(
                name=p.name,
                version=p.version,
                title=p.title,
                description=p.description,
                steps=[{"id": s.id, "title": s.title} for s in p.steps],
                documents=[{"id": d.id, "title": d.title} for d in p.documents],
            )
            for p in state.packs
        ]
        unavailable = [
            PackOut(
                name=name,
                version="",
                title=name,
                description="",
                steps=[],
                documents=[],
                available=False,
                problems=problems,
            )
            for name, problems in state.packs.unavailable.items()
        ]
        return sorted(available + unavailable, key=lambda pack: pack.name)

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
        return [
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

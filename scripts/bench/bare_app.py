"""The bare Litestar app the service is measured against, under the same uvicorn: a GET of a
small JSON object and a JSON POST echoed back, with no database and no middleware."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get, post


@get("/item")
async def item() -> dict[str, Any]:
    return {
        "id": "6f1c2b8e-4a8e-4c53-9d0e-1b2a3c4d5e6f",
        "title": "Portland cement from Mexico",
        "revision": 7,
    }


@post("/echo", status_code=200)
async def echo(data: dict[str, Any]) -> dict[str, Any]:
    return data


def create_app() -> Litestar:
    return Litestar([item, echo])

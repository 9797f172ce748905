"""Prints how fast documents become PDFs and how the API answers meanwhile; asserts nothing.

    make bench            # or: .venv/bin/python scripts/benchmark_pdf.py --rounds 10 --packets 10

Figures: the 7 documents of the 2024 packet converted by a warm embedded unoserver; then, over
HTTP on SQLite, a read (GET /api/sessions) alone, and the same read while N packets are
generated and converted at once, with the time those N packets took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.packs import load_pack  # noqa: E402
from service.pdf.converter import EMBEDDED, PdfConverter  # noqa: E402
from service.rendering.packet import render_packet  # noqa: E402
from service.settings import Settings  # noqa: E402


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"


async def convert_packet(converter: PdfConverter, documents) -> None:
    await asyncio.gather(*(converter.to_pdf(d.content) for d in documents))


async def main_async(args: argparse.Namespace) -> None:
    settings = Settings.from_env()
    converter = PdfConverter(
        EMBEDDED, command=settings.unoserver_command, concurrency=settings.pdf_concurrency
    )
    try:
        pack = load_pack("adcvd-petition", settings)
        answers = json.loads((REPO / "examples" / "solar-2024.json").read_text())
        documents = render_packet(pack, answers)
        started = time.perf_counter()
        converter.convert(documents[0].content)
        cold = (time.perf_counter() - started) * 1000
        samples = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            await convert_packet(converter, documents)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"PDF conversion, embedded unoserver, concurrency {settings.pdf_concurrency}")
        print(f"  start and first document          : {cold:7.0f} ms")
        print(f"  2024 packet ({len(documents)} documents), warm  : {summary(samples)}")
        await http_figures(converter, answers, args.packets)
    finally:
        converter.stop()


async def http_figures(converter: PdfConverter, answers: dict, packets: int) -> None:
    import httpx
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from service.app import create_app
    from service.auth.service import KeyService
    from service.storage.database import upgrade

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(url)
        engine = create_async_engine(url)
        async with AsyncSession(engine, expire_on_commit=False) as db:
            key = (await KeyService(db).create("benchmark", "read,write,generate")).secret
        await engine.dispose()
        app = create_app(
            Settings(database_url=url, log_level="WARNING", log_format="json", pdf_converter="off"),
            configure_logs=False,
        )
        app.state["pdf_converter"] = converter
        transport = httpx.ASGITransport(app=app)
        async with (
            app.lifespan(),
            httpx.AsyncClient(
                transport=transport,
                base_url="http://bench",
                headers={"Authorization": f"Bearer {key}"},
                timeout=600,
            ) as client,
        ):
            ids = []
            for _ in range(packets):
                created = await client.post(
                    "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
                )
                ids.append(created.json()["id"])

            async def read() -> float:
                started = time.perf_counter()
                response = await client.get("/api/sessions")
                assert response.status_code == 200
                return (time.perf_counter() - started) * 1000

            idle = [await read() for _ in range(20)]
            started = time.perf_counter()
            generating = [
                asyncio.create_task(client.post(f"/api/sessions/{i}/documents")) for i in ids
            ]
            busy = []
            while not all(task.done() for task in generating):
                busy.append(await read())
            results = await asyncio.gather(*generating)
            took = (time.perf_counter() - started) * 1000
            assert all(r.status_code == 201 for r in results)
    print(f"HTTP on SQLite while {packets} packets are generated and converted at once")
    print(f"  GET /api/sessions, idle            : {summary(idle)}")
    print(f"  GET /api/sessions, during          : {summary(busy)}  ({len(busy)} reads)")
    print(f"  {packets} packets ({packets * 7} PDFs) took        : {took:7.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--packets", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from service.logging import configure_logging

    configure_logging("WARNING", "json")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Prints how fast the 2024 packet renders and how the API performs; asserts nothing.

    make bench            # or: .venv/bin/python scripts/benchmark.py --rounds 50

Figures: the packet through our renderer (templates compiled once) against docxtpl's own
DocxTemplate rendering of the same templates and context; peak memory of one packet; and
the HTTP path (create, patch, generate) on the embedded SQLite database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import logging  # noqa: E402

from docxtpl import DocxTemplate  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402

from service.interview.engine import effective_answers  # noqa: E402
from service.packs import load_pack  # noqa: E402
from service.rendering.packet import _instances, render_packet  # noqa: E402
from service.settings import Settings  # noqa: E402


def timed(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   min {ordered[0]:7.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from service.logging import configure_logging

    configure_logging("WARNING", "json")
    pack = load_pack("adcvd-petition", Settings.from_env())
    answers = json.loads((REPO / "examples" / "solar-2024.json").read_text())
    render_packet(pack, answers)  # warm: compile the templates once, as the server does

    ours = timed(lambda: render_packet(pack, answers), args.rounds)

    effective = effective_answers(pack, answers)
    context = pack.context(effective)
    template_bytes = {spec.id: spec.template.read_bytes() for spec in pack.documents}

    def docxtpl_baseline() -> None:
        for spec in pack.documents:
            for _title, _stem, doc_context in _instances(spec, effective, context):
                template = DocxTemplate(BytesIO(template_bytes[spec.id]))
                template.render(doc_context, SandboxedEnvironment(autoescape=True))
                template.save(BytesIO())

    baseline = timed(docxtpl_baseline, args.rounds)
    documents = len(render_packet(pack, answers))

    tracemalloc.start()
    render_packet(pack, answers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"2024 packet ({documents} documents), {args.rounds} rounds")
    print(f"  Filing Assembler render_packet : {summary(ours)}")
    print(f"  docxtpl DocxTemplate baseline  : {summary(baseline)}")
    print(f"  ratio (ours / baseline, median): {statistics.median(ours) / statistics.median(baseline):.2f}")
    print(f"  peak Python memory of one packet: {peak / 1024 / 1024:.1f} MiB")
    print(f"  process max RSS so far          : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    asyncio.run(http_figures(answers, args.requests))
    return 0


async def http_figures(answers: dict, count: int) -> None:
    from litestar.testing import AsyncTestClient
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
        # Rendering and storing only: PDF conversion has its own figures (benchmark_pdf.py).
        app = create_app(Settings(database_url=url, log_level="WARNING", log_format="json", pdf_converter="off"), configure_logs=False)
        async with AsyncTestClient(app=app) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            create, patch, generate = [], [], []
            for _ in range(count):
                start = time.perf_counter()
                created = await client.post("/api/sessions", json={"pack": "adcvd-petition"})
                assert created.status_code == 201, created.text
                session = created.json()
                create.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                patched = await client.patch(f"/api/sessions/{session['id']}/answers", json=answers)
                assert patched.status_code == 200, patched.text
                patch.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                response = await client.post(f"/api/sessions/{session['id']}/documents")
                assert response.status_code == 201, response.text
                generate.append((time.perf_counter() - start) * 1000)
    print(f"HTTP on SQLite, {count} sessions (in-process client)")
    print(f"  POST /api/sessions                : {summary(create)}")
    print(f"  PATCH answers (whole 2024 case)   : {summary(patch)}")
    print(f"  POST documents (render and store) : {summary(generate)}")


if __name__ == "__main__":
    raise SystemExit(main())

"""The 2024 packet four ways, interleaved round by round: the product's ``render_packet`` in
this process and through its pool of processes (one process; what the server awaits, sending
the answers and receiving the documents included), naive docxtpl (a DocxTemplate opened and
rendered per document) and the floor. Each includes the same effective answers and document
context."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import statistics
import time
from pathlib import Path
from typing import Any

import docx
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from bench.floor import FloorTemplate, same_parts
from service.interview.engine import effective_answers
from service.packs.model import Pack
from service.rendering.packet import _instances, render_packet
from service.rendering.pool import PooledPacketRenderer


def _naive(pack: Pack, answers: dict[str, Any], template_bytes: dict[str, bytes]) -> list[bytes]:
    effective = effective_answers(pack, answers)
    context = pack.context(effective)
    out = []
    for spec in pack.documents:
        for _title, _stem, doc_context in _instances(spec, effective, context):
            template = DocxTemplate(io.BytesIO(template_bytes[spec.id]))
            template.render(doc_context, SandboxedEnvironment(autoescape=True))
            buffer = io.BytesIO()
            template.save(buffer)
            out.append(buffer.getvalue())
    return out


def _floor(
    pack: Pack,
    answers: dict[str, Any],
    floors: dict[str, FloorTemplate],
    generated_at: dt.datetime | None = None,
) -> list[bytes]:
    effective = effective_answers(pack, answers)
    context = {**pack.context(effective), "packet_pages": None}  # as render_packet's default
    return [
        floors[spec.id].render(c, generated_at)
        for spec in pack.documents
        for _, _, c in _instances(spec, effective, context)
    ]


def measure(pack: Pack, answers: dict[str, Any], rounds: int, schemas_dir: Path) -> dict[str, Any]:
    template_bytes = {spec.id: spec.template.read_bytes() for spec in pack.documents}
    floors = {spec.id: FloorTemplate(spec.template) for spec in pack.documents}
    # Warm (templates compiled once, as in the server), and dated alike, so they can be compared.
    when = dt.datetime.now(dt.UTC)
    ours = render_packet(pack, answers, generated_at=when)
    floor = _floor(pack, answers, floors, when)
    differing = {d.file_name: same_parts(d.content, f) for d, f in zip(ours, floor, strict=True)}
    docx.Document(io.BytesIO(floor[0]))  # the floor's zip opens as a Word document
    pool = PooledPacketRenderer(pack.documents[0].template.parents[1], schemas_dir, processes=1)
    pool.start()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(pool.render(pack, answers))  # the process has loaded the packs
    runs = {
        "context only": lambda: pack.context(effective_answers(pack, answers)),
        "render_packet (the product)": lambda: render_packet(pack, answers),
        "the product through its pool (1 process)": lambda: loop.run_until_complete(
            pool.render(pack, answers)
        ),
        "naive docxtpl": lambda: _naive(pack, answers, template_bytes),
        "floor": lambda: _floor(pack, answers, floors),
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - started) * 1000)
    pool.stop()
    loop.close()
    return {
        "documents": len(ours),
        "medians": {name: statistics.median(values) for name, values in samples.items()},
        "differing": {name: parts for name, parts in differing.items() if parts},
    }

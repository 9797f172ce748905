"""Turning a complete session into the pack's documents.

Templates are compiled once per process (the cache below); rendering is CPU-bound and is
called from a worker thread by the HTTP layer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.interview import paths
from service.interview.engine import effective_answers
from service.packs.model import DocumentSpec, Pack

if TYPE_CHECKING:
    from service.rendering.docx_template import DocxTemplateFile

# Names the engine gives every template besides the pack's context: the page count of the
# packet as rendered (or the figure typed to override it; None when neither is known).
ENGINE_NAMES = frozenset({"packet_pages"})


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    kind: str
    title: str
    file_name: str
    content: bytes
    template_version: str
    # Whether the template prints ``packet_pages`` (it must be rendered again once counted).
    prints_page_count: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@lru_cache(maxsize=64)
def compiled_template(path: Path) -> DocxTemplateFile:
    # Imported here: a process that only names documents (the server, which renders in its
    # pool) does not load docxtpl, python-docx and lxml.
    from service.rendering.docx_template import DocxTemplateFile

    return DocxTemplateFile(path)


def render_packet(
    pack: Pack,
    answers: dict[str, Any],
    *,
    packet_pages: int | None = None,
    generated_at: dt.datetime | None = None,
    draft: bool = False,
) -> list[RenderedDocument]:
    """Every document of the pack for these answers (already checked complete by the caller,
    unless it asks for a ``draft``: then what is missing prints blank).

    Answers a condition made irrelevant are left out before the templates see them.
    ``packet_pages`` is what the templates print as the packet's page count; every document
    is dated ``generated_at`` (now by default), so rendering twice with the same time gives
    the same bytes wherever the count is not printed.
    """
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    effective = effective_answers(pack, answers)
    context = {**pack.context(effective), "packet_pages": packet_pages}
    rendered: list[RenderedDocument] = []
    used_names: set[str] = set()
    for spec in pack.documents:
        template = compiled_template(spec.template)
        for title, file_stem, doc_context in _instances(spec, effective, context):
            content = template.render(doc_context, generated_at=generated_at, draft=draft)
            rendered.append(
                RenderedDocument(
                    kind=spec.id,
                    title=title,
                    file_name=_unique(f"{_safe_file_stem(file_stem)}.docx", used_names),
                    content=content,
                    template_version=f"{pack.name}@{pack.version}",
                    prints_page_count="packet_pages" in template.variables,
                )
            )
    return rendered


def _instances(spec: DocumentSpec, answers: dict[str, Any], context: dict[str, Any]):
    if not spec.for_each:
        yield spec.title, spec.file_name, context
        return
    items = paths.get(answers, spec.for_each) or []
    # The context builder may enrich the items (formatted dates...); prefer its version.
    enriched = paths.get(context, spec.for_each)
    for index, item in enumerate(items):
        value = enriched[index] if isinstance(enriched, list) and index < len(enriched) else item
        fields = {k: v for k, v in item.items() if isinstance(v, (str, int))}
        stem = _format_name(spec.file_name, fields)
        name = _format_name(spec.item_title, fields) if spec.item_title else fields.get("name")
        title = f"{spec.title} - {name or index + 1}"
        yield title, stem, {**context, spec.as_name or "item": value}


def _format_name(pattern: str, fields: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(fields.get(m.group(1), "")), pattern)


def _safe_file_stem(stem: str) -> str:
    # Characters Windows, macOS and zip tools all accept; user text must not smuggle paths.
    cleaned = re.sub(r"[^\w .,()&'-]+", "", stem, flags=re.UNICODE)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    return cleaned[:120] or "document"


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({n}){dot}{ext}"
        n += 1
    used.add(candidate.lower())
    return candidate

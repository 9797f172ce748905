"""Templates compiled into parts render what docxtpl and python-docx rendered before, part by
part as canonical XML: the 2024 packet, the Federal Register example, hostile answers and a
draft of an unfinished interview."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from docx import Document

from service.interview.engine import effective_answers
from service.packs.loader import load_pack
from service.packs.model import Pack
from service.rendering.packet import _instances, render_packet
from tests.conftest import REPO
from tests.rendering import docxtpl_reference
from tests.rendering.test_hostile_answers import _hostile

WHEN = dt.datetime(2024, 4, 24, 15, 30, 12, tzinfo=dt.UTC)


def _both(
    pack: Pack, answers: dict[str, Any], draft: bool = False
) -> list[tuple[str, bytes, bytes]]:
    ours = render_packet(pack, answers, generated_at=WHEN, draft=draft)
    effective = effective_answers(pack, answers)
    context = {**pack.context(effective), "packet_pages": None}
    reference = [
        docxtpl_reference.render(spec.template, doc_context, WHEN, draft=draft)
        for spec in pack.documents
        for _, _, doc_context in _instances(spec, effective, context)
    ]
    assert len(ours) == len(reference)
    return [(d.file_name, d.content, r) for d, r in zip(ours, reference, strict=True)]


def _assert_same(pairs: list[tuple[str, bytes, bytes]]) -> None:
    differing = {
        name: parts
        for name, ours, reference in pairs
        if (parts := docxtpl_reference.differing_parts(ours, reference))
    }
    assert differing == {}


@pytest.fixture(scope="module")
def federal_register_pack() -> Pack:
    return load_pack("federal-register-rule", REPO / "templates", REPO / "schemas")


class TestSameAsDocxtpl:
    def test_the_2024_packet(self, petition_pack, solar_answers):
        pairs = _both(petition_pack, solar_answers)
        assert len(pairs) == 7
        _assert_same(pairs)

    def test_the_federal_register_rule(self, federal_register_pack):
        answers = json.loads((REPO / "examples" / "sba-size-standards-2013.json").read_text())
        _assert_same(_both(federal_register_pack, answers))

    def test_hostile_answers(self, petition_pack, solar_answers):
        # Line breaks in typed text go through docxtpl's resolve_listing, markup stays text.
        _assert_same(_both(petition_pack, _hostile(solar_answers)))

    def test_a_draft_of_an_unfinished_interview(self, petition_pack, solar_answers):
        partial = {key: solar_answers[key] for key in ("filing", "petitioners")}
        _assert_same(_both(petition_pack, partial, draft=True))


class TestTheZip:
    def test_opens_and_is_the_same_for_the_same_moment(self, petition_pack, solar_answers):
        first = render_packet(petition_pack, solar_answers, generated_at=WHEN)
        again = render_packet(petition_pack, solar_answers, generated_at=WHEN)
        assert [d.content for d in first] == [d.content for d in again]
        archive = zipfile.ZipFile(io.BytesIO(first[0].content))
        assert archive.testzip() is None
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in archive.infolist()} == {(2024, 4, 24, 15, 30, 12)}
        properties = Document(io.BytesIO(first[0].content)).core_properties
        assert properties.created == properties.modified == WHEN

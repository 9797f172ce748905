"""The stored PATCH's memory of the answers it wrote (``stored_patch.Decoded``): a PATCH that
starts from the remembered objects makes exactly the revision one that decodes the stored text
makes, nothing changes those objects in place, and text someone else wrote is decoded."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import uuid
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from service.auth.actor import Actor
from service.interview.engine import merge
from service.sessions import service as sessions
from service.sessions.stored_patch import Decoded, Patched, current_of, prepare
from service.storage.point_reads import SessionRow
from tests.answer_patches import write_sequences

REPO = Path(__file__).resolve().parents[2]
SOLAR = json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))
ACTOR = Actor(name="key:k", owner="o")
NOW = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)


def _text(value) -> str:
    return msgspec.json.encode(value).decode()


def stored_row(pack, answers, chat_state=None) -> SessionRow:
    columns = sessions._derived_columns(pack, answers)
    return SessionRow(
        id=uuid.UUID(int=7),
        pack=pack.name,
        pack_version=pack.version,
        title=columns["title"],
        status=columns["status"],
        revision=1,
        created_at=NOW,
        updated_at=NOW,
        owner="o",
        derived_for=columns["derived_for"],
        progress_answered=columns["progress_answered"],
        progress_required=columns["progress_required"],
        problems_json=_text(columns["problems"]),
        answers_json=_text(answers),
        chat_state_json=_text(chat_state or {}),
    )


def read_back(row: SessionRow) -> SessionRow:
    """The row as a later read gives it: equal text, other objects."""
    return dataclasses.replace(
        row,
        answers_json="".join(list(row.answers_json)),
        chat_state_json="".join(list(row.chat_state_json or "")),
    )


def outcome(patched: Patched | Exception):
    if isinstance(patched, Exception):
        return type(patched), getattr(patched, "problems", None)
    write = patched.write
    return (
        None if write is None else dataclasses.replace(write, updated_at=NOW, deliveries=None),
        None if patched.row is None else dataclasses.replace(patched.row, updated_at=NOW),
    )


def attempt(pack, row, patch, decoded):
    try:
        return prepare(pack, row, copy.deepcopy(patch), ACTOR, decoded=decoded)
    except sessions.AnswersRefused as refused:
        return refused


def assert_unchanged(decoded: Decoded) -> None:
    for known in decoded._known.values():
        assert _text(known.answers) == known.answers_json
        assert _text(known.chat_state) == known.chat_state_json


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(writes=write_sequences(SOLAR))
def test_writes_from_the_memory_are_the_writes_from_the_text(petition_pack, writes):
    decoded = Decoded()
    remembered = plain = stored_row(petition_pack, SOLAR)
    for patch in writes:
        from_memory = attempt(petition_pack, read_back(remembered), patch, decoded)
        from_text = attempt(petition_pack, plain, patch, None)
        assert outcome(from_memory) == outcome(from_text), patch
        # The text stored (the field check's encoding, made before the derivation) is that
        # of the merged answers, and nothing after changed them (the memory holds them).
        if isinstance(from_text, Patched) and from_text.write is not None:
            assert json.loads(from_text.write.answers_json) == merge(
                json.loads(plain.answers_json), patch
            )
        assert_unchanged(decoded)
        if isinstance(from_text, Patched) and from_text.row is not None:
            remembered, plain = from_memory.row, from_text.row


def test_lists_sent_whole_close_in_the_remembered_chat_state_too(petition_pack):
    decoded = Decoded()
    row = stored_row(petition_pack, SOLAR)
    volumes = copy.deepcopy(SOLAR["volumes"])
    first = prepare(petition_pack, row, {"volumes": volumes}, ACTOR, decoded=decoded)
    assert json.loads(first.row.chat_state_json)["closed"]
    second = prepare(
        petition_pack,
        read_back(first.row),
        {"filing": {"total_pages": 3}},
        ACTOR,
        decoded=decoded,
    )
    plain = prepare(petition_pack, first.row, {"filing": {"total_pages": 3}}, ACTOR)
    assert outcome(second) == outcome(plain)
    assert_unchanged(decoded)


def test_text_someone_else_wrote_is_decoded(petition_pack):
    decoded = Decoded()
    row = stored_row(petition_pack, SOLAR)
    first = prepare(petition_pack, row, {"filing": {"total_pages": 5}}, ACTOR, decoded=decoded)
    # Another process wrote the session in between: same revision number here, other text.
    theirs = {**SOLAR, "filing": {**SOLAR["filing"], "total_pages": 9, "date": "2024-05-01"}}
    elsewhere = dataclasses.replace(first.row, answers_json=_text(theirs))
    ours = prepare(petition_pack, elsewhere, {"filing": {"total_pages": 6}}, ACTOR, decoded=decoded)
    assert json.loads(ours.row.answers_json)["filing"]["date"] == "2024-05-01"
    assert outcome(ours) == outcome(
        prepare(petition_pack, elsewhere, {"filing": {"total_pages": 6}}, ACTOR)
    )


def test_the_memory_keeps_the_latest_sessions_only():
    decoded = Decoded(size=2)
    for number in range(3):
        decoded.remember(uuid.UUID(int=number), object())  # type: ignore[arg-type]
    assert list(decoded._known) == [uuid.UUID(int=1), uuid.UUID(int=2)]


@pytest.mark.parametrize("chat_state", [None, {"closed": ["volumes"]}])
def test_a_session_never_remembered_is_decoded(petition_pack, chat_state):
    row = stored_row(petition_pack, SOLAR, chat_state)
    current = current_of(row, Decoded())
    assert current.answers == SOLAR
    assert current.chat_state == (chat_state or {})


def test_answers_from_the_memory_are_checked_only_where_the_patch_replaced_them(
    petition_pack, schema_checks
):
    decoded = Decoded()
    # Read as text: checked whole, then remembered as checked for this pack.
    first = prepare(
        petition_pack,
        stored_row(petition_pack, SOLAR),
        {"filing": {"total_pages": 5}},
        ACTOR,
        decoded=decoded,
    )
    assert len(schema_checks) == 1 and len(schema_checks[0]) == len(SOLAR)
    assert decoded._known[first.row.id].checked_for == (petition_pack.name, petition_pack.version)
    # Read back as that text: only the replaced top-level answer goes to the schema.
    prepare(
        petition_pack,
        read_back(first.row),
        {"product": {"name": "Solar cells"}},
        ACTOR,
        decoded=decoded,
    )
    assert schema_checks[1:] == [["product"]]

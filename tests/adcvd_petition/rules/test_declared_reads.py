"""Each check of the petition and each of its derived defaults reads only what it declares
(``@reads``): a write that changes nothing declared keeps the previous findings, so a read
beyond the declaration would leave them wrong. What a rule reads is recorded by giving it the
answers through objects that note every access, over the 2024 case and random writes to it.

A read path is covered when a declared path lies above it (or is it); an object or list read
only on the way (whether it exists, a list's length) is covered by a declared path under it."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from adcvd_petition.rules import officeholders, petition_checks, petition_context
from hypothesis import HealthCheck, given, settings

from service.interview import engine
from service.interview.incremental import overlaps, pattern, plan_of
from tests.answer_patches import write_sequences

REPO = Path(__file__).resolve().parents[3]
SOLAR = json.loads((REPO / "examples" / "solar-2024.json").read_text(encoding="utf-8"))
DERIVED_DEFAULTS = (
    officeholders.commerce_secretary,
    officeholders.itc_secretary,
    petition_context.product_in_text,
)


class Reads:
    def __init__(self) -> None:
        # Values read (everything under the path), and objects or lists read on the way.
        self.values: set[tuple] = set()
        self.on_the_way: set[tuple] = set()


def recorded(value: Any, keys: tuple, reads: Reads) -> Any:
    if isinstance(value, dict):
        reads.on_the_way.add(keys)
        return RecordedObject(value, keys, reads)
    if isinstance(value, list) and all(isinstance(v, (dict, list)) for v in value):
        # A list of objects (or an empty one): its length, which iterating it reads; its items
        # are read as they are used. A list of values is read as one value.
        reads.on_the_way.add(keys)
        return RecordedList([recorded(v, (*keys, i), reads) for i, v in enumerate(value)])
    reads.values.add(keys)
    return value


class RecordedObject(Mapping):
    def __init__(self, data: dict, keys: tuple, reads: Reads) -> None:
        self._data, self._keys, self._reads = data, keys, reads

    def __getitem__(self, key: Any) -> Any:
        if key not in self._data:
            self._reads.on_the_way.add((*self._keys, key))
            raise KeyError(key)
        return recorded(self._data[key], (*self._keys, key), self._reads)

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self._data:
            # Absent: it matters only that it is, which a declared path under it covers.
            self._reads.on_the_way.add((*self._keys, key))
            return default
        return recorded(self._data[key], (*self._keys, key), self._reads)

    def __contains__(self, key: Any) -> bool:
        self._reads.on_the_way.add((*self._keys, key))
        return key in self._data

    def __iter__(self):
        self._reads.values.add(self._keys)  # which keys there are
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.values.add(self._keys)
        return len(self._data)


class RecordedList(list):
    pass


def uncovered(reads: Reads, declared: tuple[tuple, ...]) -> list[tuple]:
    values = [
        p for p in reads.values if not any(overlaps(p, d) and len(d) <= len(p) for d in declared)
    ]
    on_the_way = [p for p in reads.on_the_way if not any(overlaps(p, d) for d in declared)]
    return sorted(values + on_the_way, key=repr)


def assert_reads_declared(pack, answers: dict[str, Any]) -> None:
    effective = engine.effective_answers(pack, answers)
    for unit in plan_of(pack).units:
        reads = Reads()
        found = unit.check(recorded(copy.deepcopy(effective), (), reads))
        assert found == unit.check(effective), unit.check.__name__
        assert uncovered(reads, unit.reads) == [], unit.check.__name__
    for default in DERIVED_DEFAULTS:
        reads = Reads()
        value = default(recorded(copy.deepcopy(answers), (), reads))
        assert value == default(answers), default.__name__
        declared = tuple(pattern(text) for text in default.reads)
        assert uncovered(reads, declared) == [], default.__name__


def test_every_check_of_the_pack_declares_its_reads(petition_pack):
    units = plan_of(petition_pack).units
    assert [u.check for u in units] == list(petition_checks.checks.parts)
    assert all(u.reads is not None for u in units)
    assert all(hasattr(d, "reads") for d in petition_pack.derive.values())


def test_the_check_is_its_parts_one_after_another(petition_pack, solar_answers):
    for answers in (
        solar_answers,
        {},
        engine.merge(solar_answers, {"filing": {"date": "2025-03-03"}}),
    ):
        effective = engine.effective_answers(petition_pack, answers)
        assert petition_checks.checks(effective) == [
            p for part in petition_checks.checks.parts for p in part(effective)
        ]


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"coalition": {"has_members": False}},
        {"filing": {"date": "2025-03-03"}},
        {"volumes": None},
        {"countries": None, "itc": None},
    ],
)
def test_reads_over_the_2024_case(petition_pack, change):
    assert_reads_declared(petition_pack, engine.merge(SOLAR, change))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(writes=write_sequences(SOLAR, most=3))
def test_reads_over_random_writes(petition_pack, writes):
    answers = SOLAR
    for patch in writes:
        answers = engine.merge(answers, patch)
    assert_reads_declared(petition_pack, answers)


def test_the_recorder_sees_a_read_beyond_a_declaration():
    reads = Reads()
    answers = recorded(
        {"filing": {"date": "2024-04-24", "total_pages": 3}, "volumes": [{"kind": "AD"}]},
        (),
        reads,
    )
    answers["filing"].get("date")
    [volume.get("kind") for volume in answers["volumes"]]
    answers.get("itc")
    declared = (("filing", "date"), ("volumes", 0, "kind"))
    assert uncovered(reads, declared) == [("itc",)]
    list(answers["filing"])  # the keys of an object: not covered by one of its answers
    assert uncovered(reads, declared) == [("filing",), ("itc",)]

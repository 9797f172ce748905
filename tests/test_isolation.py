"""Work run in a process of its own stops at its memory and time budget; the caller lives on."""

from __future__ import annotations

import os

import pytest

from service.isolation import Budget, BudgetExceeded, run_bounded

PRELOAD = ["service.isolation"]


def allocate(size: int) -> int:
    return len(bytearray(size))


def spin() -> None:
    while True:
        pass


def process_id() -> int:
    return os.getpid()


def fail() -> None:
    raise KeyError("broken")


class TestRunBounded:
    def test_the_result_comes_back_from_another_process(self) -> None:
        assert run_bounded(allocate, 1024, budget=Budget(30, 512 * 2**20), preload=PRELOAD) == 1024
        assert (
            run_bounded(process_id, budget=Budget(30, 512 * 2**20), preload=PRELOAD) != os.getpid()
        )

    def test_more_memory_than_the_budget_is_refused_plainly(self) -> None:
        with pytest.raises(BudgetExceeded, match="more than 256 MB of memory"):
            run_bounded(allocate, 2**30, budget=Budget(30, 256 * 2**20), preload=PRELOAD)

    def test_work_past_its_deadline_is_stopped(self) -> None:
        with pytest.raises(BudgetExceeded, match="longer than 0.5 seconds"):
            run_bounded(spin, budget=Budget(0.5, 256 * 2**20), preload=PRELOAD)

    def test_an_error_in_the_work_is_raised_here(self) -> None:
        with pytest.raises(RuntimeError, match="KeyError"):
            run_bounded(fail, budget=Budget(30, 256 * 2**20), preload=PRELOAD)


def test_a_later_preload_adds_to_an_earlier_one(monkeypatch) -> None:
    # serve asks for the importers' modules, the render pool for its own, in either order:
    # the fork server, started by whichever comes first, imports them all.
    import multiprocessing.forkserver

    from service import isolation

    monkeypatch.setattr(isolation, "_preload", [])
    server = multiprocessing.forkserver._forkserver
    monkeypatch.setattr(server, "_preload_modules", list(server._preload_modules))
    isolation.preload(["json", "csv"])
    isolation.preload(["csv", "decimal"])
    assert server._preload_modules == ["json", "csv", "decimal"]

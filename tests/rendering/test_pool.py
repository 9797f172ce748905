"""The pool of rendering processes renders what the server's own thread renders, falls back to
a thread for a pack it does not have or when a process dies, and is what the app uses."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import threading

import pytest

from service.rendering.packet import render_packet
from service.rendering.pool import PacketRenderer, PooledPacketRenderer, renderer_from
from tests.conftest import REPO, bearer

WHEN = dt.datetime(2024, 4, 24, 15, 30, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def pool():
    renderer = PooledPacketRenderer(REPO / "templates", REPO / "schemas", processes=1)
    renderer.start()
    yield renderer
    renderer.stop()


def _contents(documents) -> list[bytes]:
    return [d.content for d in documents]


class TestPool:
    def test_renders_in_another_process_what_this_one_renders(
        self, pool, petition_pack, solar_answers
    ):
        rendered = asyncio.run(pool.render(petition_pack, solar_answers, generated_at=WHEN))
        assert pool.pids() and os.getpid() not in pool.pids()
        here = render_packet(petition_pack, solar_answers, generated_at=WHEN)
        assert [d.file_name for d in rendered] == [d.file_name for d in here]
        assert _contents(rendered) == _contents(here)

    def test_a_draft_of_some_documents(self, pool, petition_pack, solar_answers):
        rendered = asyncio.run(
            pool.render(
                petition_pack,
                {"filing": solar_answers["filing"]},
                draft=True,
                documents=["cover-letter"],
                generated_at=WHEN,
            )
        )
        assert [d.kind for d in rendered] == ["cover-letter"]

    def test_a_pack_the_processes_lack_renders_here(self, pool, mini_pack):
        answers = {"name": "Ann"} if "name" in mini_pack.schema.get("properties", {}) else {}
        here = asyncio.run(
            PacketRenderer().render(mini_pack, answers, draft=True, generated_at=WHEN)
        )
        assert _contents(
            asyncio.run(pool.render(mini_pack, answers, draft=True, generated_at=WHEN))
        ) == _contents(here)

    def test_a_process_that_dies_costs_no_packet(self, pool, petition_pack, solar_answers):
        asyncio.run(pool.render(petition_pack, solar_answers, generated_at=WHEN))
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
        first = asyncio.run(pool.render(petition_pack, solar_answers, generated_at=WHEN))
        second = asyncio.run(pool.render(petition_pack, solar_answers, generated_at=WHEN))
        assert len(first) == len(second) == 7
        assert pool.pids()


class TestSetting:
    def test_values(self, tmp_path):
        assert type(renderer_from("off", tmp_path, tmp_path)) is PacketRenderer
        assert renderer_from("3", tmp_path, tmp_path).processes == 3
        assert renderer_from("auto", tmp_path, tmp_path).processes == len(os.sched_getaffinity(0))
        with pytest.raises(ValueError, match="RENDER_PROCESSES"):
            renderer_from("many", tmp_path, tmp_path)


# The pool does not depend on the database: SQLite alone.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_app_generates_through_its_pool(settings, admin_key, solar_answers):
    from dataclasses import replace

    from litestar.testing import AsyncTestClient

    from service.app import create_app

    app = create_app(replace(settings, render_processes="1"), configure_logs=False)
    async with AsyncTestClient(app) as client:
        assert app.state.renderer.pids()
        created = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": solar_answers},
            headers=bearer(admin_key),
        )
        session_id = created.json()["id"]
        generated = await client.post(
            f"/api/sessions/{session_id}/documents", headers=bearer(admin_key)
        )
        assert generated.status_code == 201, generated.text
        assert len(generated.json()) == 7
    assert app.state.renderer.pids() == []


class TestStartingInTheBackground:
    """``start`` returns at once (forking waits for the fork server's imports, which the
    server's first requests need not wait for); a packet asked for meanwhile waits for the
    pool, and is not rendered in the server's own thread."""

    @pytest.fixture
    def held(self, monkeypatch):
        """The pool cannot be made until the event is set (at the latest after 30 s)."""
        from service.rendering import pool as module

        release = threading.Event()
        made = module.ProcessPoolExecutor

        def held_back(*args, **kwargs):
            release.wait(30)
            return made(*args, **kwargs)

        monkeypatch.setattr(module, "ProcessPoolExecutor", held_back)
        return release

    def test_a_packet_asked_for_while_the_pool_starts_waits_for_it(
        self, held, monkeypatch, petition_pack, solar_answers
    ):
        async def in_a_thread(*args, **kwargs):
            raise AssertionError("rendered in the server's thread")

        monkeypatch.setattr(PacketRenderer, "render", in_a_thread)
        renderer = PooledPacketRenderer(REPO / "templates", REPO / "schemas", processes=1)
        try:
            renderer.start()
            assert not held.is_set()  # start returned before the pool could be made

            async def generate():
                rendering = asyncio.create_task(
                    renderer.render(petition_pack, solar_answers, generated_at=WHEN)
                )
                await asyncio.sleep(0.05)
                assert not rendering.done()
                held.set()
                return await rendering

            rendered = asyncio.run(generate())
            assert len(rendered) == 7
            assert renderer.pids()
        finally:
            held.set()
            renderer.stop()

    def test_stopping_while_it_starts_leaves_no_pool(self, held):
        renderer = PooledPacketRenderer(REPO / "templates", REPO / "schemas", processes=1)
        renderer.start()
        stopping = threading.Thread(target=renderer.stop)
        stopping.start()
        held.set()
        stopping.join(60)
        assert not stopping.is_alive()
        assert renderer.pids() == []


class TestStartingLater:
    """A start told to wait (the app's, so that a new server's first answers have the cores)
    makes no process until then, begins at once when a packet is asked for, and is dropped
    by a stop that comes first."""

    def test_a_packet_asked_for_starts_a_waiting_pool_at_once(
        self, monkeypatch, petition_pack, solar_answers
    ):
        async def in_a_thread(*args, **kwargs):
            raise AssertionError("rendered in the server's thread")

        monkeypatch.setattr(PacketRenderer, "render", in_a_thread)
        renderer = PooledPacketRenderer(REPO / "templates", REPO / "schemas", processes=1)
        try:
            renderer.start(after=3600)
            assert renderer._pool is None  # nothing made while it waits

            async def generate():
                # The guard only ends a test that would otherwise wait the hour.
                return await asyncio.wait_for(
                    renderer.render(petition_pack, solar_answers, generated_at=WHEN), 120
                )

            assert len(asyncio.run(generate())) == 7
            assert renderer.pids()
        finally:
            renderer.stop()

    def test_stopping_a_waiting_start_makes_no_pool(self, monkeypatch):
        from service.rendering import pool as module

        made = []
        monkeypatch.setattr(module, "ProcessPoolExecutor", lambda *a, **k: made.append(a))
        renderer = PooledPacketRenderer(REPO / "templates", REPO / "schemas", processes=1)
        renderer.start(after=3600)
        stopping = threading.Thread(target=renderer.stop)
        stopping.start()
        stopping.join(60)
        assert not stopping.is_alive()
        assert made == [] and renderer.pids() == []

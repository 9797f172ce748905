"""``serve``'s app: what start-up made is frozen out of the garbage collector's sight."""

import gc

from litestar.testing import AsyncTestClient

from service.cli.serve import served_app, settle_memory


async def test_a_served_app_sets_its_start_up_aside_from_the_collector(monkeypatch, sqlite_url):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RENDER_PROCESSES", "off")
    app = served_app()
    # After every hook of create_app's own: the pool, the converter and the rest are made.
    assert app.on_startup[-1] is settle_memory
    gc.unfreeze()
    try:
        async with AsyncTestClient(app) as client:
            frozen = gc.get_freeze_count()
            # The packs, their compiled templates and the routes, at least.
            assert frozen > 50_000
            # A full collection now walks only what was made since, a small part of it.
            assert len(gc.get_objects()) < frozen // 10
            response = await client.get("/healthz")
            assert response.status_code == 200
    finally:
        gc.unfreeze()

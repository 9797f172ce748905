"""Each command imports what it needs: ``render`` works without the database layer or the web
framework loaded, so it starts without paying for them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from service.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'litestar', 'advanced_alchemy', 'sqlalchemy', 'uvicorn', 'alembic'})
print('LOADED=' + ','.join(heavy))
sys.exit(code)
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_render_loads_neither_the_database_layer_nor_the_web_framework(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(
        (ROOT / "examples" / "solar-2024.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run("render", str(answers), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "LOADED=\n" in result.stdout
    assert (tmp_path / "out" / "Cover Letter.docx").stat().st_size > 0


def test_help_still_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "service", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    for command in ("serve", "db", "render", "keys"):
        assert command in result.stdout


def test_serve_help_offers_workers():
    result = subprocess.run(
        [sys.executable, "-m", "service", "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert "--workers" in result.stdout


def test_worker_count_defaults_to_the_cores():
    import os

    from service.cli.serve import worker_count

    assert worker_count(3) == 3
    assert worker_count(0) == len(os.sched_getaffinity(0))


def test_serve_limits_malloc_arenas_for_itself_and_its_workers(monkeypatch):
    import os

    from service.cli.serve import fewer_malloc_arenas

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    fewer_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "2"
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    fewer_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "4"


def test_a_command_is_imported_with_the_collector_off_and_runs_with_it_on(monkeypatch):
    import gc
    import types

    from service import cli

    seen = {}

    def add_parser(commands):
        seen["importing"] = gc.isenabled()
        commands.add_parser("probe").set_defaults(
            run=lambda args: seen.update(running=gc.isenabled())
        )

    monkeypatch.setitem(cli.COMMANDS, "probe", "probe")
    monkeypatch.setitem(
        sys.modules, "service.cli.probe", types.SimpleNamespace(add_parser=add_parser)
    )
    assert cli.main(["probe"]) == 0
    # Importing makes what lives as long as the process: collecting then was wasted work.
    assert seen == {"importing": False, "running": True}
    assert gc.isenabled()

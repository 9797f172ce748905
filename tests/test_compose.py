"""No Docker engine runs here, so compose.yaml is checked for what it says: it parses, runs the
service with PostgreSQL, and sets only settings the service actually reads."""

from pathlib import Path

import yaml

from service.settings import ENVIRONMENT, Settings

REPO = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text())


class TestCompose:
    def test_app_environment_names_are_settings(self):
        environment = compose()["services"]["app"]["environment"]
        assert set(environment) <= set(ENVIRONMENT.values()), set(environment) - set(
            ENVIRONMENT.values()
        )

    def test_app_settings_parse_and_point_at_the_db_service(self):
        services = compose()["services"]
        settings = Settings.from_env({k: str(v) for k, v in services["app"]["environment"].items()})
        db = services["db"]["environment"]
        assert settings.database_url == (
            f"postgresql+asyncpg://{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@db:5432/{db['POSTGRES_DB']}"
        )
        assert not settings.is_sqlite

    def test_app_migrates_on_start_and_waits_for_a_healthy_database(self):
        app = compose()["services"]["app"]
        assert app["command"][:4] == ["python", "-m", "service", "serve"]
        assert "--no-migrate" not in app["command"]
        assert app["depends_on"]["db"]["condition"] == "service_healthy"

    def test_database_data_lives_in_a_named_volume(self):
        document = compose()
        volume = document["services"]["db"]["volumes"][0].split(":")[0]
        assert volume in document["volumes"]

    def test_dockerfile_copies_what_the_service_reads_at_run_time(self):
        dockerfile = (REPO / "Dockerfile").read_text()
        for folder in ("service", "templates", "schemas"):
            assert f"COPY {folder} ./{folder}" in dockerfile


class TestSettings:
    def test_defaults_use_the_embedded_database(self):
        settings = Settings.from_env({})
        assert settings.database_url.startswith("sqlite+aiosqlite:///")
        assert settings.sqlite_path().name == "filing-assembler.db"

    def test_bad_number_names_the_variable(self):
        try:
            Settings.from_env({"PORT": "eighty"})
        except ValueError as exc:
            assert "PORT" in str(exc)
        else:
            raise AssertionError("a bad PORT was accepted")

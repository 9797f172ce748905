"""A generated run against the published schema (/schema/openapi.json) with the ASGI app: no
request may get a server error, and no response may break the schema it is documented with.

One test per operation, each SCHEMATHESIS_EXAMPLES examples (50 unless set), so the whole run
stays well under two minutes. About half of the cases aim at a real, complete session, so that
more than 404s are seen; which ones is drawn by hypothesis with the case, and the run is
derandomized, so every run sends the same requests and a failure can be replayed.

Every check runs but one: "a request valid by the schema is accepted". The published schema
says what shape a request has; whether its values are right is the pack's to say (a pack name
that exists, answers its own JSON Schema takes, a certification signed by an attorney), and a
request of the right shape with wrong values is rightly refused with 422 and a path per value.

Nothing happens at import: the operations are listed when the tests are collected, from an app
that never opens its (in-memory) database, and the app that is called is built by a fixture
on a database of the test run's own temporary folder.
"""

from __future__ import annotations

import functools
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis.checks import positive_data_acceptance
from schemathesis.python import asgi

from service.app import create_app
from service.settings import Settings
from service.storage.database import upgrade
from tests.conftest import create_key, run_outside_the_test_loop

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "50"))


def _settings(database_url: str) -> Settings:
    # PDFs come from the run's shared converter (``real``), not one this app would start.
    return Settings(
        database_url=database_url, log_format="json", log_level="CRITICAL", pdf_converter="off"
    )


def _operations(app) -> dict:
    schema = schemathesis.openapi.from_dict(app.openapi_schema.to_schema())
    schema.app = app
    return {op.label: op for op in (result.ok() for result in schema.get_all_operations())}


@functools.cache
def published_labels() -> tuple[str, ...]:
    return tuple(
        sorted(
            _operations(create_app(_settings("sqlite+aiosqlite:///:memory:"), configure_logs=False))
        )
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "label" in metafunc.fixturenames:
        metafunc.parametrize("label", published_labels())


@pytest.fixture(scope="module")
def real(_solar_answers, tmp_path_factory, converter):
    """The app, its operations, an API key, and a complete session with documents that half
    of the cases aim at."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('schemathesis') / 'db.sqlite'}"
    upgrade(url)
    app = create_app(_settings(url), configure_logs=False)
    app.state["pdf_converter"] = converter
    key = run_outside_the_test_loop(lambda: create_key(url, "schemathesis"))
    headers = {"Authorization": f"Bearer {key}"}
    client = asgi.get_client(app)
    with client:
        session = client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": _solar_answers},
            headers=headers,
        ).json()
        documents = client.post(f"/api/sessions/{session['id']}/documents", headers=headers).json()
    yield {
        "operations": _operations(app),
        "headers": headers,
        "session_id": session["id"],
        "document_id": documents[0]["id"],
    }
    asgi.shutdown_lifespans()


def test_the_schema_is_read():
    assert {
        "POST /api/sessions",
        "PATCH /api/sessions/{session_id}/answers",
        "POST /api/webhooks",
    } <= set(published_labels())


def test_the_api_keeps_its_published_promises(label, real):
    operation = real["operations"][label]

    @given(case=operation.as_strategy(), aimed=strategies.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case, aimed):
        if aimed and case.path_parameters and operation.method != "delete":
            if "session_id" in case.path_parameters:
                case.path_parameters["session_id"] = real["session_id"]
            if "document_id" in case.path_parameters:
                case.path_parameters["document_id"] = real["document_id"]
        case.call_and_validate(headers=real["headers"], excluded_checks=[positive_data_acceptance])

    check()

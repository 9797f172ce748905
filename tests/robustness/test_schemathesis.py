"""A generated run against the published schema (/schema/openapi.json) with the ASGI app: no
request may get a server error, and no response may break the schema it is documented with.

One test per operation, each SCHEMATHESIS_EXAMPLES examples (50 unless set), so the whole run
stays well under two minutes. Half of the cases aim at a real, complete session, so that more
than 404s are seen.

Every check runs but one: "a request valid by the schema is accepted". The published schema
says what shape a request has; whether its values are right is the pack's to say (a pack name
that exists, answers its own JSON Schema takes, a certification signed by an attorney), and a
request of the right shape with wrong values is rightly refused with 422 and a path per value.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.python import asgi

from service.app import create_app
from service.settings import Settings
from service.storage.database import upgrade
from tests.conftest import create_key, run_outside_the_test_loop

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "50"))
# The app is made at import, to read its schema; its database is made before the first call.
DATABASE = Path(tempfile.mkdtemp(prefix="fa-schemathesis-")) / "db.sqlite"
APP = create_app(Settings(database_url=f"sqlite+aiosqlite:///{DATABASE}", log_format="json", log_level="CRITICAL"), configure_logs=False)
SCHEMA = schemathesis.openapi.from_dict(APP.openapi_schema.to_schema())
SCHEMA.app = APP
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture(scope="module")
def real(_solar_answers):
    """An API key, and a complete session with documents that half of the cases aim at."""
    url = f"sqlite+aiosqlite:///{DATABASE}"
    upgrade(url)
    key = run_outside_the_test_loop(lambda: create_key(url, "schemathesis"))
    headers = {"Authorization": f"Bearer {key}"}
    client = asgi.get_client(APP)
    with client:
        session = client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": _solar_answers}, headers=headers).json()
        documents = client.post(f"/api/sessions/{session['id']}/documents", headers=headers).json()
    yield {"headers": headers, "session_id": session["id"], "document_id": documents[0]["id"]}
    asgi.shutdown_lifespans()


def test_the_schema_is_read():
    assert {"POST /api/sessions", "PATCH /api/sessions/{session_id}/answers", "POST /api/webhooks"} <= set(OPERATIONS)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_api_keeps_its_published_promises(label, real):
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        aimed = hash(repr(case.body)) % 2 == 0
        if aimed and case.path_parameters and operation.method != "delete":
            if "session_id" in case.path_parameters:
                case.path_parameters["session_id"] = real["session_id"]
            if "document_id" in case.path_parameters:
                case.path_parameters["document_id"] = real["document_id"]
        case.call_and_validate(headers=real["headers"], excluded_checks=[positive_data_acceptance])

    check()

"""Who may call the JSON API: a Bearer key is required, scopes are enforced, and someone
else's session is "not found", never "forbidden"."""

import pytest

from tests.conftest import bearer

PROBLEM_JSON = "application/problem+json"
NO_ID = "00000000-0000-0000-0000-000000000000"


async def create(client, key, answers=None):
    response = await client.post(
        "/api/sessions",
        json={"pack": "adcvd-petition", "answers": answers or {}},
        headers=bearer(key),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
async def anonymous(client):
    """The suite's client without its admin key."""
    client.headers.pop("Authorization")
    return client


class TestAuthentication:
    async def test_without_a_key_is_401_problem(self, anonymous):
        response = await anonymous.get("/api/sessions")
        assert response.status_code == 401
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in response.json()["detail"]

    @pytest.mark.parametrize(
        "authorization",
        [
            "Bearer nonsense",
            "Bearer fa_0123456789ab_" + "A" * 43,  # well formed, no such key
            "Basic dXNlcjpwYXNz",
            "Bearer",
            "Bearer " + "x" * 10_000,
        ],
    )
    async def test_a_bad_key_is_401_problem(self, anonymous, authorization):
        response = await anonymous.get("/api/sessions", headers={"Authorization": authorization})
        assert response.status_code == 401
        assert response.headers["content-type"].startswith(PROBLEM_JSON)

    async def test_a_key_with_a_wrong_secret_is_refused(self, anonymous, make_key):
        key = await make_key(scopes="read")
        forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
        assert (await anonymous.get("/api/sessions", headers=bearer(forged))).status_code == 401
        assert (await anonymous.get("/api/sessions", headers=bearer(key))).status_code == 200

    async def test_a_revoked_key_is_refused_at_once(self, anonymous, make_key, database_url):
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        from service.auth import tokens
        from service.auth.service import KeyService

        key = await make_key(scopes="read")
        assert (await anonymous.get("/api/sessions", headers=bearer(key))).status_code == 200
        engine = create_async_engine(database_url)
        async with AsyncSession(engine) as db:
            await KeyService(db).revoke(tokens.key_id_of(key))
        await engine.dispose()
        assert (await anonymous.get("/api/sessions", headers=bearer(key))).status_code == 401

    async def test_health_and_the_schema_are_open(self, anonymous):
        assert (await anonymous.get("/healthz")).status_code == 200
        assert (await anonymous.get("/schema/openapi.json")).status_code == 200

    async def test_a_sign_in_cookie_does_not_open_the_api(self, anonymous, make_key):
        key = await make_key(scopes="read,write")
        page = await anonymous.get("/sign-in")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        signed = await anonymous.post(
            "/sign-in", data={"key": key, "next": "/", "_csrf_token": token}, follow_redirects=False
        )
        assert signed.status_code == 303
        assert (await anonymous.get("/")).status_code == 200
        assert (await anonymous.get("/api/sessions")).status_code == 401


class TestScopes:
    async def test_read_may_read_only(self, client, make_key, admin_key):
        reader = await make_key(scopes="read", owner="firm-a")
        writer = await make_key(scopes="write", owner="firm-a")
        session_id = await create(client, writer)
        assert (
            await client.get(f"/api/sessions/{session_id}", headers=bearer(reader))
        ).status_code == 200
        for response in (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition"}, headers=bearer(reader)
            ),
            await client.patch(
                f"/api/sessions/{session_id}/answers", json={}, headers=bearer(reader)
            ),
            await client.post(
                f"/api/sessions/{session_id}/reply", json={"text": "help"}, headers=bearer(reader)
            ),
            await client.delete(f"/api/sessions/{session_id}", headers=bearer(reader)),
        ):
            assert response.status_code == 403, response.text
            assert response.headers["content-type"].startswith(PROBLEM_JSON)
            assert response.json()["scope"] == "write"

    async def test_the_scope_is_checked_before_the_body_is_read(self, client, make_key):
        # As a guard was: a key that may not write learns nothing of what its body would get.
        reader = await make_key(scopes="read")
        for body in (b"{not json", b"[]"):
            response = await client.patch(
                f"/api/sessions/{NO_ID}/answers",
                content=body,
                headers={**bearer(reader), "Content-Type": "application/json"},
            )
            assert response.status_code == 403, response.text
            assert response.json()["scope"] == "write"

    async def test_write_may_not_read_or_generate(self, client, make_key):
        writer = await make_key(scopes="write")
        session_id = await create(client, writer)
        assert (
            await client.get(f"/api/sessions/{session_id}", headers=bearer(writer))
        ).status_code == 403
        generate = await client.post(
            f"/api/sessions/{session_id}/documents", headers=bearer(writer)
        )
        assert generate.status_code == 403
        assert "'generate'" in generate.json()["detail"]

    async def test_generate_may_generate(self, client, make_key, solar_answers):
        key = await make_key(scopes="write,generate")
        session_id = await create(client, key, solar_answers)
        response = await client.post(f"/api/sessions/{session_id}/documents", headers=bearer(key))
        assert response.status_code == 201, response.text


class TestOwnership:
    async def test_someone_elses_session_is_not_found(self, client, make_key):
        ann = await make_key(scopes="read,write,generate", owner="ann")
        bob = await make_key(scopes="read,write,generate", owner="bob")
        session_id = await create(client, ann)
        for method, path, body in (
            ("GET", f"/api/sessions/{session_id}", None),
            ("GET", f"/api/sessions/{session_id}/next", None),
            ("PATCH", f"/api/sessions/{session_id}/answers", {"filing": {"total_pages": 3}}),
            ("POST", f"/api/sessions/{session_id}/reply", {"text": "April 24, 2024"}),
            ("POST", f"/api/sessions/{session_id}/documents", None),
            ("GET", f"/api/sessions/{session_id}/documents", None),
            ("GET", f"/api/sessions/{session_id}/documents.zip", None),
            ("DELETE", f"/api/sessions/{session_id}", None),
        ):
            theirs = await client.request(method, path, json=body, headers=bearer(bob))
            nobodys = await client.request(
                method, path.replace(session_id, NO_ID), json=body, headers=bearer(bob)
            )
            assert theirs.status_code == nobodys.status_code == 404, (method, path, theirs.text)
            assert theirs.json()["detail"] == nobodys.json()["detail"]
        assert (await client.get(f"/api/sessions/{session_id}", headers=bearer(ann))).json()[
            "revision"
        ] == 1

    async def test_lists_show_ones_own_and_admin_sees_all(self, client, make_key, admin_key):
        ann = await make_key(owner="ann", scopes="read,write")
        ann_again = await make_key(owner="ann", scopes="read")
        bob = await make_key(owner="bob", scopes="read,write")
        mine = {await create(client, ann), await create(client, ann)}
        theirs = await create(client, bob)
        listed = lambda response: {item["id"] for item in response.json()["items"]}  # noqa: E731
        assert listed(await client.get("/api/sessions", headers=bearer(ann))) == mine
        assert (
            listed(await client.get("/api/sessions", headers=bearer(ann_again))) == mine
        )  # same owner
        assert listed(await client.get("/api/sessions", headers=bearer(bob))) == {theirs}
        assert listed(await client.get("/api/sessions", headers=bearer(admin_key))) == mine | {
            theirs
        }

    async def test_the_answer_log_names_the_key(self, client, make_key, database_url):
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        from service.auth import tokens

        key = await make_key(owner="ann", scopes="read,write")
        session_id = await create(client, key, {"filing": {"date": "2024-04-24"}})
        engine = create_async_engine(database_url)
        async with engine.connect() as connection:
            actors = (
                (await connection.execute(text("SELECT DISTINCT actor FROM answer_change")))
                .scalars()
                .all()
            )
            owner = (
                await connection.execute(text("SELECT owner FROM interview_session"))
            ).scalar_one()
        await engine.dispose()
        assert actors == [f"key:{tokens.key_id_of(key)}"]
        assert owner == "ann"
        assert session_id


class TestScopesHoldInAnswers:
    """A write-only key sends answers and never gets them back."""

    async def test_writes_answer_without_the_answers(self, client, make_key, solar_answers):
        writer = await make_key(scopes="write", owner="portal")
        created = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": solar_answers},
            headers=bearer(writer),
        )
        assert created.status_code == 201
        assert created.json()["answers"] == {}
        session_id = created.json()["id"]
        patched = await client.patch(
            f"/api/sessions/{session_id}/answers",
            json={"filing": {"total_pages": 14}},
            headers=bearer(writer),
        )
        assert patched.status_code == 200
        assert patched.json()["answers"] == {}
        assert "Wiley" not in patched.text
        reader = await make_key(scopes="read,write", owner="portal")
        patched = await client.patch(
            f"/api/sessions/{session_id}/answers",
            json={"filing": {"total_pages": 15}},
            headers=bearer(reader),
        )
        assert patched.json()["answers"]["counsel"]["firm"] == "Wiley Rein LLP"

    async def test_an_empty_patch_reveals_nothing_and_changes_nothing(
        self, client, make_key, solar_answers
    ):
        writer = await make_key(scopes="write", owner="portal")
        session_id = await create(client, writer, solar_answers)
        patched = await client.patch(
            f"/api/sessions/{session_id}/answers", json={}, headers=bearer(writer)
        )
        assert patched.status_code == 200
        assert patched.json()["answers"] == {}
        assert patched.json()["revision"] == 1

    async def test_the_chat_review_needs_read(self, client, make_key, solar_answers):
        writer = await make_key(scopes="write", owner="portal")
        session_id = await create(client, writer, solar_answers)
        refused = await client.post(
            f"/api/sessions/{session_id}/reply", json={"text": " Review "}, headers=bearer(writer)
        )
        assert refused.status_code == 403
        assert refused.json()["scope"] == "read"
        assert "Wiley" not in refused.text
        answered = await client.post(
            f"/api/sessions/{session_id}/reply", json={"text": "help"}, headers=bearer(writer)
        )
        assert answered.status_code == 200
        assert "Wiley" not in answered.text

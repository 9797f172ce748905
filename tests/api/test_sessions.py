"""The JSON API of sessions: create, read, list, merge answers, refuse bad values, delete."""

import pytest

PROBLEM_JSON = "application/problem+json"


async def create(client, answers=None):
    response = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers or {}}
    )
    assert response.status_code == 201, response.text
    return response.json()


class TestPacks:
    async def test_lists_the_petition_pack_with_its_version(self, client):
        response = await client.get("/api/packs")
        assert response.status_code == 200
        (pack,) = [p for p in response.json() if p["name"] == "adcvd-petition"]
        assert pack["version"] == "1.0.0"
        assert [s["id"] for s in pack["steps"]][:2] == ["filing", "product"]

    async def test_openapi_is_served(self, client):
        response = await client.get("/schema/openapi.json")
        assert response.status_code == 200
        document = response.json()
        assert document["openapi"].startswith("3.1")
        assert "/api/sessions/{session_id}/answers" in document["paths"]


class TestCreate:
    async def test_new_session_reports_progress_and_what_is_missing(self, client):
        session = await create(client)
        assert session["revision"] == 1
        assert session["status"] == "in_progress"
        assert session["progress"]["answered"] < session["progress"]["required"]
        assert {"path": "filing.date", "severity": "error", "code": "required"}.items() <= session[
            "problems"
        ][0].items()

    async def test_prefilled_answers_are_kept(self, client):
        session = await create(client, {"filing": {"date": "2024-04-24"}})
        assert session["answers"] == {"filing": {"date": "2024-04-24"}}

    async def test_sets_location_and_etag(self, client):
        response = await client.post("/api/sessions", json={"pack": "adcvd-petition"})
        assert response.headers["location"] == f"/api/sessions/{response.json()['id']}"
        assert response.headers["etag"] == '"1"'

    async def test_unknown_pack_is_a_problem_with_a_path(self, client):
        response = await client.post("/api/sessions", json={"pack": "nope"})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert response.json()["errors"][0]["path"] == "pack"

    async def test_bad_prefill_is_refused_with_paths(self, client):
        response = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": {"filing": {"total_pages": "thirteen"}}},
        )
        assert response.status_code == 422
        assert [e["path"] for e in response.json()["errors"]] == ["filing.total_pages"]
        listing = await client.get("/api/sessions", params={"count": "true"})
        assert listing.json()["total"] == 0


class TestPatchAnswers:
    async def test_merges_and_reports_open_problems(self, client):
        session = await create(client, {"filing": {"date": "2024-04-24"}})
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers", json={"filing": {"total_pages": 13}}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["answers"]["filing"] == {"date": "2024-04-24", "total_pages": 13}
        assert body["revision"] == 2
        assert response.headers["etag"] == '"2"'

    async def test_a_bad_value_refuses_the_whole_request(self, client):
        session = await create(client, {"filing": {"date": "2024-04-24"}})
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={
                "filing": {"total_pages": 14},
                "counsel": {"attorneys": [{"name": "A"}, {"name": "B"}, {"name": ""}]},
                "countries": [{"name": "Cambodia", "ad_case": "A-555-3"}],
            },
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        problems = {e["path"]: e["message"] for e in response.json()["errors"]}
        assert set(problems) == {"counsel.attorneys[2].name", "countries[0].ad_case"}
        assert problems["counsel.attorneys[2].name"] == "Attorney 3, Name: must not be empty"
        after = (await client.get(f"/api/sessions/{session['id']}")).json()
        assert after["answers"] == {"filing": {"date": "2024-04-24"}}
        assert after["revision"] == 1

    async def test_missing_and_inconsistent_answers_are_saved(self, client):
        session = await create(client)
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers",
            json={"representative_certification": {"name": "Timothy C. Brightbill"}},
        )
        assert response.status_code == 200
        paths = [p["path"] for p in response.json()["problems"]]
        assert "representative_certification.capacity" in paths

    async def test_body_that_is_not_an_object_is_a_problem(self, client):
        session = await create(client)
        response = await client.patch(
            f"/api/sessions/{session['id']}/answers", json=["not", "an", "object"]
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith(PROBLEM_JSON)

    async def test_unknown_session_is_404(self, client):
        response = await client.patch(
            "/api/sessions/00000000-0000-0000-0000-000000000000/answers", json={}
        )
        assert response.status_code == 404
        assert response.headers["content-type"].startswith(PROBLEM_JSON)


class TestListAndRead:
    async def test_list_is_paginated(self, client):
        for _ in range(3):
            await create(client)
        page = (await client.get("/api/sessions", params={"limit": 2, "count": "true"})).json()
        assert page["total"] == 3
        assert len(page["items"]) == 2
        rest = (await client.get("/api/sessions", params={"limit": 2, "offset": 2})).json()
        assert len(rest["items"]) == 1
        assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in rest["items"]})

    @pytest.mark.parametrize("limit", [0, 201])
    async def test_limit_out_of_range_is_refused(self, client, limit):
        response = await client.get("/api/sessions", params={"limit": limit})
        assert response.status_code == 400


class TestDelete:
    async def test_removes_the_session(self, client):
        session = await create(client)
        assert (await client.delete(f"/api/sessions/{session['id']}")).status_code == 204
        assert (await client.get(f"/api/sessions/{session['id']}")).status_code == 404

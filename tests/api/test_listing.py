"""The list of interviews: keyset pages by cursor, filters, title search, the total on request,
and rows that carry their stored summary but never the answers."""

import datetime as dt

import pytest

from tests.api.test_sessions import create

SOLAR_TITLE_PART = "photovoltaic"


async def listing(client, **params):
    response = await client.get("/api/sessions", params=params)
    assert response.status_code == 200, response.text
    return response.json()


class TestCursor:
    async def test_pages_by_cursor_cover_every_session_once_newest_first(self, client):
        made = [(await create(client))["id"] for _ in range(7)]
        seen, cursor, pages = [], None, 0
        while True:
            page = await listing(client, limit=3, **({"cursor": cursor} if cursor else {}))
            seen += [item["id"] for item in page["items"]]
            pages += 1
            cursor = page["next"]
            if cursor is None:
                break
        assert pages == 3
        assert sorted(seen) == sorted(made)
        assert seen == list(reversed(made))

    async def test_a_write_moves_a_session_to_the_top(self, client):
        first = await create(client)
        await create(client)
        await client.patch(
            f"/api/sessions/{first['id']}/answers", json={"filing": {"total_pages": 13}}
        )
        page = await listing(client)
        assert page["items"][0]["id"] == first["id"]
        assert page["items"][0]["revision"] == 2

    async def test_last_page_has_no_next(self, client):
        await create(client)
        page = await listing(client, limit=5)
        assert page["next"] is None
        assert len(page["items"]) == 1

    @pytest.mark.parametrize("cursor", ["nonsense", "W10", "WyJ4IiwieSJd"])
    async def test_a_cursor_not_handed_out_is_a_400_naming_it(self, client, cursor):
        response = await client.get("/api/sessions", params={"cursor": cursor})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["path"] for e in response.json()["errors"]] == ["cursor"]

    async def test_offset_still_works_beside_the_cursor(self, client):
        made = [(await create(client))["id"] for _ in range(3)]
        page = await listing(client, limit=1, offset=1)
        assert [i["id"] for i in page["items"]] == [made[1]]


class TestRows:
    async def test_rows_carry_their_summary_and_no_answers(self, client, solar_answers):
        session = await create(client, solar_answers)
        (item,) = (await listing(client))["items"]
        assert "answers" not in item and "problems" not in item
        assert item["status"] == session["status"] == "complete"
        assert item["title"] == session["title"]
        assert item["progress"] == session["progress"]
        warnings = sum(1 for p in session["problems"] if p["severity"] == "warning")
        assert (item["open_errors"], item["open_warnings"]) == (0, warnings)

    async def test_total_only_on_request(self, client):
        await create(client)
        assert (await listing(client))["total"] is None
        assert (await listing(client, count="true"))["total"] == 1


class TestFilters:
    async def test_by_status(self, client, solar_answers):
        complete = await create(client, solar_answers)
        started = await create(client)
        assert [i["id"] for i in (await listing(client, status="complete"))["items"]] == [
            complete["id"]
        ]
        assert [i["id"] for i in (await listing(client, status="in_progress"))["items"]] == [
            started["id"]
        ]

    async def test_unknown_status_is_refused(self, client):
        response = await client.get("/api/sessions", params={"status": "done"})
        assert response.status_code == 400

    async def test_by_pack(self, client):
        await create(client)
        assert len((await listing(client, pack="adcvd-petition"))["items"]) == 1
        assert (await listing(client, pack="other"))["items"] == []

    async def test_title_search_ignores_case_and_takes_wildcards_literally(
        self, client, solar_answers
    ):
        solar = await create(client, solar_answers)
        await create(client)
        assert SOLAR_TITLE_PART in solar["title"].lower()
        found = await listing(client, q=SOLAR_TITLE_PART.upper())
        assert [i["id"] for i in found["items"]] == [solar["id"]]
        assert (await listing(client, q="%"))["items"] == []

    async def test_filters_and_cursor_together(self, client, solar_answers):
        made = [(await create(client, solar_answers))["id"] for _ in range(3)]
        await create(client)
        page = await listing(client, status="complete", limit=2)
        rest = await listing(client, status="complete", limit=2, cursor=page["next"])
        assert [i["id"] for i in page["items"] + rest["items"]] == list(reversed(made))
        assert rest["next"] is None


class TestOwners:
    async def test_a_key_lists_only_its_owners_sessions(self, client, make_key):
        await create(client)
        other = await make_key(scopes="read,write")
        headers = {"Authorization": f"Bearer {other}"}
        mine = await client.post("/api/sessions", json={"pack": "adcvd-petition"}, headers=headers)
        page = (await client.get("/api/sessions", headers=headers)).json()
        assert [i["id"] for i in page["items"]] == [mine.json()["id"]]


def test_cursor_round_trip():
    import uuid

    from service.sessions.listing import Cursor

    cursor = Cursor(dt.datetime(2026, 11, 25, 16, 0, 0, 123456, tzinfo=dt.UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor

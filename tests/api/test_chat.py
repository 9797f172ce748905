"""The chat-style API over the petition pack: parsing, refusing, the four command words."""


async def start(client, answers=None):
    response = await client.post("/api/sessions", json={"pack": "adcvd-petition", "answers": answers or {}})
    return response.json()["id"]


async def reply(client, session_id, text, **headers):
    response = await client.post(f"/api/sessions/{session_id}/reply", json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


class TestNext:
    async def test_first_question_has_everything_a_chat_needs(self, client):
        session_id = await start(client)
        body = (await client.get(f"/api/sessions/{session_id}/next")).json()
        question = body["question"]
        assert question["id"] == "filing.date"
        assert question["type"] == "date"
        assert question["example"] == "April 24, 2024"
        assert question["help"]
        assert body["complete"] is False


class TestReply:
    async def test_a_date_in_words_is_saved_as_a_date(self, client):
        session_id = await start(client)
        body = await reply(client, session_id, "April 24, 2024")
        assert body["saved"] is True
        assert body["question"]["id"] == "filing.total_pages"
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"] == {"filing": {"date": "2024-04-24"}}

    async def test_the_addressee_is_suggested_from_the_filing_date(self, client):
        session_id = await start(client, {"filing": {"date": "2025-06-01", "total_pages": 10, "version": "public"}})
        question = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        assert question["id"] == "addressees.commerce_secretary"
        assert question["default"] == "Howard Lutnick"
        await reply(client, session_id, "ok")
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["addressees"] == {"commerce_secretary": "Howard Lutnick"}

    async def test_nonsense_is_explained_and_nothing_is_saved(self, client):
        session_id = await start(client)
        body = await reply(client, session_id, "sometime soon")
        assert body["saved"] is False
        assert "is not a date" in body["message"]
        assert body["problems"][0]["path"] == "filing.date"
        assert body["question"]["id"] == "filing.date"
        assert body["revision"] == 2  # the conversation's own state is still written

    async def test_page_lists_are_parsed_as_lawyers_write_them(self, client, solar_answers):
        answers = {k: v for k, v in solar_answers.items() if k not in ("volumes", "company_certifications", "representative_certification", "counsel_certification")}
        answers["volumes"] = [{"numeral": "I", "title": "General Information and Injury", "kind": "general", "has_bpi": True, "bpi_items": [{"paragraph": 11}]}]
        session_id = await start(client, answers)
        question = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        assert question["id"] == "volumes[0].bpi_items[0].pages"
        await reply(client, session_id, "3, 4, 6-9")
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["volumes"][0]["bpi_items"][0]["pages"] == [3, 4, 6, 7, 8, 9]

    async def test_help_back_skip_review(self, client):
        session_id = await start(client)
        helped = await reply(client, session_id, "help")
        assert "For example: April 24, 2024" in helped["message"]
        await reply(client, session_id, "April 24, 2024")
        skipped = await reply(client, session_id, "skip")
        assert "cannot be skipped" in skipped["message"]
        back = await reply(client, session_id, "back")
        assert back["question"]["id"] == "filing.date"
        assert back["question"]["current"] == "2024-04-24"
        await reply(client, session_id, "April 25, 2024")
        review = await reply(client, session_id, "review")
        first = review["review"][0]["answers"][0]
        assert (first["path"], first["value"]) == ("filing.date", "April 25, 2024")

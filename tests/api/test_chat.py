"""The chat-style API over the petition pack: parsing, refusing, the four command words."""


async def start(client, answers=None):
    response = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers or {}}
    )
    return response.json()["id"]


async def reply(client, session_id, text, **headers):
    response = await client.post(
        f"/api/sessions/{session_id}/reply", json={"text": text}, headers=headers
    )
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
        session_id = await start(
            client, {"filing": {"date": "2025-06-01", "total_pages": 10, "version": "public"}}
        )
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
        assert body["revision"] == 1  # nothing changed, so nothing was written

    async def test_page_lists_are_parsed_as_lawyers_write_them(self, client, solar_answers):
        answers = {
            k: v
            for k, v in solar_answers.items()
            if k
            not in (
                "volumes",
                "company_certifications",
                "representative_certification",
                "counsel_certification",
            )
        }
        # The BPI list is left to the chat: a list a portal sends whole settles its optional answers.
        answers["volumes"] = [
            {
                "numeral": "I",
                "title": "General Information and Injury",
                "kind": "general",
                "has_bpi": True,
            }
        ]
        answers["product"]["in_text"] = "c-Si PV cells"  # else its suggestion is offered first
        session_id = await start(client, answers)
        await reply(client, session_id, "11")
        question = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        assert question["id"] == "volumes[0].bpi_items[0].pages"
        assert question["prompt"].startswith(
            "Volume I (General Information and Injury), BPI item 1 — Which pages?"
        )
        await reply(client, session_id, "3, 4, 6-9")
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["volumes"][0]["bpi_items"][0]["pages"] == [3, 4, 6, 7, 8, 9]

    async def test_help_back_skip_review(self, client):
        session_id = await start(client)
        helped = await reply(client, session_id, "help")
        assert "For example: April 24, 2024" in helped["message"]
        await reply(client, session_id, "April 24, 2024")
        # The page count is optional (the service counts the pages); the version is not.
        assert (await reply(client, session_id, "skip"))["question"]["id"] == "filing.version"
        skipped = await reply(client, session_id, "skip")
        assert "cannot be skipped" in skipped["message"]
        back = await reply(client, session_id, "back")
        assert back["question"]["id"] == "filing.date"
        assert back["question"]["current"] == "2024-04-24"
        await reply(client, session_id, "April 25, 2024")
        review = await reply(client, session_id, "review")
        first = review["review"][0]["answers"][0]
        assert (first["path"], first["value"]) == ("filing.date", "April 25, 2024")

    async def test_no_to_a_differing_date_asks_for_the_date_again(self, client, solar_answers):
        solar_answers["counsel_certification"]["date"] = "2024-04-20"
        session_id = await start(client, solar_answers)
        for _ in range(40):
            asked = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
            if asked["id"] == "counsel_certification.date_confirmed":
                break
            await reply(client, session_id, "no" if asked["id"].endswith("#more") else "skip")
        else:
            raise AssertionError("the confirmation was never asked")
        assert "dated differently" in asked["prompt"]
        said_no = await reply(client, session_id, "no")
        assert said_no["saved"] is True
        assert said_no["question"]["id"] == "counsel_certification.date"
        assert (
            "you answered that this date is not right, so change it to April 24, 2024"
            in said_no["message"]
        )
        assert [p["path"] for p in said_no["problems"]] == ["counsel_certification.date"]
        fixed = await reply(client, session_id, "April 24, 2024")
        assert fixed["saved"] is True
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["counsel_certification"]["date"] == "2024-04-24"
        assert "counsel_certification.date" not in [p["path"] for p in session["problems"]]


class TestTruthful:
    """What issue 11 checks through `/reply`."""

    async def test_a_blocking_error_is_never_complete(self, client, solar_answers):
        del solar_answers["volumes"][5]  # Cambodia's CVD allegation; its case number stays
        solar_answers["product"]["in_text"] = "c-Si PV cells"
        session_id = await start(client, solar_answers)
        body = (await client.get(f"/api/sessions/{session_id}/next")).json()
        assert body["complete"] is False
        assert body["progress"]["percent"] < 100
        question = body["question"]
        assert question["blocking"] is True and question["id"] == "countries[0].cvd_case"
        for text in ("C-555-004", "skip", "C-555-004"):
            answered = await reply(client, session_id, text)
            assert "complete" not in answered["message"]
            assert answered["question"]["id"] == "countries[0].cvd_case"
        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 409

    async def test_a_reply_that_breaks_a_rule_elsewhere_names_it(self, client, solar_answers):
        del solar_answers["countries"][2]["ad_case"]
        solar_answers["product"]["in_text"] = "c-Si PV cells"
        session_id = await start(
            client, {k: v for k, v in solar_answers.items() if k != "countries"}
        )
        # The chat itself asks the countries: answer the first three as the 2024 case did.
        replies = []
        for country in solar_answers["countries"][:2]:
            replies += [country["name"], country["ad_case"], country["cvd_case"], "yes"]
        replies += ["Thailand"]
        for text in replies:
            await reply(client, session_id, text)
        body = await reply(client, session_id, "A-552-851")
        assert body["saved"] is True
        assert body["message"].startswith("Saved: A-552-851. But this answer raised a problem:")
        assert body["problems"][0]["path"] == "countries[2].ad_case"
        assert "552 (Vietnam)" in body["problems"][0]["message"]

    async def test_a_list_of_days_is_not_a_date(self, client):
        session_id = await start(client)
        body = await reply(client, session_id, "5-7, 12")
        assert body["saved"] is False
        assert "not one date" in body["message"]
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"] == {}

    async def test_remove_takes_out_an_item_added_by_mistake(self, client, solar_answers):
        solar_answers["product"]["in_text"] = "c-Si PV cells"
        attorneys = solar_answers["counsel"].pop("attorneys")
        session_id = await start(client, solar_answers)
        for text in (attorneys[0]["name"], "yes"):
            await reply(client, session_id, text)
        body = await reply(client, session_id, "remove")
        assert body["message"] == "Removed Attorney 2."
        session = (await client.get(f"/api/sessions/{session_id}")).json()
        assert session["answers"]["counsel"]["attorneys"] == [{"name": attorneys[0]["name"]}]

    async def test_help_review_and_next_leave_the_etag_unchanged(self, client):
        session_id = await start(client)
        before = (await client.get(f"/api/sessions/{session_id}")).headers["etag"]
        for text in ("help", "review"):
            response = await client.post(
                f"/api/sessions/{session_id}/reply",
                json={"text": text},
                headers={"If-Match": before},
            )
            assert response.status_code == 200
            assert response.headers["etag"] == before
        assert (await client.get(f"/api/sessions/{session_id}/next")).headers["etag"] == before
        saved = await client.post(
            f"/api/sessions/{session_id}/reply",
            json={"text": "April 24, 2024"},
            headers={"If-Match": before},
        )
        assert saved.status_code == 200 and saved.headers["etag"] != before


class TestNeverCompleteWhileAnItemBlocks:
    """A rule's error at an item as a whole (an item that cites nothing) has no question of its
    own: the chat asks the item's unanswered question, and never says complete meanwhile."""

    async def test_an_item_that_cites_nothing_is_asked_for_what_it_cites(
        self, client, solar_answers
    ):
        solar_answers["volumes"][0]["bpi_items"] = []
        solar_answers["product"]["in_text"] = "c-Si PV cells"
        created = await client.post(
            "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
        )
        session_id = created.json()["id"]
        assert (await client.get(f"/api/sessions/{session_id}/next")).json()["question"][
            "id"
        ] == "volumes[0].bpi_items[0].paragraph"
        turn = (await client.post(f"/api/sessions/{session_id}/reply", json={"text": "11"})).json()
        assert [p["code"] for p in turn["problems"]] == ["bpi.empty_item"]
        assert turn["question"]["id"] == "volumes[0].bpi_items[0].pages"
        assert turn["question"]["blocking"] is True
        asked = (await client.get(f"/api/sessions/{session_id}/next")).json()
        assert asked["complete"] is False
        assert asked["question"]["id"] == "volumes[0].bpi_items[0].pages"
        assert "cites no page, exhibit or Exhibit List" in asked["question"]["prompt"]

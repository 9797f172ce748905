"""What htmx sends as each field changes (issue 11): saved with the same checks and words as
the API, the page's revision as If-Match, and the page drawn again when a choice opens
questions. Without JavaScript nothing of this is used; the Save buttons work as before."""

from __future__ import annotations

import copy

from tests.web.pages import answers_of, document, form_values, start


async def autosave(
    client, session_id: str, step: str, changes: dict[str, str], page_text: str | None = None
):
    page_text = page_text or (await client.get(f"/sessions/{session_id}/steps/{step}")).text
    values = {**form_values(page_text), **changes}
    return await client.post(
        f"/sessions/{session_id}/steps/{step}/autosave", data=values, headers={"HX-Request": "true"}
    )


class TestAutosave:
    async def test_a_change_is_saved_and_the_new_revision_handed_back(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        saved = await autosave(client, session_id, "filing", {"filing.total_pages": "14"})
        assert saved.status_code == 200
        assert "All changes saved." in saved.text
        revision = document(saved.text).xpath('//input[@id="revision"]')[0]
        assert revision.get("hx-swap-oob") == "true" and revision.get("value") == "2"
        assert (await answers_of(client, session_id))["filing"]["total_pages"] == 14
        # The steps beside the form are brought up to date with it.
        panel = document(saved.text).xpath('//aside[@id="session-panel"]')[0]
        assert panel.get("hx-swap-oob") == "true"

    async def test_progress_beside_the_form_counts_an_error_it_caused(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        saved = await autosave(client, session_id, "product", {"countries[2].ad_case": "A-552-851"})
        progress = document(saved.text).xpath('//aside[@id="session-panel"]//progress')[0]
        assert int(progress.get("value")) < int(progress.get("max"))
        assert "(100%)" not in saved.text

    async def test_a_value_the_api_refuses_is_said_in_the_same_words_and_not_saved(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        refused = await autosave(client, session_id, "filing", {"filing.date": "5-7, 12"})
        assert 'data-outcome="refused"' in refused.text
        text = document(refused.text).text_content()
        assert "Filing date: '5-7, 12' looks like a list or a range of days, not one date" in text
        assert (await answers_of(client, session_id))["filing"]["date"] == "2024-04-24"

    async def test_two_tabs_never_overwrite_each_other(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        first_tab = (await client.get(f"/sessions/{session_id}/steps/filing")).text
        second_tab = first_tab
        await autosave(client, session_id, "filing", {"filing.total_pages": "14"}, first_tab)
        stale = await autosave(
            client, session_id, "filing", {"filing.total_pages": "15"}, second_tab
        )
        assert 'data-outcome="stale"' in stale.text and "changed elsewhere" in stale.text
        assert (await answers_of(client, session_id))["filing"]["total_pages"] == 14

    async def test_a_choice_that_opens_questions_redraws_the_page(self, client, solar_answers):
        answers = copy.deepcopy(solar_answers)
        answers["consultants"] = {"included": False}
        session_id = await start(client, "adcvd-petition", answers)
        redrawn = await autosave(client, session_id, "counsel", {"consultants.included": "yes"})
        assert redrawn.headers["hx-retarget"] == "#layout"
        assert redrawn.headers["hx-reswap"] == "outerHTML"
        assert redrawn.headers["hx-reselect"] == "#layout"
        assert 'name="consultants.firm"' in redrawn.text


class TestPages:
    async def test_items_are_collapsed_and_the_page_loads_htmx_from_the_app(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        page = await client.get(f"/sessions/{session_id}/steps/volumes")
        tree = document(page.text)
        assert len(tree.xpath('//details[contains(@class, "item")]')) == 9 + 39
        assert tree.xpath('//details[contains(@class, "item")][@open]') == []
        scripts = tree.xpath("//script")
        assert [s.get("src") for s in scripts] == [
            "/static/vendor/htmx.min.js",
            "/static/interview.js",
        ]
        assert all(
            not (s.text or "").strip() for s in scripts
        )  # nothing inline: a strict CSP holds
        assert not tree.xpath(
            "//@*[starts-with(name(), 'on')] | //@*[starts-with(name(), 'hx-on')]"
        )
        assert (await client.get("/static/interview.js")).status_code == 200

    async def test_an_added_item_opens_and_shows_no_error_until_touched(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        page = (await client.get(url)).text
        added = await client.post(
            url, data={**form_values(page), "_action": "add:volumes"}, follow_redirects=False
        )
        assert added.headers["location"].endswith("?open=volumes%5B9%5D#f-volumes-9")
        shown = document((await client.get(added.headers["location"])).text)
        new = shown.xpath('//details[@id="f-volumes-9"]')[0]
        assert new.get("open") is not None
        assert new.xpath('.//*[contains(@class, "problems")]') == []

    async def test_the_favicon(self, client):
        icon = await client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


async def test_the_list_never_says_100_percent_while_an_error_is_open(client, solar_answers):
    answers = copy.deepcopy(solar_answers)
    answers["countries"][2]["ad_case"] = "A-552-851"  # 552 is Vietnam: an error
    await start(client, "adcvd-petition", answers)
    row = document((await client.get("/")).text).xpath(
        "//table[contains(@class, 'sessions')]//tr[td]"
    )[0]
    assert "100%" not in row.text_content() and "complete" not in row.text_content()

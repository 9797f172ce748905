"""The web pages over HTTP, on SQLite and PostgreSQL: what a person sees and what is saved."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.web.pages import (
    answers_of,
    csrf_token,
    document,
    form_values,
    problems_of,
    start,
    submit,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def assert_accessible(text: str) -> None:
    """Each input has a label tied to it, each description it points to exists, each form
    carries the CSRF token, radio buttons sit in a fieldset with a legend."""
    page = document(text)
    ids = set(page.xpath("//@id"))
    labelled = set(page.xpath("//label/@for"))
    assert page.xpath('//a[@class="skip-link"][@href="#main"]') and "main" in ids
    for element in page.xpath(
        "//input[not(@type='hidden') and not(@type='submit')] | //select | //textarea"
    ):
        assert element.get("id") in labelled, f"no label for {element.get('name')}"
        for described in (element.get("aria-describedby") or "").split():
            assert described in ids, f"{element.get('name')} points to a missing #{described}"
    for radio in page.xpath("//input[@type='radio']"):
        assert radio.xpath("ancestor::fieldset[1]/legend"), radio.get("name")
    for form in page.xpath("//form[@method='post']"):
        assert form.xpath(".//input[@type='hidden'][@name='_csrf_token']"), form.get("action")


class TestIndex:
    async def test_lists_interviews_and_starts_one_of_the_chosen_pack(self, client, solar_answers):
        listed = await client.post(
            "/api/sessions",
            json={"pack": "adcvd-petition", "answers": {"filing": solar_answers["filing"]}},
        )
        page = await client.get("/")
        assert page.status_code == 200
        assert_accessible(page.text)
        assert f'href="/sessions/{listed.json()["id"]}"' in page.text
        assert "AD/CVD petition packet" in page.text

        started = await client.post(
            "/sessions",
            data={"pack": "adcvd-petition", "_csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert started.status_code == 303
        assert started.headers["location"].endswith("/steps/filing")

    async def test_older_pages_follow_the_last_row_and_cover_every_interview_once(self, client):
        made = [
            (await client.post("/api/sessions", json={"pack": "adcvd-petition"})).json()["id"]
            for _ in range(53)
        ]
        first = document((await client.get("/")).text)
        (older,) = first.xpath("//a[normalize-space()='Older']/@href")
        assert not first.xpath("//a[normalize-space()='Newest']")
        second = document((await client.get(older)).text)
        assert not second.xpath("//a[normalize-space()='Older']")
        assert second.xpath("//a[normalize-space()='Newest']/@href") == ["/"]

        def listed(page):
            return [
                href.split("/")[2] for href in page.xpath("//table[@class='sessions']//th/a/@href")
            ]

        assert listed(first) + listed(second) == list(reversed(made))

    async def test_a_list_link_this_site_did_not_make_is_a_page_saying_so(self, client):
        page = await client.get("/", params={"cursor": "not-ours"})
        assert page.status_code == 400
        assert "The link is not one this site made" in document(page.text).text_content()

    async def test_an_unknown_pack_is_said_in_words(self, client):
        page = await client.get("/")
        refused = await client.post(
            "/sessions", data={"pack": "nothing", "_csrf_token": csrf_token(page.text)}
        )
        assert refused.status_code == 422
        assert "there is no template pack named 'nothing'" in document(refused.text).text_content()


class TestStepPages:
    async def test_every_step_of_the_petition_shows_its_questions(
        self, client, petition_pack, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        for step in petition_pack.steps:
            page = await client.get(f"/sessions/{session_id}/steps/{step.id}")
            assert page.status_code == 200, step.id
            assert_accessible(page.text)
            assert f"<h1>{step.title}</h1>" in page.text
        volumes = (await client.get(f"/sessions/{session_id}/steps/volumes")).text
        values = form_values(volumes)
        # Prefilled with what is saved, as a person would type it.
        assert values["volumes[0].bpi_items[4].pages"] == "3, 4, 7, 23, 36, 37, 42, 44, 47, 55"
        assert values["volumes[0].bpi_items[4].exhibit_list"] == "yes"
        assert values["volumes[1].kind"] == "AD"
        # Hidden by their conditions: a general volume's country, a volume without BPI's items.
        assert "volumes[0].country" not in values
        assert not any(name.startswith("volumes[5].bpi_items") for name in values)

    async def test_label_help_example_and_required_marker(self, client):
        session_id = await start(client, "adcvd-petition")
        page = document((await client.get(f"/sessions/{session_id}/steps/filing")).text)
        label = page.xpath('//label[@for="f-filing-date"]')[0].text_content()
        assert "On what date will the petition be filed?" in label and "(required)" in label
        assert "12 noon Eastern" in page.xpath('//*[@id="f-filing-date-help"]')[0].text_content()
        assert "April 24, 2024" in page.xpath('//*[@id="f-filing-date-example"]')[0].text_content()
        assert (
            page.xpath('//input[@id="f-filing-date"]')[0].get("aria-describedby")
            == "f-filing-date-help f-filing-date-example"
        )
        assert (
            page.xpath('//input[@name="filing.version"][@value="public"]')[0].get("checked")
            is not None
        )

    async def test_a_fixed_default_is_filled_in_one_drawn_from_other_answers_only_suggested(
        self, client
    ):
        session_id = await start(client, "adcvd-petition", {"filing": {"date": "2024-04-24"}})
        product = document((await client.get(f"/sessions/{session_id}/steps/product")).text)
        assert product.xpath('//input[@name="itc.cvd_numbers"]')[0].get("value") == "701-TA-__"
        filing = document((await client.get(f"/sessions/{session_id}/steps/filing")).text)
        secretary = filing.xpath('//input[@name="addressees.commerce_secretary"]')[0]
        assert secretary.get("value") == "" and secretary.get("placeholder") == "Gina M. Raimondo"
        assert (
            "Left empty, this will be: Gina M. Raimondo"
            in filing.xpath('//*[@id="f-addressees-commerce_secretary-suggestion"]')[
                0
            ].text_content()
        )

    async def test_the_small_pack_gets_its_pages_from_its_definition(self, mini_client):
        session_id = await start(mini_client, "mini")
        index = await mini_client.get("/")
        assert "Pet registration" in index.text
        owner = await mini_client.get(f"/sessions/{session_id}/steps/owner")
        assert owner.status_code == 200
        assert_accessible(owner.text)
        assert 'for="f-owner-name"' in owner.text and "Your name?" in owner.text
        assert "Ada Lovelace" in owner.text  # its example
        pets = await mini_client.get(f"/sessions/{session_id}/steps/pets")
        assert "Do you have pets?" in pets.text
        assert "Tell us about your pets." not in pets.text  # only once has_pets is yes

    async def test_a_bad_date_keeps_everything_typed_and_says_what_the_chat_api_says(self, client):
        session_id = await start(client, "adcvd-petition")
        typed = {
            "filing.date": "April 31, 2024",
            "filing.total_pages": "13",
            "addressees.commerce_secretary": "Someone Else",
        }
        refused = await submit(client, f"/sessions/{session_id}/steps/filing", typed)
        assert refused.status_code == 422
        values = form_values(refused.text)
        assert {name: values[name] for name in typed} == typed
        shown = problems_of(refused.text, "f-filing-date")

        chat = await client.post(
            f"/api/sessions/{session_id}/reply", json={"text": "April 31, 2024"}
        )
        assert [p["message"] for p in chat.json()["problems"]] == shown
        assert (
            document(refused.text).xpath('//input[@id="f-filing-date"]')[0].get("aria-invalid")
            == "true"
        )
        assert await answers_of(client, session_id) == {}

    async def test_a_refused_value_has_the_json_apis_words(self, mini_client):
        session_id = await start(mini_client, "mini")
        long_name = "A" * 60
        refused = await submit(
            mini_client,
            f"/sessions/{session_id}/steps/owner",
            {"owner.name": long_name, "owner.nickname": "Ada"},
        )
        assert refused.status_code == 422
        api = await mini_client.patch(
            f"/api/sessions/{session_id}/answers", json={"owner": {"name": long_name}}
        )
        assert problems_of(refused.text, "f-owner-name") == [
            e["message"] for e in api.json()["errors"]
        ]
        assert form_values(refused.text)["owner.nickname"] == "Ada"
        assert await answers_of(mini_client, session_id) == {}

    async def test_saving_shows_the_questions_an_answer_opens_and_deletes_nothing(
        self, mini_client
    ):
        session_id = await start(
            mini_client, "mini", {"has_pets": True, "pets": [{"name": "Tom", "kind": "cat"}]}
        )
        url = f"/sessions/{session_id}/steps/pets"

        closed = await submit(mini_client, url, {"has_pets": "no"})
        assert closed.status_code == 303
        assert closed.headers["location"].endswith("/review")
        assert await answers_of(mini_client, session_id) == {
            "has_pets": False,
            "pets": [{"name": "Tom", "kind": "cat"}],
        }
        assert "pets[0].name" not in form_values((await mini_client.get(url)).text)

        opened = await submit(mini_client, url, {"has_pets": "yes"})
        assert opened.status_code == 303
        assert form_values((await mini_client.get(url)).text)["pets[0].name"] == "Tom"

        # A "yes" whose questions were not on the page keeps the person there to answer them.
        kind = await submit(mini_client, url, {"pets[0].kind": "dog"})
        assert "?more=1" in kind.headers["location"]
        shown = await mini_client.get(kind.headers["location"])
        assert "Your answers opened more questions" in shown.text
        assert "pets[0].pages" in form_values(shown.text)

    async def test_an_emptied_input_removes_only_its_answer(self, mini_client):
        session_id = await start(
            mini_client, "mini", {"owner": {"name": "Ada", "nickname": "A"}, "has_pets": False}
        )
        saved = await submit(
            mini_client, f"/sessions/{session_id}/steps/owner", {"owner.nickname": ""}
        )
        assert saved.status_code == 303
        assert await answers_of(mini_client, session_id) == {
            "owner": {"name": "Ada"},
            "has_pets": False,
        }

    async def test_a_page_opened_before_another_change_is_not_saved_over_it(self, mini_client):
        session_id = await start(mini_client, "mini")
        url = f"/sessions/{session_id}/steps/owner"
        page = await mini_client.get(url)
        await mini_client.patch(
            f"/api/sessions/{session_id}/answers", json={"owner": {"name": "From the API"}}
        )
        values = {**form_values(page.text), "owner.nickname": "Typed", "_action": "continue"}
        stale = await mini_client.post(url, data=values)
        assert stale.status_code == 409
        assert "changed elsewhere" in stale.text
        assert form_values(stale.text)["owner.nickname"] == "Typed"
        assert await answers_of(mini_client, session_id) == {"owner": {"name": "From the API"}}

    async def test_unknown_steps_and_sessions_are_pages_not_json(self, client):
        session_id = await start(client, "adcvd-petition")
        for url in (
            f"/sessions/{session_id}/steps/nowhere",
            "/sessions/00000000-0000-0000-0000-000000000000/review",
        ):
            missing = await client.get(url)
            assert missing.status_code == 404
            assert missing.headers["content-type"].startswith("text/html")


class TestGroups:
    async def test_add_reorder_and_remove_save_what_was_typed(self, mini_client):
        session_id = await start(mini_client, "mini", {"has_pets": True})
        url = f"/sessions/{session_id}/steps/pets"

        added = await submit(mini_client, url, action="add:pets")
        assert added.status_code == 303 and added.headers["location"].endswith("#f-pets-0")
        added = await submit(
            mini_client, url, {"pets[0].name": "Tom", "pets[0].kind": "cat"}, action="add:pets"
        )
        assert added.headers["location"].endswith("#f-pets-1")
        await submit(
            mini_client, url, {"pets[1].name": "Rex", "pets[1].kind": "dog"}, action="save"
        )
        assert (await answers_of(mini_client, session_id))["pets"] == [
            {"name": "Tom", "kind": "cat"},
            {"name": "Rex", "kind": "dog"},
        ]

        moved = await submit(mini_client, url, {"pets[0].name": "Tommy"}, action="up:pets[1]")
        assert moved.headers["location"].endswith("#f-pets-0")
        assert [p["name"] for p in (await answers_of(mini_client, session_id))["pets"]] == [
            "Rex",
            "Tommy",
        ]
        await submit(mini_client, url, action="down:pets[0]")
        assert [p["name"] for p in (await answers_of(mini_client, session_id))["pets"]] == [
            "Tommy",
            "Rex",
        ]

        removed = await submit(mini_client, url, action="remove:pets[0]")
        assert removed.headers["location"].endswith("#f-pets")
        # The dog's pages were asked once it was a dog; left empty, they are "none".
        assert (await answers_of(mini_client, session_id))["pets"] == [
            {"name": "Rex", "kind": "dog", "pages": []}
        ]

    async def test_items_nested_in_items(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        url = f"/sessions/{session_id}/steps/volumes"
        before = (await answers_of(client, session_id))["volumes"][1]["bpi_items"]

        added = await submit(client, url, action="add:volumes[1].bpi_items")
        assert added.headers["location"].endswith(f"#f-volumes-1-bpi_items-{len(before)}")
        page = await client.get(url)
        assert f"volumes[1].bpi_items[{len(before)}].pages" in form_values(page.text)
        assert "BPI item 9" in page.text and "Add a BPI item" in page.text

        await submit(client, url, action=f"up:volumes[1].bpi_items[{len(before)}]")
        items = (await answers_of(client, session_id))["volumes"][1]["bpi_items"]
        # Saved as shown on the page: empty lists of pages and exhibits, "no" chosen by default.
        assert items[len(before) - 1] == {"pages": [], "exhibit_list": False, "exhibits": []}
        assert items[len(before)] == before[-1]

        await submit(client, url, action=f"remove:volumes[1].bpi_items[{len(before) - 1}]")
        assert (await answers_of(client, session_id)) == solar_answers

    async def test_removing_an_item_ignores_a_mistake_inside_it(self, mini_client):
        session_id = await start(
            mini_client, "mini", {"has_pets": True, "pets": [{"name": "Tom"}, {"name": "Rex"}]}
        )
        removed = await submit(
            mini_client,
            f"/sessions/{session_id}/steps/pets",
            {"pets[1].name": "", "pets[1].kind": "bird"},
            action="remove:pets[1]",
        )
        assert removed.status_code == 303
        assert (await answers_of(mini_client, session_id))["pets"] == [{"name": "Tom"}]

    @pytest.mark.parametrize(
        "action", ["fly:pets", "add:owner.name", "remove:pets", "up:pets[7]", "add:pe[ts"]
    )
    async def test_a_button_the_page_never_offers_is_refused(self, mini_client, action):
        session_id = await start(mini_client, "mini", {"has_pets": True, "pets": [{"name": "Tom"}]})
        refused = await submit(mini_client, f"/sessions/{session_id}/steps/pets", action=action)
        assert refused.status_code == 400
        assert (await answers_of(mini_client, session_id))["pets"] == [{"name": "Tom"}]


class TestReviewAndResume:
    async def test_review_lists_every_answer_and_edits_return_to_it(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        review = await client.get(f"/sessions/{session_id}/review")
        assert review.status_code == 200
        assert_accessible(review.text)
        page = document(review.text)
        row = page.xpath('//*[@id="r-f-counsel-attorneys-6-name"]')[0]
        assert "Patrick D. Griffo" in row.text_content()
        edit = row.xpath(".//a")[0].get("href")
        assert (
            edit == f"/sessions/{session_id}/steps/counsel?return=review#f-counsel-attorneys-6-name"
        )

        step = await client.get(edit)
        assert (
            'name="_return" value="review"' in step.text
            and "Save and return to the review" in step.text
        )
        saved = await submit(client, edit, {"counsel.attorneys[6].name": "Patrick D. Griffo Jr."})
        assert saved.headers["location"] == f"/sessions/{session_id}/review#step-counsel"
        assert "Patrick D. Griffo Jr." in (await client.get(saved.headers["location"])).text

    async def test_review_links_each_open_problem_to_its_input(self, client, solar_answers):
        del solar_answers["counsel"]["telephone"]
        solar_answers["volumes"][0]["bpi_items"][0]["exhibits"] = ["II-33"]
        session_id = await start(client, "adcvd-petition", solar_answers)
        page = document((await client.get(f"/sessions/{session_id}/review")).text)
        links = {
            a.text_content(): a.get("href")
            for a in page.xpath('//section[contains(@class,"summary")]//a')
        }
        problems = (await client.get(f"/api/sessions/{session_id}")).json()["problems"]
        assert {p["message"] for p in problems} <= set(links)
        telephone = next(p["message"] for p in problems if p["path"] == "counsel.telephone")
        assert (
            links[telephone]
            == f"/sessions/{session_id}/steps/counsel?return=review#f-counsel-telephone"
        )

    async def test_resume_goes_to_the_first_step_with_something_missing(
        self, client, solar_answers
    ):
        empty = await start(client, "adcvd-petition")
        assert (
            (await client.get(f"/sessions/{empty}", follow_redirects=False))
            .headers["location"]
            .endswith("/steps/filing")
        )
        partial = {
            key: solar_answers[key]
            for key in ("filing", "addressees", "product", "countries", "itc")
        }
        halfway = await start(client, "adcvd-petition", partial)
        assert (
            (await client.get(f"/sessions/{halfway}", follow_redirects=False))
            .headers["location"]
            .endswith("/steps/petitioners")
        )
        done = await start(client, "adcvd-petition", solar_answers)
        assert (
            (await client.get(f"/sessions/{done}", follow_redirects=False))
            .headers["location"]
            .endswith("/review")
        )


class TestDocuments:
    async def test_generating_an_incomplete_interview_lists_what_blocks_it(self, client):
        session_id = await start(client, "adcvd-petition")
        page = await client.get(f"/sessions/{session_id}/documents")
        blocked = await client.post(
            f"/sessions/{session_id}/documents", data={"_csrf_token": csrf_token(page.text)}
        )
        assert blocked.status_code == 409
        assert (
            f'href="/sessions/{session_id}/steps/filing?return=review#f-filing-date"'
            in blocked.text
        )

    async def test_generate_list_and_download(self, client, solar_answers):
        session_id = await start(client, "adcvd-petition", solar_answers)
        page = await client.get(f"/sessions/{session_id}/documents")
        assert "No documents made yet." in page.text
        generated = await client.post(
            f"/sessions/{session_id}/documents",
            data={"_csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert generated.status_code == 303
        listed = await client.get(generated.headers["location"])
        assert_accessible(listed.text)
        rows = document(listed.text).xpath('//table[contains(@class,"documents")]/tbody/tr')
        assert len(rows) == 7
        assert all(" KB" in row.xpath("./td")[1].text_content() for row in rows)
        link = rows[0].xpath(".//a")[0].get("href")
        docx = await client.get(link)
        assert docx.status_code == 200 and docx.headers["content-type"] == DOCX
        zipped = await client.get(f"/sessions/{session_id}/documents.zip")
        assert zipped.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
            assert len(archive.namelist()) == 7 and "Cover Letter.docx" in archive.namelist()


class TestDelete:
    async def test_a_person_confirms_and_the_interview_and_its_documents_are_gone(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        kept_id = await start(client, "adcvd-petition")
        page = await client.get(f"/sessions/{session_id}/documents")
        await client.post(
            f"/sessions/{session_id}/documents", data={"_csrf_token": csrf_token(page.text)}
        )

        index = await client.get("/")
        link = document(index.text).xpath(f'//a[@href="/sessions/{session_id}/delete"]')
        assert link and "Delete" in link[0].text_content()
        confirm = await client.get(f"/sessions/{session_id}/delete")
        assert confirm.status_code == 200
        assert_accessible(confirm.text)
        body = document(confirm.text).xpath("//main")[0].text_content()
        assert "Crystalline Silicon Photovoltaic Cells" in body and "7 generated documents" in body
        # Opening the confirmation deletes nothing.
        assert (await client.get(f"/api/sessions/{session_id}")).status_code == 200

        deleted = await client.post(
            f"/sessions/{session_id}/delete",
            data={"_csrf_token": csrf_token(confirm.text)},
            follow_redirects=False,
        )
        assert deleted.status_code == 303 and deleted.headers["location"] == "/?deleted=1"
        index = await client.get(deleted.headers["location"])
        assert "The interview and its documents were deleted." in index.text
        assert f"/sessions/{session_id}" not in index.text and f"/sessions/{kept_id}" in index.text
        assert (await client.get(f"/api/sessions/{session_id}")).status_code == 404
        assert (await client.get(f"/sessions/{session_id}/documents.zip")).status_code == 404
        # Sent again (a second tab, a double click): a page that says there is nothing.
        again = await client.post(
            f"/sessions/{session_id}/delete", data={"_csrf_token": csrf_token(confirm.text)}
        )
        assert again.status_code == 404 and "There is no such interview" in again.text

    async def test_deleting_needs_the_token(self, client):
        session_id = await start(client, "adcvd-petition")
        refused = await client.post(f"/sessions/{session_id}/delete", data={})
        assert refused.status_code == 403
        assert (await client.get(f"/api/sessions/{session_id}")).status_code == 200


class TestCSRF:
    async def test_a_form_without_the_token_is_refused_and_nothing_saved(self, client):
        session_id = await start(client, "adcvd-petition")
        url = f"/sessions/{session_id}/steps/filing"
        page = await client.get(url)
        values = {**form_values(page.text), "filing.total_pages": "13", "_action": "save"}
        for token in (None, "forged" * 20):
            sent = (
                {**values, "_csrf_token": token}
                if token
                else {k: v for k, v in values.items() if k != "_csrf_token"}
            )
            refused = await client.post(url, data=sent)
            assert refused.status_code == 403
            assert "Nothing was saved" in refused.text
        assert await answers_of(client, session_id) == {}
        assert (await client.post(url, data=values, follow_redirects=False)).status_code == 303

    async def test_the_json_api_needs_no_token(self, client):
        session_id = await start(client, "adcvd-petition")
        patched = await client.patch(
            f"/api/sessions/{session_id}/answers", json={"filing": {"total_pages": 13}}
        )
        assert patched.status_code == 200

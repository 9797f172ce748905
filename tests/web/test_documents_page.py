"""The documents page says what is true of the documents: blocked, out of date, unchecked."""

from __future__ import annotations

from tests.web.pages import csrf_token, document, start


async def generate(client, session_id: str) -> None:
    page = await client.get(f"/sessions/{session_id}/documents")
    made = await client.post(
        f"/sessions/{session_id}/documents",
        data={"_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert made.status_code == 303


class TestDocumentsPage:
    async def test_what_blocks_the_documents_is_shown_as_a_problem_never_as_success(self, client):
        session_id = await start(client, "adcvd-petition", {"filing": {"date": "2024-04-24"}})
        page = document((await client.get(f"/sessions/{session_id}/documents")).text)
        blocked = page.xpath('//section[contains(@class,"refused")]')
        assert blocked and "still block the documents" in blocked[0].text_content()
        assert page.xpath('//*[contains(@class,"notice")]') == []

    async def test_a_batch_made_before_the_last_change_is_marked_out_of_date(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        await generate(client, session_id)
        fresh = document((await client.get(f"/sessions/{session_id}/documents")).text)
        assert fresh.xpath('//section[contains(@class,"out-of-date")]') == []

        await client.patch(
            f"/api/sessions/{session_id}/answers", json={"product": {"short_name": "solar cells"}}
        )
        page = document((await client.get(f"/sessions/{session_id}/documents?generated=1")).text)
        stale = page.xpath('//section[contains(@class,"out-of-date")]')
        assert stale and "These documents are out of date" in stale[0].text_content()
        assert "warnings" in stale[0].get("class")
        assert page.xpath(
            '//form[@class="generate"]//button[normalize-space()="Generate the documents again"]'
        )
        assert page.xpath('//*[contains(@class,"notice")]') == []  # "generated" is no longer said

    async def test_without_a_converter_it_says_the_count_was_not_checked_and_offers_no_pdf(
        self, client, solar_answers
    ):
        session_id = await start(client, "adcvd-petition", solar_answers)
        await generate(client, session_id)
        page = document((await client.get(f"/sessions/{session_id}/documents")).text)
        notes = " ".join(
            n.text_content() for n in page.xpath('//section[contains(@class,"warnings")]//li')
        )
        assert "page count of the packet could not be checked" in notes
        assert (
            page.xpath('//a[contains(@href,".pdf")]') == []
            and page.xpath("//img[@class='thumbnail']") == []
        )
        assert page.xpath('//script[@src="/static/documents.js"]') and not page.xpath(
            "//script[not(@src)]"
        )

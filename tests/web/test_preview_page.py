"""The review page's preview when the server runs no PDF converter (the suite's default)."""

from __future__ import annotations

from tests.web.pages import document


async def test_without_a_converter_the_review_page_says_the_preview_needs_it(client, solar_answers):
    created = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
    )
    session_id = created.json()["id"]

    review = await client.get(f"/sessions/{session_id}/review")
    assert review.status_code == 200
    [section] = document(review.text).xpath('//section[@id="preview"]')
    assert "needs the PDF converter" in section.text_content()
    assert section.get("hx-get") is None and not section.xpath(".//img")
    # The rest of the review is there as ever.
    assert "Go to the documents" in review.text

    preview = await client.get(f"/sessions/{session_id}/preview", headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "needs the PDF converter" in preview.text
    assert (
        await client.get(f"/sessions/{session_id}/preview/{created.json()['revision']}/1")
    ).status_code == 404

"""The review page's preview with a real converter: pictures of the pages of the documents that
do not repeat per item, drawn from the current answers, new after a change, the owner's only."""

from __future__ import annotations

import io

from PIL import Image

from service.pdf.preview import PAGE_WIDTH_PIXELS
from tests.conftest import bearer
from tests.web.pages import document

PNG = b"\x89PNG\r\n\x1a\n"
HTMX = {"HX-Request": "true"}


async def start(client, answers) -> str:
    created = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def pictures(client, session_id: str, headers=HTMX) -> list[tuple[str, str]]:
    """(src, alt) of each page picture the preview shows."""
    response = await client.get(f"/sessions/{session_id}/preview", headers=headers)
    assert response.status_code == 200, response.text
    return [
        (img.get("src"), img.get("alt"))
        for img in document(response.text).xpath('//img[@class="preview-page"]')
    ]


async def png(client, src: str) -> bytes:
    response = await client.get(src)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG)
    return response.content


async def test_the_review_page_shows_a_picture_of_each_page_of_the_documents_made_once(
    pdf_client, solar_answers, petition_pack
):
    session_id = await start(pdf_client, solar_answers)
    review = await pdf_client.get(f"/sessions/{session_id}/review")
    assert review.status_code == 200
    [placeholder] = document(review.text).xpath('//section[@id="preview"]')
    assert (
        placeholder.get("hx-get") == f"/sessions/{session_id}/preview"
        and placeholder.get("hx-trigger") == "load"
    )
    assert "needs the PDF converter" not in review.text

    # The count is the one generation finds, for the documents that are not one per item.
    generated = await pdf_client.post(f"/api/sessions/{session_id}/documents")
    assert generated.status_code == 201, generated.text
    once = {spec.id for spec in petition_pack.documents if not spec.for_each}
    expected = sum(d["pages"] for d in generated.json() if d["kind"] in once)

    shown = await pictures(pdf_client, session_id)
    assert len(shown) == expected >= len(once)
    assert all(alt and "page 1 of" in alt for src, alt in shown if src.endswith("/1"))
    for src, _ in shown:
        picture = Image.open(io.BytesIO(await png(pdf_client, src)))
        assert (
            picture.format == "PNG"
            and picture.width == PAGE_WIDTH_PIXELS
            and picture.height > picture.width
        )
    # Without JavaScript the same pictures are on a page of their own.
    assert await pictures(pdf_client, session_id, headers={}) == shown


async def test_a_change_gives_a_new_picture(pdf_client, solar_answers):
    session_id = await start(pdf_client, solar_answers)
    [(first_src, _), *_] = await pictures(pdf_client, session_id)
    before = await png(pdf_client, first_src)
    assert await png(pdf_client, first_src) == before  # kept: the same picture again

    patched = await pdf_client.patch(
        f"/api/sessions/{session_id}/answers",
        json={"product": {"name": "Mattresses", "short_name": "mattresses"}},
    )
    assert patched.status_code == 200, patched.text
    [(second_src, _), *_] = await pictures(pdf_client, session_id)
    assert second_src != first_src
    assert await png(pdf_client, second_src) != before


async def test_an_unfinished_interview_is_drawn_with_blanks(pdf_client, petition_pack):
    session_id = await start(pdf_client, {"filing": {"date": "2024-04-24"}})
    shown = await pictures(pdf_client, session_id)
    assert len(shown) >= len([spec for spec in petition_pack.documents if not spec.for_each])
    for src, _ in shown:
        await png(pdf_client, src)


async def test_another_owner_gets_404(pdf_client, solar_answers, make_key):
    session_id = await start(pdf_client, solar_answers)
    [(src, _), *_] = await pictures(pdf_client, session_id)
    stranger = bearer(await make_key(scopes="read,write,generate", owner="mallory"))
    assert (
        await pdf_client.get(f"/sessions/{session_id}/preview", headers={**HTMX, **stranger})
    ).status_code == 404
    picture = await pdf_client.get(src, headers=stranger)
    assert picture.status_code == 404 and not picture.content.startswith(PNG)

"""Start from the last filing on the web page: upload a letter, read the report, continue."""

from tests.conftest import LETTER_2024
from tests.web.pages import csrf_token, document


async def import_page(client, content: bytes, name: str, with_token: bool = True):
    index = await client.get("/")
    data = {"_csrf_token": csrf_token(index.text)} if with_token else {}
    return await client.post(
        "/sessions/import", data=data, files={"file": (name, content, "text/plain")}
    )


class TestImportPage:
    async def test_index_offers_the_upload_with_a_label(self, client):
        page = document((await client.get("/")).text)
        (form,) = page.xpath("//form[@action='/sessions/import']")
        assert form.get("enctype") == "multipart/form-data"
        (field,) = form.xpath(".//input[@type='file']")
        assert page.xpath(f"//label[@for='{field.get('id')}']")

    async def test_the_2024_letter_starts_a_session_and_names_its_mistakes(self, client):
        response = await import_page(client, LETTER_2024.read_bytes(), LETTER_2024.name)
        assert response.status_code == 201, response.text
        page = document(response.text)
        errors = [" ".join(li.itertext()) for li in page.xpath("//li[@class='error']")]
        assert any("capacity" in e.lower() for e in errors)
        assert any("I-24" in e for e in errors)
        links = page.xpath("//li[@class='error']/a/@href")
        assert any("/steps/certifications" in href for href in links)
        assert any("/steps/volumes" in href for href in links)
        (resume,) = page.xpath("//a[normalize-space()='Continue the interview']/@href")
        session_id = resume.rsplit("/", 1)[1]
        saved = (await client.get(f"/api/sessions/{session_id}")).json()
        assert saved["answers"]["countries"][0] == {
            "name": "Cambodia",
            "ad_case": "A-555-003",
            "cvd_case": "C-555-004",
        }

    async def test_an_unreadable_file_still_starts_a_session(self, client):
        response = await import_page(client, b"\x00\x01garbage", "junk.docx")
        assert response.status_code == 201
        assert document(response.text).xpath(
            "//h2[starts-with(normalize-space(), 'Not found in the file')]"
        )

    async def test_without_the_csrf_token_nothing_is_imported(self, client):
        before = (await client.get("/api/sessions", params={"count": "true"})).json()["total"]
        response = await import_page(
            client, LETTER_2024.read_bytes(), LETTER_2024.name, with_token=False
        )
        assert response.status_code == 403
        assert (await client.get("/api/sessions", params={"count": "true"})).json()[
            "total"
        ] == before

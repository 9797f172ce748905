"""The packet as PDF through the API: page one as filed, Total Pages computed, out of date marked."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile

import httpx
import pytest

from service.app import create_app
from tests.conftest import bearer
from tests.pdf.cases import one_company_case
from tests.pdf.conftest import lines_ending_inside_a_number, pdf_pages_text
from tests.support import reading_order


async def generate(client, answers) -> tuple[str, list[dict]]:
    created = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    response = await client.post(f"/api/sessions/{session_id}/documents")
    assert response.status_code == 201, response.text
    return session_id, response.json()


def printed_total(text: str) -> int:
    return int(re.search(r"Total Pages: (\d+)", text).group(1))


class TestThe2024Packet:
    async def test_packet_pdf_page_one_and_the_page_count(self, pdf_client, solar_answers):
        session_id, documents = await generate(pdf_client, solar_answers)
        assert all(d["pdf"] and d["pages"] for d in documents)
        packet = await pdf_client.get(f"/api/sessions/{session_id}/packet.pdf")
        assert packet.status_code == 200 and packet.headers["content-type"] == "application/pdf"
        pages = pdf_pages_text(packet.content)
        assert len(pages) == printed_total(pages[0]) == sum(d["pages"] for d in documents)
        assert not [d for d in documents if d["notes"]]  # 13 typed, 13 counted: nothing to say
        first = pages[0]
        for expected in (
            "PUBLIC VERSION",
            "April 24, 2024",
            "The Honorable Gina M. Raimondo",
            "The Honorable Lisa R. Barton",
            "A-555-003",
            "Total Pages",
            "Re:",
            "Dear Secretary Raimondo and Secretary Barton:",
        ):
            assert expected in first
        assert lines_ending_inside_a_number(pages) == []
        # Cover letter first, then the certifications in the packet's order.
        assert "COMPANY CERTIFICATION" in pages[len(pages) - 6]
        assert "CERTIFICATION OF COUNSEL" in pages[-1]

    async def test_each_pdf_its_picture_and_the_zip(self, pdf_client, solar_answers):
        session_id, documents = await generate(pdf_client, solar_answers)
        letter = documents[0]
        pdf = await pdf_client.get(letter["pdf"])
        assert (
            pdf.content.startswith(b"%PDF")
            and 'filename="Cover Letter.pdf"' in pdf.headers["content-disposition"]
        )
        picture = await pdf_client.get(letter["thumbnail"])
        assert picture.headers["content-type"] == "image/png" and picture.content.startswith(
            b"\x89PNG"
        )
        archive = zipfile.ZipFile(
            io.BytesIO((await pdf_client.get(f"/api/sessions/{session_id}/documents.zip")).content)
        )
        names = set(archive.namelist())
        for document in documents:
            stem = document["file_name"].removesuffix(".docx")
            assert {f"{stem}.docx", f"{stem}.pdf"} <= names
        assert "packet.pdf" in names

    async def test_a_typed_figure_that_differs_is_printed_with_a_warning(
        self, pdf_client, solar_answers
    ):
        solar_answers["filing"]["total_pages"] = 40
        session_id, documents = await generate(pdf_client, solar_answers)
        pages = pdf_pages_text(
            (await pdf_client.get(f"/api/sessions/{session_id}/packet.pdf")).content
        )
        assert printed_total(pages[0]) == 40
        note = documents[0]["notes"][0]
        assert f"has {len(pages)} pages, but 40 was typed" in note


class TestOneCompanyCase:
    async def test_the_count_is_printed_in_the_docx_and_the_pdf_alike(
        self, pdf_client, solar_answers
    ):
        session_id, documents = await generate(pdf_client, one_company_case(solar_answers))
        assert [d["kind"] for d in documents] == [
            "cover-letter",
            "company-certification",
            "representative-certification",
            "counsel-certification",
        ]
        pages = pdf_pages_text(
            (await pdf_client.get(f"/api/sessions/{session_id}/packet.pdf")).content
        )
        assert printed_total(pages[0]) == len(pages)
        docx = (await pdf_client.get(documents[0]["download"])).content
        letter_text = "\n".join(p.text for p in reading_order(docx))
        assert printed_total(letter_text) == len(pages)
        first = pages[0]
        for expected in (
            "PUBLIC VERSION",
            "June 2, 2025",
            "The Honorable Howard Lutnick",
            "A-557-830",
            "Re:",
        ):
            assert expected in first
        assert lines_ending_inside_a_number(pages) == []


class TestWithoutAConverter:
    async def test_the_docx_is_still_made_and_says_the_count_was_not_checked(
        self, client, solar_answers
    ):
        del solar_answers["filing"]["total_pages"]
        session_id, documents = await generate(client, solar_answers)
        assert all(d["pdf"] is None and d["pages"] is None for d in documents)
        assert "page count of the packet could not be checked" in documents[0]["notes"][0]
        docx = (await client.get(documents[0]["download"])).content
        assert "Total Pages: __" in "\n".join(p.text for p in reading_order(docx))
        for path in (
            documents[0]["pdf"] or f"{documents[0]['download']}.pdf",
            f"/api/sessions/{session_id}/packet.pdf",
        ):
            refused = await client.get(path)
            assert refused.status_code == 409 and "generate" in refused.json()["detail"]
        archive = zipfile.ZipFile(
            io.BytesIO((await client.get(f"/api/sessions/{session_id}/documents.zip")).content)
        )
        assert not [n for n in archive.namelist() if n.endswith(".pdf")]

    async def test_an_unknown_format_is_not_found(self, client, solar_answers):
        _, documents = await generate(client, solar_answers)
        assert (await client.get(f"{documents[0]['download']}.exe")).status_code == 404


class TestOutOfDate:
    async def test_a_batch_made_before_the_last_change_is_out_of_date(self, client, solar_answers):
        session_id, documents = await generate(client, solar_answers)
        listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
        assert [d["out_of_date"] for d in listed] == [False] * len(documents)
        await client.patch(
            f"/api/sessions/{session_id}/answers", json={"product": {"short_name": "solar cells"}}
        )
        listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
        assert all(d["out_of_date"] for d in listed)
        await client.post(f"/api/sessions/{session_id}/documents")
        listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
        assert not any(d["out_of_date"] for d in listed)


# Enough documents (4 × 7, two at a time) that five listings finish while some still convert.
@pytest.mark.slow
@pytest.mark.parametrize("packets", [4])
async def test_other_requests_are_answered_while_packets_convert(
    settings, admin_key, converter, solar_answers, packets
):
    app = create_app(settings, configure_logs=False)
    app.state["pdf_converter"] = converter
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://testserver.local",
            headers=bearer(admin_key),
            timeout=300,
        ) as client,
    ):
        ids = []
        for _ in range(packets):
            created = await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
            ids.append(created.json()["id"])
        converting = [asyncio.create_task(client.post(f"/api/sessions/{i}/documents")) for i in ids]
        await asyncio.sleep(0)  # let the generations start
        answered = []
        for _ in range(5):
            answered.append((await client.get("/api/sessions")).status_code)
        # The reads were all answered while conversions were still running.
        still_converting = sum(not task.done() for task in converting)
        results = await asyncio.gather(*converting)
        assert answered == [200] * 5
        assert still_converting > 0
        assert [r.status_code for r in results] == [201] * packets
        assert all(d["pdf"] for r in results for d in r.json())


async def test_a_converter_that_fails_loses_nothing(settings, admin_key, solar_answers):
    import socket

    from litestar.testing import AsyncTestClient

    from service.pdf.converter import PdfConverter

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings, configure_logs=False)
    app.state["pdf_converter"] = PdfConverter(f"http://127.0.0.1:{port}", timeout=5)
    async with AsyncTestClient(app=app) as client:
        client.headers.update(bearer(admin_key))
        session_id, documents = await generate(client, solar_answers)
        assert len(documents) == 7 and all(d["pdf"] is None for d in documents)
        assert documents[0]["notes"][0].startswith(
            "No PDF could be made (the PDF converter could not be reached)"
        )
        listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
        assert [d["id"] for d in listed] == [d["id"] for d in documents]
        docx = (await client.get(documents[0]["download"])).content
        assert "Total Pages: 13" in "\n".join(p.text for p in reading_order(docx))

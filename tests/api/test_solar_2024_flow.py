"""The whole 2024 case through the HTTP API: half by PATCH as a portal would, the other half
one question at a time by /reply as a chat client would; then the packet is generated,
downloaded, and opened to read its text."""

import io
import zipfile

import pytest

from service.interview import paths
from service.interview.engine import effective_answers
from tests.support import chat_answer, docx_footnotes, docx_text

PATCHED_STEPS = (
    "filing",
    "addressees",
    "product",
    "countries",
    "itc",
    "petitioners",
    "coalition",
    "counsel",
    "consultants",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def chat_until_complete(client, session_id, expected, limit=2000):
    replies = 0
    while replies < limit:
        step = (await client.get(f"/api/sessions/{session_id}/next")).json()
        if step["complete"]:
            return replies
        text = chat_answer(step["question"], expected)
        response = await client.post(f"/api/sessions/{session_id}/reply", json={"text": text})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body["problems"], (step["question"], text, body["problems"])
        replies += 1
    raise AssertionError("the chat did not finish")


class TestSolar2024:
    @pytest.mark.slow
    async def test_portal_then_chat_then_documents(self, client, solar_answers, petition_pack):
        first_half = {key: solar_answers[key] for key in PATCHED_STEPS if key in solar_answers}
        second_half = {key: value for key, value in solar_answers.items() if key not in first_half}
        assert {"volumes", "company_certifications", "representative_certification"} <= set(
            second_half
        )

        created = await client.post("/api/sessions", json={"pack": "adcvd-petition"})
        session_id = created.json()["id"]
        patched = await client.patch(f"/api/sessions/{session_id}/answers", json=first_half)
        assert patched.status_code == 200, patched.text

        blocked = await client.post(f"/api/sessions/{session_id}/documents")
        assert blocked.status_code == 409
        assert any(e["path"] == "volumes" for e in blocked.json()["errors"])

        replies = await chat_until_complete(client, session_id, solar_answers)
        assert replies > 100  # every volume, BPI item and certifier went through /reply

        session = (await client.get(f"/api/sessions/{session_id}")).json()
        # Compared as the documents see them: an answer accepted at its default ("no" to the
        # Exhibit List) equals one left to its default.
        got = effective_answers(petition_pack, session["answers"])
        want = effective_answers(petition_pack, solar_answers)
        for key in second_half:
            assert got[key] == want[key], key
        assert session["status"] == "complete"
        assert [p for p in session["problems"] if p["severity"] == "error"] == []

        generated = await client.post(f"/api/sessions/{session_id}/documents")
        assert generated.status_code == 201, generated.text
        documents = generated.json()
        assert [d["kind"] for d in documents].count("company-certification") == 4
        assert {d["kind"] for d in documents} == {
            "cover-letter",
            "company-certification",
            "representative-certification",
            "counsel-certification",
        }

        listed = (await client.get(f"/api/sessions/{session_id}/documents")).json()
        assert [d["id"] for d in listed] == [d["id"] for d in documents]

        letter_meta = next(d for d in documents if d["kind"] == "cover-letter")
        download = await client.get(letter_meta["download"])
        assert download.status_code == 200
        assert download.headers["content-type"] == DOCX
        assert 'attachment; filename="Cover Letter.docx"' in download.headers["content-disposition"]
        letter = docx_text(download.content)
        assert (
            "DOC Investigation Nos. A-555-003, A-557-830, A-549-851, A-552-841, C-555-004, C-557-831, C-549-852, and C-552-842"
            in letter
        )
        assert (
            "Volume I: Pages 3, 4, 6, 7, 10, 11, 23, 26, 27, 36-39, 42-49, 51, 55, Exhibit List, and Exhibits I-3, I-4, I-7, I-15, I-16, I-19, I-25, I-30, I-31, I-33, I-34"
            in letter
        )
        assert "Dear Secretary Raimondo and Secretary Barton:" in letter
        assert "I-24" not in letter
        footnotes = docx_footnotes(download.content)
        assert any(
            "Convalt Energy, First Solar, Inc., Hanwha Q CELLS USA, Inc., and Mission Solar Energy LLC"
            in f
            for f in footnotes
        )

        archive = await client.get(f"/api/sessions/{session_id}/documents.zip")
        assert archive.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(archive.content)) as bundle:
            names = bundle.namelist()
            assert len(names) == len(documents)
            texts = {name: docx_text(bundle.read(name)) for name in names}
        representative = next(t for n, t in texts.items() if n.startswith("Representative"))
        assert "In my capacity as counsel, I certify" in representative
        hanwha = next(t for n, t in texts.items() if "Hanwha" in n)
        assert (
            "employed as Vice President and General Counsel of Hanwha Q CELLS America, Inc. and representing Hanwha Q CELLS USA, Inc."
            in hanwha
        )

    async def test_the_original_mistakes_block_generation(self, client, solar_answers):
        del solar_answers["representative_certification"]["capacity"]
        paths.get(solar_answers, "volumes[0].bpi_items[2].exhibits").insert(0, "I-24")
        session = (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
        ).json()
        blocked = await client.post(f"/api/sessions/{session['id']}/documents")
        assert blocked.status_code == 409
        error_paths = {e["path"] for e in blocked.json()["errors"] if e["severity"] == "error"}
        assert "representative_certification.capacity" in error_paths
        assert any(p.startswith("volumes[0].bpi_items[2]") for p in error_paths)

"""Starting from the last filing: POST /api/sessions/import with an earlier cover letter."""

import copy

from service.interview import paths
from service.interview.engine import effective_answers
from tests.conftest import LETTER_2024
from tests.support import docx_text


async def upload(client, content: bytes, filename: str, **form):
    return await client.post("/api/sessions/import", files={"file": (filename, content)}, data=form)


def as_filed(solar_answers):
    """The example answers with the two mistakes the 2024 letter really has."""
    answers = copy.deepcopy(solar_answers)
    del answers["representative_certification"]["capacity"]
    paths.get(answers, "volumes[0].bpi_items[2].exhibits").insert(0, "I-24")
    return answers


class TestImport2024Letter:
    async def test_recovers_the_letter_and_names_its_mistakes(
        self, client, petition_pack, solar_answers
    ):
        response = await upload(client, LETTER_2024.read_bytes(), LETTER_2024.name)
        assert response.status_code == 201, response.text
        body = response.json()
        session, report = body["session"], body["report"]
        got = effective_answers(petition_pack, session["answers"])
        want = effective_answers(petition_pack, as_filed(solar_answers))
        # Field by field, everything the 2024 letter holds comes back as filed.
        assert set(got) == set(want)
        for key in want:
            assert got[key] == want[key], key
        assert {"countries", "volumes[1].bpi_items"} <= set(report["recognised"])
        found = {(p["path"], p["severity"]) for p in report["inconsistencies"]}
        assert ("representative_certification.capacity", "error") in found
        assert any(
            path.startswith("volumes[0].bpi_items[2].exhibits") and severity == "error"
            for path, severity in found
        )

    async def test_fix_the_two_mistakes_then_generate(self, client):
        imported = (await upload(client, LETTER_2024.read_bytes(), LETTER_2024.name)).json()[
            "session"
        ]
        session_id = imported["id"]
        blocked = await client.post(f"/api/sessions/{session_id}/documents")
        assert blocked.status_code == 409
        # Only the letter's own two mistakes stand between the import and the documents.
        blocking = {e["path"] for e in blocked.json()["errors"] if e["severity"] == "error"}
        assert blocking == {
            "representative_certification.capacity",
            "volumes[0].bpi_items[2].exhibits[0]",
        }
        volumes = imported["answers"]["volumes"]
        items = volumes[0]["bpi_items"]
        items[2]["exhibits"] = [e for e in items[2]["exhibits"] if e != "I-24"]
        fixed = await client.patch(
            f"/api/sessions/{session_id}/answers",
            json={
                "representative_certification": {"capacity": "counsel"},
                "volumes": imported["answers"]["volumes"],
            },
        )
        assert fixed.status_code == 200
        assert [p for p in fixed.json()["problems"] if p["severity"] == "error"] == []
        documents = (await client.post(f"/api/sessions/{session_id}/documents")).json()
        letter = next(d for d in documents if d["kind"] == "cover-letter")
        text = docx_text((await client.get(letter["download"])).content)
        assert "Pages 43, 44, and Exhibit I-33: Prices of individual sales" in text
        assert (
            "Volume V: Pages 1, 4, 6, 8-11, 13, 14, 18, 21, 24, Exhibit List, and Exhibits V-1, V-2, V-3, V-4, V-11, V-16, V-21, V-22, V-24, V-26, V-32"
            in text
        )

    async def test_a_generated_letter_imports_back(self, client, solar_answers, petition_pack):
        created = (
            await client.post(
                "/api/sessions", json={"pack": "adcvd-petition", "answers": solar_answers}
            )
        ).json()
        documents = (await client.post(f"/api/sessions/{created['id']}/documents")).json()
        letter = next(d for d in documents if d["kind"] == "cover-letter")
        content = (await client.get(letter["download"])).content
        body = (await upload(client, content, "Cover Letter.docx")).json()
        got = effective_answers(petition_pack, body["session"]["answers"])
        want = effective_answers(petition_pack, solar_answers)
        assert got["countries"] == want["countries"]
        assert [v.get("bpi_items") for v in got["volumes"][:5]] == [
            v.get("bpi_items") for v in want["volumes"][:5]
        ]


class TestUnreadable:
    async def test_junk_still_starts_a_session_and_says_what_is_missing(self, client):
        response = await upload(client, b"\x00\x01PK\x03\x04 not really a zip", "letter.docx")
        assert response.status_code == 201
        report = response.json()["report"]
        assert report["recognised"] == []
        assert report["not_found"]

    async def test_a_truncated_letter_keeps_what_it_found(self, client):
        head = "\n".join(LETTER_2024.read_text(encoding="utf-8").splitlines()[:40]).encode()
        body = (await upload(client, head, "letter.txt")).json()
        assert body["session"]["answers"]["filing"]["date"] == "2024-04-24"
        assert any(line.startswith("counsel") for line in body["report"]["not_found"])

    async def test_without_a_file_is_a_problem(self, client):
        response = await client.post("/api/sessions/import", data={"pack": "adcvd-petition"})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")

    async def test_other_packs_cannot_import_letters(self, client):
        response = await upload(client, b"hello", "x.txt", pack="nope")
        assert response.status_code == 422
        assert response.json()["errors"][0]["path"] == "pack"


class TestImportByPack:
    async def test_the_pack_is_named_in_the_query(self, client):
        head = b"April 24, 2024\n\nTotal Pages: 13\n"
        response = await client.post(
            "/api/sessions/import?pack=adcvd-petition", files={"file": ("letter.txt", head)}
        )
        assert response.status_code == 201
        assert response.json()["session"]["pack"] == "adcvd-petition"

    async def test_a_pack_without_an_importer_is_refused_by_name(
        self, client, settings, mini_pack_dirs
    ):
        import dataclasses

        from litestar.testing import AsyncTestClient

        from service.app import create_app

        templates, schemas = mini_pack_dirs
        mini = dataclasses.replace(settings, templates_dir=templates, schemas_dir=schemas)
        async with AsyncTestClient(app=create_app(mini, configure_logs=False)) as other:
            other.headers.update(client.headers)
            response = await other.post(
                "/api/sessions/import?pack=mini", files={"file": ("x.txt", b"hello")}
            )
        assert response.status_code == 422
        problem = response.json()["errors"][0]
        assert problem["path"] == "pack" and "imports no documents" in problem["message"]


class TestImportBudget:
    async def test_a_letter_that_needs_more_time_than_the_budget_is_refused_plainly(
        self, database_url, admin_key
    ):
        import dataclasses

        from litestar.testing import AsyncTestClient

        from service.app import create_app
        from service.settings import Settings
        from tests.adcvd_petition.importing.letters import reference_text
        from tests.conftest import bearer

        # A budget below what reading any letter takes: the worker process is stopped.
        settings = dataclasses.replace(
            Settings(
                database_url=database_url,
                log_format="json",
                log_level="WARNING",
                pdf_converter="off",  # no LibreOffice started for an app that makes no PDF
            ),
            import_seconds=0,
        )
        async with AsyncTestClient(app=create_app(settings, configure_logs=False)) as client:
            client.headers.update(bearer(admin_key))
            response = await upload(client, reference_text().encode(), "letter.txt")
            assert response.status_code == 422, response.text
            (error,) = response.json()["errors"]
            assert error["path"] == "file"
            assert "it took longer than 0 seconds" in error["message"]
            assert (await client.get("/api/sessions?count=true")).json()["total"] == 0
            # The server itself is unharmed and imports again once the budget allows it.
            assert (await client.get("/healthz")).status_code == 200

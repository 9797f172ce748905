"""Hostile answers through the API: XML, Word field codes, Jinja, right-to-left and combining
characters, emoji are stored and printed literally; NUL bytes and over-long texts are refused
with a message. Every generated document opens in python-docx and holds no field code that
its template does not."""

import copy
import io
import zipfile

import pytest
from docx import Document

from tests.support import docx_footnotes

XML = "<w:p>Evil & Sons</w:p> <![CDATA[ x ]]> &amp; <?xml version='1.0'?>"
FIELD_CODES = (
    '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" } { INCLUDETEXT "C:\\\\secret.txt" }'
)
FIELD_XML = '<w:fldSimple w:instr="DATE"/><w:instrText>HYPERLINK "http://x"</w:instrText>'
JINJA = "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} {{ ''.__class__.__mro__ }} {%p endfor %}"
RTL = "شركة الطاقة الشمسية \u202eevil\u202c \u200f"
COMBINING = "Ze\u0301 Z\u0337\u0322\u031ba\u0336l\u0338g\u0337o\u0334 \u0645\u064e"
EMOJI = "☀️🔋 👩‍⚖️ 🇺🇸 \U0001f3f3\ufe0f\u200d\U0001f308"
LONG_BLOCK = "Suite 1\n" + "Line of an address, " * 99  # 1,988 characters: at the limit of a block

HOSTILE = {
    "xml": XML,
    "field codes": FIELD_CODES,
    "field xml": FIELD_XML,
    "jinja": JINJA,
    "rtl": RTL,
    "combining": COMBINING,
    "emoji": EMOJI,
}
DOCX_FIELDS = ("<w:fldSimple", "<w:instrText", "<w:fldChar")


def hostile(answers: dict) -> dict:
    answers["product"]["name"] = f"{XML} {EMOJI}"
    answers["coalition"]["member_description"] = f"{JINJA} {RTL}"
    answers["counsel"]["address"] = f"{FIELD_CODES}\n{FIELD_XML}"
    answers["consultants"]["address"] = LONG_BLOCK
    answers["consultants"]["people"] = [{"name": COMBINING}, {"name": EMOJI}]
    answers["counsel"]["attorneys"].append({"name": EMOJI})
    answers["representative_certification"]["name"] = (
        EMOJI  # one of the attorneys, as the rules ask
    )
    return answers


def all_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs]
    return "\n".join(texts + docx_footnotes(content))


def field_count(content: bytes) -> dict[str, int]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        )
    return {marker: xml.count(marker) for marker in DOCX_FIELDS}


async def generate(client, answers) -> dict[str, bytes]:
    created = await client.post(
        "/api/sessions", json={"pack": "adcvd-petition", "answers": answers}
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["id"]
    generated = await client.post(f"/api/sessions/{session_id}/documents")
    assert generated.status_code == 201, generated.text
    return {d["file_name"]: (await client.get(d["download"])).content for d in generated.json()}


class TestStoredLiterally:
    @pytest.mark.parametrize("name", sorted(HOSTILE))
    async def test_a_hostile_value_reads_back_as_sent(self, client, name):
        value = HOSTILE[name]
        created = await client.post(
            "/api/sessions",
            json={
                "pack": "adcvd-petition",
                "answers": {"coalition": {"member_description": value}},
            },
        )
        assert created.status_code == 201, created.text
        read = (await client.get(f"/api/sessions/{created.json()['id']}")).json()
        assert read["answers"]["coalition"]["member_description"] == value

    async def test_hostile_values_through_the_chat_too(self, client):
        session_id = (
            await client.post(
                "/api/sessions",
                json={
                    "pack": "adcvd-petition",
                    "answers": {
                        "filing": {"date": "2024-04-24", "total_pages": 3, "version": "public"}
                    },
                },
            )
        ).json()["id"]
        question = (await client.get(f"/api/sessions/{session_id}/next")).json()["question"]
        reply = await client.post(
            f"/api/sessions/{session_id}/reply", json={"text": f"{JINJA} {EMOJI}"}
        )
        assert reply.status_code == 200
        saved = (await client.get(f"/api/sessions/{session_id}")).json()["answers"]
        section, field = question["id"].split(".")
        assert saved[section][field] == f"{JINJA} {EMOJI}"


class TestRefused:
    @pytest.mark.parametrize("text", ["Wiley\x00 Rein", "Wiley\x07Rein", "Wiley\ufffeRein"])
    async def test_control_characters_are_refused_with_a_message(self, client, text):
        response = await client.post(
            "/api/sessions", json={"pack": "adcvd-petition", "answers": {"counsel": {"firm": text}}}
        )
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["path"] == "counsel.firm"
        assert "invisible control character" in error["message"] and "U+" in error["message"]

    async def test_a_nul_in_a_chat_reply_saves_nothing(self, client):
        session_id = (
            await client.post(
                "/api/sessions",
                json={
                    "pack": "adcvd-petition",
                    "answers": {
                        "filing": {"date": "2024-04-24", "total_pages": 3, "version": "public"}
                    },
                },
            )
        ).json()["id"]
        reply = await client.post(
            f"/api/sessions/{session_id}/reply", json={"text": "Gina\x00 Raimondo"}
        )
        assert reply.status_code == 200
        assert reply.json()["saved"] is False
        assert reply.json()["problems"]

    async def test_ten_thousand_characters_are_refused_wherever_they_go(self, client):
        ten_thousand = "x" * 10_000
        response = await client.post(
            "/api/sessions",
            json={
                "pack": "adcvd-petition",
                "answers": {
                    "product": {"name": ten_thousand, "short_name": ten_thousand},
                    "counsel": {"address": ten_thousand},
                },
            },
        )
        assert response.status_code == 422
        messages = {e["path"]: e["message"] for e in response.json()["errors"]}
        assert set(messages) == {"product.name", "product.short_name", "counsel.address"}
        assert all("this one has 10000" in m for m in messages.values())


class TestDocuments:
    async def test_every_document_opens_and_prints_the_values_as_typed(self, client, solar_answers):
        clean = await generate(client, copy.deepcopy(solar_answers))
        packet = await generate(client, hostile(solar_answers))
        assert set(packet) == set(clean)
        for file_name, content in packet.items():
            Document(io.BytesIO(content))  # opens
            assert field_count(content) == field_count(clean[file_name]), (
                file_name
            )  # no field code came from an answer
        letter = all_text(packet["Cover Letter.docx"])
        for value in (XML, EMOJI, JINJA, RTL, FIELD_CODES, FIELD_XML, COMBINING):
            assert value in letter, value[:30]
        assert "looploop" not in letter  # the for loop was not run
        assert LONG_BLOCK.strip() in letter
        representative = all_text(packet["Representative Certification.docx"])
        assert EMOJI in representative

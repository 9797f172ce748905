"""The session service without HTTP: the one validation path every client goes through, what
each write stores (answers, revision, status, the answer log), conflicts between writers, and
generation. Against SQLite and PostgreSQL, on a database session of the test's own."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from service.packs import PackRegistry
from service.sessions.service import (
    Actor,
    AnswersRefused,
    NotComplete,
    SessionNotFound,
    SessionService,
    StaleRevision,
    UnknownPack,
)
from service.storage.models import AnswerChange, GeneratedDocument, InterviewSession
from tests.support import docx_text

ANN = Actor(name="ann's key", owner="ann", is_admin=False)
BOB = Actor(name="bob's key", owner="bob", is_admin=False)


@pytest.fixture
async def engine(database_url):
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def packs(petition_pack, mini_pack) -> PackRegistry:
    return PackRegistry({"adcvd-petition": petition_pack, "mini": mini_pack})


@pytest.fixture
async def service(engine, packs) -> AsyncIterator[SessionService]:
    async with AsyncSession(engine, expire_on_commit=False) as db:
        yield SessionService(db, packs)


async def another_service(engine, packs) -> AsyncIterator[SessionService]:
    async with AsyncSession(engine, expire_on_commit=False) as db:
        yield SessionService(db, packs)


async def stored(engine, model, **where):
    async with AsyncSession(engine) as db:
        query = select(model).filter_by(**where)
        return list((await db.execute(query)).scalars())


class TestCreate:
    async def test_prefilled_answers_are_stored_with_their_status_and_log(self, service, engine):
        view = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        (row,) = await stored(engine, InterviewSession, id=view.row.id)
        assert (row.pack, row.revision, row.owner, row.status) == ("mini", 1, "ann", "in_progress")
        assert row.answers == {"owner": {"name": "Ada"}}
        log = await stored(engine, AnswerChange, session_id=view.row.id)
        assert [(c.revision, c.path, c.new_value, c.actor, c.source) for c in log] == [
            (1, "owner", {"name": "Ada"}, "ann's key", "api")
        ]

    async def test_complete_answers_make_a_complete_session(self, service, solar_answers):
        view = await service.create("adcvd-petition", solar_answers, ANN)
        assert view.row.status == "complete"
        assert view.problems == []

    async def test_a_refused_value_saves_nothing(self, service, engine):
        with pytest.raises(AnswersRefused) as refused:
            await service.create("mini", {"owner": {"name": "x" * 80}}, ANN)
        assert [(p.path, p.code) for p in refused.value.problems] == [
            ("owner.name", "value.maxLength")
        ]
        assert await stored(engine, InterviewSession) == []

    async def test_an_unknown_pack_is_refused(self, service, engine):
        with pytest.raises(UnknownPack, match="no template pack named 'nope'"):
            await service.create("nope", {}, ANN)
        assert await stored(engine, InterviewSession) == []


class TestWrites:
    async def test_a_patch_merges_bumps_the_revision_and_logs_each_change(self, service, engine):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        view = await service.patch_answers(created.row.id, {"owner": {"since": "2024-01-02"}}, ANN)
        assert view.row.answers == {"owner": {"name": "Ada", "since": "2024-01-02"}}
        assert view.row.revision == 2
        log = await stored(engine, AnswerChange, session_id=created.row.id)
        assert [(c.revision, c.path, c.old_value, c.new_value) for c in log] == [
            (1, "owner", None, {"name": "Ada"}),
            (2, "owner.since", None, "2024-01-02"),
        ]

    async def test_a_refused_patch_saves_nothing_of_itself(self, service, engine):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        with pytest.raises(AnswersRefused) as refused:
            await service.patch_answers(
                created.row.id, {"owner": {"since": "2024-01-02", "name": "x" * 80}}, ANN
            )
        assert [p.path for p in refused.value.problems] == ["owner.name"]
        (row,) = await stored(engine, InterviewSession, id=created.row.id)
        assert (row.revision, row.answers) == (1, {"owner": {"name": "Ada"}})

    async def test_a_patch_that_completes_the_session_changes_its_status(
        self, service, solar_answers
    ):
        incomplete = copy.deepcopy(solar_answers)
        counsel = incomplete.pop("counsel")
        created = await service.create("adcvd-petition", incomplete, ANN)
        assert created.row.status == "in_progress"
        view = await service.patch_answers(created.row.id, {"counsel": counsel}, ANN)
        assert (view.row.status, view.problems) == ("complete", [])

    async def test_a_reply_is_parsed_and_saved_and_an_unreadable_one_is_not(self, service):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        skipped = await service.reply(created.row.id, "skip", ANN)
        # Skipping stores where the chat is, not an answer.
        assert (skipped.saved, skipped.turn.message, skipped.turn.question.id) == (
            False,
            "Skipped.",
            "owner.since",
        )
        assert skipped.view.row.revision == 2
        unreadable = await service.reply(created.row.id, "next tuesday-ish", ANN)
        assert unreadable.saved is False
        assert [p.path for p in unreadable.turn.problems] == ["owner.since"]
        read = await service.reply(created.row.id, "January 2, 2024", ANN)
        assert read.saved and read.view.row.answers["owner"]["since"] == "2024-01-02"

    async def test_someone_elses_session_is_not_found(self, service):
        created = await service.create("mini", {}, ANN)
        with pytest.raises(SessionNotFound):
            await service.get(created.row.id, BOB)
        with pytest.raises(SessionNotFound):
            await service.patch_answers(created.row.id, {"owner": {"name": "Bob"}}, BOB)
        assert (
            await service.get(created.row.id, Actor(name="admin", is_admin=True))
        ).row.answers == {}

    async def test_delete_removes_the_session_and_keeps_a_record_in_the_log(self, service, engine):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        await service.delete(created.row.id, ANN)
        with pytest.raises(SessionNotFound):
            await service.get(created.row.id, ANN)
        log = await stored(engine, AnswerChange, session_id=created.row.id)
        assert [(c.revision, c.source, c.new_value) for c in log][-1] == (
            2,
            "system",
            {"deleted": True},
        )


class TestConflicts:
    async def test_a_stale_revision_is_refused_and_nothing_saved(self, service, engine):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        await service.patch_answers(
            created.row.id, {"owner": {"nickname": "A"}}, ANN, expected_revision=1
        )
        with pytest.raises(StaleRevision) as stale:
            await service.patch_answers(
                created.row.id, {"owner": {"name": "Grace"}}, ANN, expected_revision=1
            )
        assert stale.value.current == 2
        (row,) = await stored(engine, InterviewSession, id=created.row.id)
        assert (row.revision, row.answers["owner"]["name"]) == (2, "Ada")

    async def test_writers_without_a_revision_never_lose_each_others_answers(
        self, service, engine, packs
    ):
        created = await service.create("mini", {"owner": {"name": "Ada"}}, ANN)
        # Another writer has read the session (revision 1) and writes after this one did.
        async for other in another_service(engine, packs):
            await other.get(created.row.id, ANN)
            await service.patch_answers(created.row.id, {"owner": {"nickname": "A"}}, ANN)
            view = await other.patch_answers(
                created.row.id, {"owner": {"since": "2024-01-02"}}, ANN
            )
        assert view.row.revision == 3
        assert view.row.answers == {
            "owner": {"name": "Ada", "nickname": "A", "since": "2024-01-02"}
        }


class TestGeneration:
    async def test_an_incomplete_session_is_refused_with_its_errors(
        self, service, engine, solar_answers
    ):
        del solar_answers["representative_certification"]["capacity"]
        created = await service.create("adcvd-petition", solar_answers, ANN)
        with pytest.raises(NotComplete) as refused:
            await service.generate(created.row.id, ANN)
        assert [(p.path, p.code) for p in refused.value.problems if p.severity == "error"] == [
            ("representative_certification.capacity", "required")
        ]
        assert await stored(engine, GeneratedDocument) == []

    async def test_a_complete_session_stores_its_packet_in_batches(
        self, service, engine, solar_answers
    ):
        created = await service.create("adcvd-petition", solar_answers, ANN)
        first = await service.generate(created.row.id, ANN)
        assert [d.batch for d in first] == [1] * 7
        assert first[0].kind == "cover-letter"
        assert (
            "On behalf of The American Alliance for Solar Manufacturing Trade Committee"
            in docx_text(first[0].content)
        )
        second = await service.generate(created.row.id, ANN)
        assert {d.batch for d in second} == {2}
        latest = await service.list_documents(created.row.id, ANN)
        assert sorted(d.id for d in latest) == sorted(d.id for d in second)
        assert len(await stored(engine, GeneratedDocument, session_id=created.row.id)) == 14

    async def test_a_document_of_another_session_is_not_found(self, service, solar_answers):
        created = await service.create("adcvd-petition", solar_answers, ANN)
        (document, *_) = await service.generate(created.row.id, ANN)
        other = await service.create("adcvd-petition", solar_answers, ANN)
        assert (
            await service.document(created.row.id, document.id, ANN)
        ).content == document.content
        with pytest.raises(SessionNotFound):
            await service.document(other.row.id, document.id, ANN)
        with pytest.raises(SessionNotFound):
            await service.document(created.row.id, uuid.uuid4(), ANN)

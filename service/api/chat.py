from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody

from service.api.responses import problems
from service.api.schemas import (
    ChatReply,
    NextOut,
    ProblemOut,
    ProgressOut,
    QuestionOut,
    ReplyOut,
    ReviewAnswerOut,
    ReviewStepOut,
)
from service.auth.guards import MissingScope
from service.auth.identity import READ
from service.dependencies import (
    CurrentActor,
    ExpectedRevision,
    ReadsAnswers,
    Service,
    etag,
    provide_expected_revision,
    provide_reads_answers,
)


class ChatController(Controller):
    path = "/api/sessions/{session_id:uuid}"
    tags = ["chat"]
    dependencies = {
        "expected_revision": Provide(provide_expected_revision),
        "reads_answers": Provide(provide_reads_answers),
    }

    @get("/next", summary="The one question to ask now", responses=problems(404))
    async def next_question(
        self, session_id: FromPath[uuid.UUID], service: Service, actor: CurrentActor
    ) -> Response[NextOut]:
        view, asked = await service.next_question(session_id, actor)
        p = view.progress
        body = NextOut(
            session_id=view.row.id,
            revision=view.row.revision,
            # Complete only when nothing blocks the documents, even with nothing left to ask.
            complete=asked is None and view.row.status == "complete",
            progress=ProgressOut(p.answered, p.required, p.percent),
            question=QuestionOut.of(asked) if asked else None,
        )
        return Response(body, headers={"ETag": etag(view.row.revision)})

    @post(
        "/reply",
        summary="Answer the current question in free text",
        description='Parsed by the question\'s type ("April 24, 2024", "yes", "3, 4, 6-9"). '
        'The words "back", "skip" (optional questions only), "review" and "help" do what they say.',
        status_code=200,
        responses=problems(404, 409, 412, 413),
    )
    async def reply(
        self,
        session_id: FromPath[uuid.UUID],
        data: JSONBody[ChatReply],
        service: Service,
        actor: CurrentActor,
        expected_revision: ExpectedRevision,
        reads_answers: ReadsAnswers,
    ) -> Response[ReplyOut]:
        if not reads_answers and data.text.strip().lower() == "review":
            # "review" reads every answer back: a write-only key may not.
            raise MissingScope(READ, "no read")
        outcome = await service.reply(session_id, data.text, actor, expected_revision)
        turn, view = outcome.turn, outcome.view
        p = view.progress
        review = None
        if turn.review is not None:
            review = [
                ReviewStepOut(
                    step=s["step"],
                    title=s["title"],
                    answers=[ReviewAnswerOut(**a) for a in s["answers"]],
                )
                for s in turn.review
            ]
        body = ReplyOut(
            session_id=view.row.id,
            revision=view.row.revision,
            saved=outcome.saved,
            message=turn.message,
            problems=[ProblemOut(**pr.as_dict()) for pr in turn.problems],
            progress=ProgressOut(p.answered, p.required, p.percent),
            question=QuestionOut.of(turn.question, with_answer=reads_answers)
            if turn.question
            else None,
            review=review if reads_answers else None,
        )
        return Response(body, headers={"ETag": etag(view.row.revision)})

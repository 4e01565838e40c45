"""Items 3 and 5: intake answers fast whatever the model does, and a message that can never be
read is answered 2xx and quarantined with its reason, where an admin sees it."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from app.drafts.tables import DraftOrder, DraftStatus
from app.intake.tables import InboundMessage, MessageStatus
from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.tables import Job, JobStatus
from app.jobs.worker import Worker
from app.main import create_app
from app.pipeline import quarantine_dead_messages
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer
from tests.graphs.test_graph import email
from tests.security.conftest import ContextFactory, admin_headers, store

RFC822 = {"Content-Type": "message/rfc822"}
TOKEN = "intake-token-for-tests"


@pytest.mark.slow
def test_intake_answers_202_within_2s_while_the_model_takes_60s(
    make_ctx: ContextFactory, openai_server: FakeOpenAIServer
) -> None:
    openai_server.script(Reply.answer(po_answer()).slow(60))
    ctx = make_ctx(
        llm_model="gpt-test",
        llm_base_url=openai_server.base_url,
        llm_api_key=SecretStr("sk-test"),
        llm_timeout_s=90,
        llm_max_retries=0,
        worker_concurrency=1,
    )
    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=True)
    with TestClient(app) as client:
        first = client.post(
            "/v1/intake/messages", content=email(message_id="<slow-1@t>"), headers=RFC822
        )
        assert first.status_code == 202
        deadline = time.monotonic() + 60
        while not openai_server.chat_requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert openai_server.chat_requests, "the embedded worker never called the model"

        timings = []
        for n in range(3):  # the worker is now waiting on the model
            started = time.monotonic()
            answer = client.post(
                "/v1/intake/messages",
                headers=RFC822,
                content=email(body=f"order {n}", message_id=f"<fast-{n}@t>"),
            )
            timings.append(time.monotonic() - started)
            assert answer.status_code == 202, answer.text
        assert max(timings) < 2.0, timings
        openai_server.stop()  # the slow answer breaks off: the extractor falls back to rules
    with Session(ctx.engine) as s:
        assert len(s.exec(select(InboundMessage)).all()) == 4


def _nesting_bomb(depth: int = 40) -> bytes:
    """multipart/mixed inside multipart/mixed ... `depth` times: over the MIME depth limit."""
    head = (
        b"From: Mike Kowalski <mkowalski@greatlakesfab.com>\r\nTo: orders@x.example\r\n"
        b"Subject: PO\r\nMessage-ID: <bomb@test>\r\nMIME-Version: 1.0\r\n"
    )
    body = b"Content-Type: text/plain\r\n\r\n10 x ABR-1015\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        body = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\r\n\r\n--"
            + boundary
            + b"\r\n"
            + body
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return head + body


def test_unreadable_message_is_accepted_then_quarantined_for_the_admin(
    make_ctx: ContextFactory,
) -> None:
    ctx = make_ctx(intake_token=SecretStr(TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=False)
    with TestClient(app) as client:
        posted = client.post(
            "/v1/intake/messages", content=_nesting_bomb(), headers={**RFC822, **auth}
        )
        assert posted.status_code == 202  # never a 5xx: the provider would retry forever
        worker = Worker(ctx, registry=load_handlers(HandlerRegistry(), ("app.pipeline",)))
        assert worker.run_once()

        listed = client.get("/v1/admin/quarantine", headers=admin_headers(ctx))
        assert client.get("/v1/admin/quarantine", headers=auth).status_code in (401, 403)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["id"] == posted.json()["id"]
    assert item["status"] == "quarantined" and "mime_depth" in item["quarantine_reason"]
    with Session(ctx.engine) as s:
        [job] = s.exec(select(Job)).all()
        assert job.status == JobStatus.DONE  # handled, not retried
        [draft] = s.exec(select(DraftOrder)).all()
        assert draft.status == DraftStatus.QUARANTINED


def test_a_message_whose_processing_always_fails_is_quarantined_with_the_error(
    make_ctx: ContextFactory,
) -> None:
    ctx = make_ctx(intake_token=SecretStr(TOKEN))
    message_id = store(ctx, email(message_id="<poison@test>"))

    def poison(_ctx: object, _payload: object) -> None:
        raise ValueError("the parser blew up on this one")

    registry = HandlerRegistry()
    registry.register("process_message", poison)
    worker = Worker(ctx, registry=registry)
    with Session(ctx.engine) as s:
        [job] = s.exec(select(Job)).all()
        job.max_attempts = 1
        s.add(job)
        s.commit()
    assert worker.run_once()
    quarantine_dead_messages(ctx)
    quarantine_dead_messages(ctx)  # the sweep runs periodically: idempotent

    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=False)
    with TestClient(app) as client:
        listed = client.get("/v1/admin/quarantine", headers=admin_headers(ctx)).json()
    [item] = listed["items"]
    assert item["id"] == message_id
    assert "processing_failed" in item["quarantine_reason"]
    assert "the parser blew up on this one" in item["quarantine_reason"]
    with Session(ctx.engine) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None and message.status == MessageStatus.QUARANTINED

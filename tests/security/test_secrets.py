"""Item 20: no API response, log line or span attribute carries a secret: the model API key,
the session secret, the Mailgun signing key or the intake token."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.worker import Worker
from app.main import create_app
from app.telemetry.tables import TelemetrySpan
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer
from tests.graphs.test_graph import email
from tests.security.conftest import ContextFactory, admin_headers

SECRETS = {
    "llm_api_key": "sk-SENTINEL-llm-7a1c",
    "secret_key": "SENTINEL-session-secret-9d2e-long-enough",
    "mailgun_signing_key": "SENTINEL-mailgun-key-41f0",
    "intake_token": "SENTINEL-intake-token-c3b8",
}


def _mailgun_form(key: str) -> dict[str, str]:
    timestamp, token = str(int(time.time())), "tok-" + str(time.time_ns())
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
        "body-mime": email(message_id="<mailgun-secret@t>").decode(),
    }


def test_no_response_log_or_span_carries_a_secret(
    make_ctx: ContextFactory,
    openai_server: FakeOpenAIServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    openai_server.handler = lambda request: Reply.answer(po_answer())
    ctx = make_ctx(
        **{k: SecretStr(v) for k, v in SECRETS.items()},
        llm_model="gpt-test",
        llm_base_url=openai_server.base_url,
        llm_max_retries=0,
        llm_timeout_s=5,
        llm_capture_content=True,
    )
    bearer = {"Authorization": f"Bearer {SECRETS['intake_token']}"}
    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=False)
    bodies: list[str] = []
    with TestClient(app) as client:
        admin = admin_headers(ctx)
        responses = [
            client.post(
                "/v1/intake/messages",
                content=email(message_id="<s1@t>"),
                headers={"Content-Type": "message/rfc822", **bearer},
            ),
            client.post(
                "/v1/intake/messages",
                content=email(message_id="<s2@t>"),
                headers={"Content-Type": "message/rfc822", "Authorization": "Bearer wrong-token"},
            ),
            client.post("/v1/intake/mailgun", data=_mailgun_form(SECRETS["mailgun_signing_key"])),
            client.post("/v1/intake/mailgun", data=_mailgun_form("a-wrong-key")),
        ]
        worker = Worker(ctx, registry=load_handlers(HandlerRegistry(), ("app.pipeline",)))
        while worker.run_once():
            pass
        assert openai_server.chat_requests, "the model was called with the key"
        for route in app.routes:  # every parameterless GET, as an admin and as nobody
            path = getattr(route, "path", "")
            if "GET" in getattr(route, "methods", set()) and "{" not in path:
                responses += [client.get(path, headers=admin), client.get(path)]
        bodies = [r.text + str(dict(r.headers)) for r in responses]
    assert responses[0].status_code == 202 and responses[2].status_code == 202
    assert responses[1].status_code == 401 and responses[3].status_code == 401

    spans = ctx.extras["spans"].get_finished_spans()
    span_text = "\n".join(span.to_json() for span in spans)
    with Session(ctx.engine) as s:
        stored_spans = "\n".join(str(r.model_dump()) for r in s.exec(select(TelemetrySpan)))
    for name, secret in SECRETS.items():
        for body in bodies:
            assert secret not in body, f"{name} in a response"
        assert secret not in caplog.text, f"{name} in the log"
        assert secret not in span_text and secret not in stored_spans, f"{name} on a span"
    assert (
        openai_server.chat_requests[0].headers["authorization"].endswith(SECRETS["llm_api_key"])
    )  # it was really in use

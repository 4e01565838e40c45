"""A run with the model: a `chat {model}` span per call, and no secret on any span."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from pydantic import SecretStr
from sqlmodel import select

from app.core.db import session_scope
from app.telemetry.tables import TelemetrySpan
from tests.fakes.openai_server import FakeOpenAIServer, Reply
from tests.fakes.sample_po import po_answer
from tests.telemetry.flow import DATA, Run, build_run, close_run, hex_trace

API_KEY = "sk-test-NEVER-ON-A-SPAN-7c1e"
SECRET_KEY = "intake-secret-NEVER-ON-A-SPAN-91ab"
MODEL = "gpt-test-mini"


@pytest.fixture(scope="module")
def model_server() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    server.handler = lambda request: Reply.answer(po_answer(), usage=(321, 54))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llm_run(
    tmp_path_factory: pytest.TempPathFactory, model_server: FakeOpenAIServer
) -> Iterator[Run]:
    """One message through the graph with the LLM extractor against the fake server."""
    run = build_run(
        tmp_path_factory.mktemp("llm-run"),
        llm_model=MODEL,
        llm_base_url=model_server.base_url,
        llm_api_key=SecretStr(API_KEY),
        llm_timeout_s=5.0,
        llm_max_retries=0,
        secret_key=SecretStr(SECRET_KEY),
    )
    run.post("llm", (DATA / "auto_po.eml").read_bytes())
    run.drain()
    yield run
    close_run(run)


def _chat_spans(run: Run) -> list[ReadableSpan]:
    return [s for s in run.finished() if s.name == f"chat {MODEL}"]


def test_each_model_call_is_a_genai_span_in_the_message_trace(
    llm_run: Run, model_server: FakeOpenAIServer
) -> None:
    assert model_server.chat_requests, "the model was not called"
    chats = _chat_spans(llm_run)
    assert len(chats) == len(model_server.chat_requests)
    # extraction calls the model, and so does the item lookup (LLM mode, an unknown line)
    nodes = {s.name: s.context.span_id for s in llm_run.finished() if s.name.startswith("graph.")}
    node_of = {"extract_po": "graph.node extract", "resolve_items": "graph.node lookup"}
    draft = llm_run.draft_of("llm")
    for span in chats:
        attrs = span.attributes or {}
        assert hex_trace(span) == draft.trace_id
        node = node_of[str(attrs["intake.prompt.name"])]
        assert span.parent is not None and span.parent.span_id == nodes[node]
        assert attrs["gen_ai.operation.name"] == "chat"
        assert attrs["gen_ai.provider.name"] == "openai"
        assert attrs["gen_ai.request.model"] == MODEL
        assert attrs["gen_ai.usage.input_tokens"] == 321
        assert attrs["gen_ai.usage.output_tokens"] == 54
        assert attrs["intake.prompt.name"] and attrs["intake.prompt.version"]
        assert "gen_ai.input.messages" not in attrs  # llm_capture_content is off
        assert "gen_ai.output.messages" not in attrs


def test_no_span_carries_the_api_key_or_the_secret_key(
    llm_run: Run, model_server: FakeOpenAIServer
) -> None:
    sent = model_server.chat_requests[0].headers
    assert API_KEY in json.dumps(sent)  # the key was in use, so its absence below means something
    secrets = (API_KEY, SECRET_KEY)
    for span in llm_run.finished():
        text = json.dumps(
            {
                "name": span.name,
                "attributes": dict(span.attributes or {}),
                "events": [(e.name, dict(e.attributes or {})) for e in span.events],
                "links": [dict(link.attributes or {}) for link in span.links],
                "status": span.status.description,
                "resource": dict(span.resource.attributes),
            },
            default=str,
        )
        assert not any(s in text for s in secrets), span.name
    with session_scope(llm_run.ctx.engine) as session:
        stored = [r.model_dump_json() for r in session.exec(select(TelemetrySpan))]
    assert stored and not any(s in row for row in stored for s in secrets)


def test_token_usage_reaches_the_timeline_and_the_metrics(llm_run: Run) -> None:
    from app.telemetry.timeline import timeline_for_draft

    with session_scope(llm_run.ctx.engine) as session:
        timeline = timeline_for_draft(session, llm_run.draft_of("llm").id)
    calls = [e for e in timeline.entries if e.kind == "model_call"]
    assert calls and calls[0].input_tokens == 321 and calls[0].output_tokens == 54
    assert calls[0].detail["intake.prompt.name"]
    assert timeline.input_tokens == 321 * len(calls)
    text = llm_run.client.get("/metrics").text
    assert f'intake_model_tokens_total{{model="{MODEL}",type="input"}} {321.0 * len(calls)}' in text

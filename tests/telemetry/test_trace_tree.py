"""One trace per inbound message: HTTP request -> job -> every node and tool call -> order."""

from __future__ import annotations

import json

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind
from sqlmodel import select

from app.core.db import session_scope
from app.orders.tables import Order
from tests.telemetry.flow import Run, hex_span, hex_trace

PIPELINE_NODES = {"parse", "extract", "resolve", "enrich", "tools", "validate", "route"}
CORE_TOOLS = {"quote_price", "available_to_promise", "plan_fulfillment", "check_credit"}


def _trace_of(run: Run, label: str) -> list[ReadableSpan]:
    draft = run.draft_of(label)
    return [s for s in run.finished() if hex_trace(s) == draft.trace_id]


def _one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, (name, [s.name for s in spans])
    return found[0]


def _parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent else None


def test_one_trace_from_request_to_committed_order(full_run: Run) -> None:
    spans = _trace_of(full_run, "auto")
    server = [s for s in spans if s.kind is SpanKind.SERVER]
    assert [s.name for s in server] == ["POST /v1/intake/messages"]
    job = _one(spans, "job process_message")
    assert _parent_id(job) == server[0].context.span_id  # the enqueuer's span is the parent
    nodes = [s for s in spans if s.name.startswith("graph.node ")]
    names = {s.name.removeprefix("graph.node ") for s in nodes}
    assert PIPELINE_NODES | {"commit"} <= names
    assert "review" not in names
    assert all(_parent_id(s) == job.context.span_id for s in nodes)
    assert job.attributes is not None and job.attributes["intake.draft_id"]


def test_tool_spans_sit_under_the_tools_node(full_run: Run) -> None:
    spans = _trace_of(full_run, "auto")
    tools_nodes = {s.context.span_id for s in spans if s.name == "graph.node tools"}
    tool_spans = [s for s in spans if s.name.startswith("execute_tool ")]
    assert {s.name.removeprefix("execute_tool ") for s in tool_spans} >= CORE_TOOLS
    for span in tool_spans:
        attrs = span.attributes or {}
        assert _parent_id(span) in tools_nodes
        assert attrs["gen_ai.operation.name"] == "execute_tool"
        assert attrs["gen_ai.tool.name"] == span.name.removeprefix("execute_tool ")
        assert isinstance(json.loads(str(attrs["gen_ai.tool.call.arguments"])), dict)
        assert attrs["intake.tool.result_summary"]


def test_draft_and_order_store_the_trace_id(full_run: Run) -> None:
    draft = full_run.draft_of("auto")
    request = _one(_trace_of(full_run, "auto"), "POST /v1/intake/messages")
    assert draft.trace_id == hex_trace(request)
    with session_scope(full_run.ctx.engine) as session:
        order = session.exec(select(Order).where(Order.draft_id == draft.id)).one()
    assert order.trace_id == draft.trace_id
    assert order.resume_trace_id is None  # committed in the intake trace itself


def test_resume_after_review_is_a_new_trace_linked_to_the_original(full_run: Run) -> None:
    draft = full_run.draft_of("review")
    original = _trace_of(full_run, "review")
    assert "graph.node review" in {s.name for s in original}
    assert "graph.node commit" not in {s.name for s in original}
    request = _one(original, "POST /v1/intake/messages")

    resume = _one(full_run.finished(), "resume_review")
    assert hex_trace(resume) != draft.trace_id
    assert [(link.context.trace_id, link.context.span_id) for link in resume.links] == [
        (request.context.trace_id, request.context.span_id)
    ]
    attrs = resume.attributes or {}
    assert attrs["intake.draft_id"] == draft.id
    assert attrs["intake.origin_trace_id"] == draft.trace_id
    assert attrs["intake.actor"] == "rita.reviewer"

    resumed = [s for s in full_run.finished() if hex_trace(s) == hex_trace(resume)]
    commit = _one(resumed, "graph.node commit")
    assert hex_span(_parent_id(commit) or 0) == hex_span(resume.context.span_id)
    with session_scope(full_run.ctx.engine) as session:
        order = session.exec(select(Order).where(Order.draft_id == draft.id)).one()
    assert order.trace_id == draft.trace_id
    assert order.resume_trace_id == hex_trace(resume)


def test_the_approval_is_an_event_with_the_actor(full_run: Run) -> None:
    events = [(e.name, dict(e.attributes or {})) for s in full_run.finished() for e in s.events]
    approvals = [attrs for name, attrs in events if name == "review.approve"]
    assert approvals and approvals[0]["intake.actor"] == "rita.reviewer"

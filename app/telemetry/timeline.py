"""What happened to a draft, in order: from the intake request through every node, model and
tool call, the reviewers' actions and the resume, to the committed order.

Read from the span store: the draft's trace, plus every trace linked to it (a resume after
review runs in a trace of its own whose span links to the original and carries
intake.origin_trace_id) or naming the draft (intake.draft_id, e.g. the reviewer's request).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, assert_never

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.drafts.service import get_draft
from app.telemetry import repository
from app.telemetry.tables import TelemetrySpan

EntryKind = Literal[
    "request", "job", "node", "tool", "model_call", "review_action", "resume", "commit"
]
REVIEW_EVENT_PREFIX = "review."
DETAIL_KEYS = (
    "http.request.method",
    "http.route",
    "http.response.status_code",
    "http.status_code",
    "job.id",
    "job.attempt",
    "job.outcome",
    "langgraph.interrupted",
    "gen_ai.tool.call.arguments",
    "intake.tool.result_summary",
    "gen_ai.response.model",
    "gen_ai.response.finish_reasons",
    "intake.prompt.name",
    "intake.prompt.version",
    "intake.llm.attempt",
    "error.type",
    "intake.task_id",
    "intake.reason",
    "intake.origin_trace_id",
)


class TimelineEntry(BaseModel):
    kind: EntryKind
    name: str
    started_at: datetime
    duration_ms: float | None = None  # None for instants (reviewer actions)
    status: str = "unset"  # unset | ok | error
    status_message: str | None = None
    trace_id: str
    span_id: str | None = None
    parent_span_id: str | None = None
    node: str | None = None
    tool: str | None = None
    model: str | None = None
    actor: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class Timeline(BaseModel):
    draft_id: str
    trace_id: str | None
    linked_trace_ids: list[str]
    entries: list[TimelineEntry]
    input_tokens: int = 0
    output_tokens: int = 0
    errors: int = 0


def timeline_for_draft(session: Session, draft_id: str) -> Timeline:
    """The draft's timeline, oldest first (NotFound for an unknown draft)."""
    draft = get_draft(session, draft_id)
    trace_ids = repository.related_trace_ids(session, trace_id=draft.trace_id, draft_id=draft_id)
    entries: list[TimelineEntry] = []
    for span in repository.spans_of(session, trace_ids):
        entry = _entry(span)
        if entry is not None:
            entries.append(entry)
        entries.extend(_review_actions(span))
    entries.sort(key=lambda e: e.started_at)
    return Timeline(
        draft_id=draft_id,
        trace_id=draft.trace_id,
        linked_trace_ids=[t for t in trace_ids if t != draft.trace_id],
        entries=entries,
        input_tokens=sum(e.input_tokens or 0 for e in entries),
        output_tokens=sum(e.output_tokens or 0 for e in entries),
        errors=sum(1 for e in entries if e.status == "error"),
    )


def classify(span: TelemetrySpan) -> EntryKind | None:
    """Which kind of step a span is, or None for plumbing (SQL, ASGI send/receive)."""
    attrs = span.attributes
    if span.name.startswith("graph.node "):
        return "commit" if attrs.get("langgraph.node") == "commit" else "node"
    if attrs.get("gen_ai.operation.name") == "execute_tool":
        return "tool"
    if attrs.get("gen_ai.operation.name") == "chat":
        return "model_call"
    if span.name.startswith("job ") and "job.kind" in attrs:
        return "job"
    if span.name == "resume_review":
        return "resume"
    if span.kind == "server":
        return "request"
    return None


def _entry(span: TelemetrySpan) -> TimelineEntry | None:
    kind = classify(span)
    if kind is None:
        return None
    attrs = span.attributes
    entry = TimelineEntry(
        kind=kind,
        name=span.name,
        started_at=span.start_time,
        duration_ms=span.duration_ms,
        status=span.status,
        status_message=span.status_message,
        trace_id=span.trace_id,
        span_id=span.span_id,
        parent_span_id=span.parent_span_id,
        actor=_str(attrs.get("intake.actor")),
        detail={k: attrs[k] for k in DETAIL_KEYS if k in attrs},
    )
    match kind:
        case "node" | "commit":
            entry.node = _str(attrs.get("langgraph.node"))
        case "tool":
            entry.tool = _str(attrs.get("gen_ai.tool.name"))
        case "model_call":
            entry.model = _str(
                attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model")
            )
            entry.input_tokens = _int(attrs.get("gen_ai.usage.input_tokens"))
            entry.output_tokens = _int(attrs.get("gen_ai.usage.output_tokens"))
        case "request" | "job" | "resume" | "review_action":
            pass
        case _:
            assert_never(kind)
    return entry


def _review_actions(span: TelemetrySpan) -> list[TimelineEntry]:
    out: list[TimelineEntry] = []
    for event in span.events:
        name = str(event.get("name", ""))
        if not name.startswith(REVIEW_EVENT_PREFIX):
            continue
        attrs: dict[str, Any] = event.get("attributes") or {}
        out.append(
            TimelineEntry(
                kind="review_action",
                name=name,
                started_at=datetime.fromisoformat(event["time"]),
                status="ok",
                trace_id=span.trace_id,
                span_id=span.span_id,
                actor=_str(attrs.get("intake.actor")),
                detail={k: v for k, v in attrs.items() if k != "intake.actor"},
            )
        )
    return out


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

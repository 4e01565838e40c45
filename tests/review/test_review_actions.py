"""Every reviewer action is audited and traced with the draft it concerns."""

from __future__ import annotations

from decimal import Decimal

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import Session, select

from app.audit.service import digest
from app.audit.tables import AuditEvent
from app.auth.service import Principal
from app.core.context import AppContext
from app.core.db import session_scope
from app.review import service

from .factory import make_task, task_version

RITA = Principal(
    username="rita",
    role="reviewer",
    approval_limit=Decimal(10_000),
    via="token",
)


def test_escalation_records_the_queue_it_left(demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx, queue="pricing")
    with session_scope(demo_ctx.engine) as session:
        service.escalate(session, "sla-check", task_id, task_version(demo_ctx, task_id), "late")
    with Session(demo_ctx.engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "review.escalate")).one()
    assert event.before_digest == digest({"queue": "pricing"})


def test_every_action_names_its_draft_on_the_span(demo_ctx: AppContext) -> None:
    task_id, draft_id = make_task(demo_ctx)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with provider.get_tracer("t").start_as_current_span("request"):
        with session_scope(demo_ctx.engine) as session:
            service.claim(session, RITA, task_id, task_version(demo_ctx, task_id))
        with session_scope(demo_ctx.engine) as session:
            service.release(session, RITA, task_id, task_version(demo_ctx, task_id))
        with session_scope(demo_ctx.engine) as session:
            service.reject(session, RITA, task_id, task_version(demo_ctx, task_id), "duplicate")
    [span] = exporter.get_finished_spans()
    events = {e.name: dict(e.attributes or {}) for e in span.events}
    assert set(events) == {"review.claim", "review.release", "review.reject"}
    assert all(
        a["intake.draft_id"] == draft_id and a["intake.actor"] == "rita" for a in events.values()
    )
    with Session(demo_ctx.engine) as s:
        audited = s.exec(select(AuditEvent).where(AuditEvent.entity == "review_task")).all()
    assert all(e.detail.get("draft_id") == draft_id for e in audited if e.action != "review.opened")

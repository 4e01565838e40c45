"""A whole run for trace, timeline and metrics tests: intake over HTTP, the worker, a review.

Building it takes a few seconds (each message is parsed in a child process), so the tests
share one run per module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import select

from app.auth.service import Principal
from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import make_engine, session_scope, upgrade
from app.drafts.tables import DraftOrder
from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.worker import Worker
from app.main import create_app
from app.metrics.instruments import IntakeMetrics
from app.metrics.setup import install_metrics
from app.pipeline import RunMasterData
from app.review import service as review
from app.review.schemas import DraftEdits
from app.review.tables import ReviewTask
from app.routing.policy import DEFAULT_POLICY_PATH
from app.telemetry.exporter import DatabaseSpanExporter, SpanStoreOptions, install_span_store
from tests.support import sqlite_url, test_settings

DATA = Path(__file__).parent / "data"
APPROVER = Principal(
    username="rita.reviewer", role=Role.APPROVER, approval_limit=Decimal("1000000"), via="session"
)


@dataclass
class Run:
    ctx: AppContext
    client: TestClient
    spans: InMemorySpanExporter
    store: DatabaseSpanExporter
    metric_reader: InMemoryMetricReader
    message_ids: dict[str, str] = field(default_factory=dict)  # "auto" | "review" -> id

    @property
    def metrics(self) -> IntakeMetrics:
        metrics = self.ctx.extras["metrics"]
        assert isinstance(metrics, IntakeMetrics)
        return metrics

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def draft_of(self, label: str) -> DraftOrder:
        with session_scope(self.ctx.engine) as session:
            draft = session.exec(
                select(DraftOrder).where(DraftOrder.inbound_message_id == self.message_ids[label])
            ).one()
        return draft

    def post(self, label: str, raw: bytes) -> str:
        response = self.client.post(
            "/v1/intake/messages", content=raw, headers={"content-type": "message/rfc822"}
        )
        assert response.status_code == 202, response.text
        self.message_ids[label] = str(response.json()["id"])
        return self.message_ids[label]

    def drain(self) -> None:
        worker = Worker(self.ctx, registry=load_handlers(HandlerRegistry()))
        while worker.run_once():
            pass
        self.ctx.tracer_provider.force_flush()

    def approve(self, label: str) -> None:
        """Approve the draft's task as a reviewer would, inside a request-like span."""
        draft = self.draft_of(label)
        tracer = self.ctx.tracer_provider.get_tracer("tests")
        md = RunMasterData(self.ctx.engine, self.ctx.settings.base_currency)()
        with (
            tracer.start_as_current_span("POST /v1/reviews/{task_id}/approve"),
            session_scope(self.ctx.engine) as session,
        ):
            task = session.exec(select(ReviewTask).where(ReviewTask.draft_id == draft.id)).one()
            review.approve(
                session,
                APPROVER,
                task.id,
                task.version,
                DraftEdits(),
                md,
                today=task.created_at.date(),
                dual_control_amount=Decimal("1000000"),
            )


def lenient_policy(directory: Path) -> Path:
    """The shipped policy with any document confidence accepted, so that a cleanly resolved
    order is approved by policy whatever the extractor's calibration of the day."""
    policy = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    policy["thresholds"]["auto_min_confidence"] = 0.0
    path = directory / "policy.yaml"
    path.write_text(yaml.safe_dump(policy))
    return path


def build_run(directory: Path, **overrides: Any) -> Run:
    """A context on a fresh demo database with in-memory spans, the span store and metrics."""
    from app.demo import load_demo_masterdata
    from app.masterdata.service import clear_cache

    overrides.setdefault("policy_file", lenient_policy(directory))
    settings = test_settings(sqlite_url(directory), data_dir=directory / "data", **overrides)
    upgrade(settings.database_url)
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    ctx = AppContext(
        settings=settings, engine=make_engine(settings.database_url), tracer_provider=provider
    )
    reader = InMemoryMetricReader()
    install_metrics(ctx, readers=[reader])
    store = install_span_store(ctx, SpanStoreOptions(schedule_delay_ms=200))
    clear_cache()
    load_demo_masterdata(ctx.engine, base_currency=settings.base_currency)
    client = TestClient(create_app(settings, context=ctx, migrate=False, start_worker=False))
    client.__enter__()
    return Run(ctx=ctx, client=client, spans=spans, store=store, metric_reader=reader)


def close_run(run: Run) -> None:
    run.client.__exit__(None, None, None)
    run.ctx.tracer_provider.shutdown()
    run.metrics.shutdown()
    run.ctx.engine.dispose()


def hex_trace(span: ReadableSpan) -> str:
    return format(span.context.trace_id, "032x")


def hex_span(span_id: int) -> str:
    return format(span_id, "016x")

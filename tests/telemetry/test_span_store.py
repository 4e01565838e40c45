"""The database span exporter: rows, size caps, retention, and dropping when the DB is busy."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Link, SpanKind, Status, StatusCode
from sqlmodel import col, select

from app.core.context import AppContext
from app.core.db import session_scope, upgrade
from app.core.time import utcnow
from app.telemetry import repository
from app.telemetry.exporter import (
    MAX_VALUE_CHARS,
    TRUNCATED,
    DatabaseSpanExporter,
    SpanRetention,
    SpanStoreOptions,
    span_store_processor,
)
from app.telemetry.tables import TelemetrySpan
from tests.support import sqlite_url
from tests.support import test_settings as settings_for


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path)
    upgrade(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[TracerProvider, DatabaseSpanExporter]]:
    from app.core.db import make_engine

    engine = make_engine(db_url)
    processor, exporter = span_store_processor(
        db_url, engine, SpanStoreOptions(schedule_delay_ms=50, busy_timeout_ms=100)
    )
    provider = TracerProvider()
    provider.add_span_processor(processor)
    yield provider, exporter
    provider.shutdown()
    engine.dispose()


def _rows(exporter: DatabaseSpanExporter, db_url: str) -> list[TelemetrySpan]:
    from app.core.db import make_engine

    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            return list(session.exec(select(TelemetrySpan).order_by(col(TelemetrySpan.id))))
    finally:
        engine.dispose()


def test_finished_spans_become_rows(
    store: tuple[TracerProvider, DatabaseSpanExporter], db_url: str
) -> None:
    provider, exporter = store
    tracer = provider.get_tracer("test")
    with (
        tracer.start_as_current_span("job process_message", kind=SpanKind.CONSUMER) as parent,
        tracer.start_as_current_span(
            "graph.node parse", attributes={"langgraph.node": "parse", "n": (1, 2)}
        ) as child,
    ):
        child.add_event("checkpoint", {"step": 3})
        child.set_status(Status(StatusCode.ERROR, "unreadable"))
    provider.force_flush()
    rows = {r.name: r for r in _rows(exporter, db_url)}
    node, job = rows["graph.node parse"], rows["job process_message"]
    assert node.trace_id == job.trace_id == format(parent.get_span_context().trace_id, "032x")
    assert node.parent_span_id == job.span_id
    assert job.kind == "consumer" and node.kind == "internal"
    assert node.status == "error" and node.status_message == "unreadable"
    assert node.attributes == {"langgraph.node": "parse", "n": [1, 2]}
    assert node.events[0]["name"] == "checkpoint"
    assert node.events[0]["attributes"] == {"step": 3}
    assert node.end_time >= node.start_time and node.duration_ms >= 0
    assert exporter.exported == 2 and exporter.dropped == 0


def test_links_and_draft_ids_are_indexed_for_the_timeline(
    store: tuple[TracerProvider, DatabaseSpanExporter], db_url: str
) -> None:
    provider, exporter = store
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("intake") as origin:
        pass
    with tracer.start_as_current_span(
        "resume_review",
        links=[Link(origin.get_span_context())],
        attributes={"intake.draft_id": "dr_1"},
    ):
        pass
    with tracer.start_as_current_span("POST approve") as request:
        request.add_event("review.approve", {"intake.actor": "rita", "intake.draft_id": "dr_2"})
    provider.force_flush()
    rows = {r.name: r for r in _rows(exporter, db_url)}
    origin_hex = format(origin.get_span_context().trace_id, "032x")
    assert rows["resume_review"].origin_trace_id == origin_hex
    assert rows["resume_review"].links[0]["trace_id"] == origin_hex
    assert rows["resume_review"].draft_id == "dr_1"
    assert rows["POST approve"].draft_id == "dr_2"  # lifted from the reviewer's event


def test_attributes_and_events_are_size_capped(
    store: tuple[TracerProvider, DatabaseSpanExporter], db_url: str
) -> None:
    provider, exporter = store
    with provider.get_tracer("test").start_as_current_span("big") as span:
        span.set_attribute("one", "x" * 50_000)
        for n in range(40):
            span.set_attribute(f"k{n}", "y" * 1_000)
        for n in range(80):
            span.add_event(f"e{n}")
    provider.force_flush()
    (row,) = _rows(exporter, db_url)
    assert len(row.attributes["one"]) == MAX_VALUE_CHARS + 1
    assert row.attributes[TRUNCATED] is True
    assert len(str(row.attributes)) < 20_000
    assert len(row.events) == 50


def test_database_spans_are_left_out_by_default(
    store: tuple[TracerProvider, DatabaseSpanExporter], db_url: str
) -> None:
    provider, exporter = store
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("SELECT intake", attributes={"db.system": "sqlite"}):
        pass
    with tracer.start_as_current_span("kept"):
        pass
    provider.force_flush()
    assert [r.name for r in _rows(exporter, db_url)] == ["kept"]


def test_a_busy_database_drops_spans_and_counts_them(
    store: tuple[TracerProvider, DatabaseSpanExporter], db_url: str
) -> None:
    provider, exporter = store
    path = db_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        started = time.monotonic()
        with provider.get_tracer("test").start_as_current_span("while busy"):
            pass
        assert time.monotonic() - started < 0.05  # ending a span never waits for the database
        provider.force_flush()
        assert exporter.dropped == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with provider.get_tracer("test").start_as_current_span("after"):
        pass
    provider.force_flush()
    assert [r.name for r in _rows(exporter, db_url)] == ["after"]


def test_a_full_queue_drops_instead_of_blocking(db_url: str) -> None:
    from app.core.db import make_engine

    engine = make_engine(db_url)
    processor, exporter = span_store_processor(
        db_url, engine, SpanStoreOptions(max_queue_size=8, max_export_batch_size=8)
    )
    provider = TracerProvider()
    provider.add_span_processor(processor)
    gate = threading.Event()
    original = exporter.export
    exporter.export = lambda spans: (gate.wait(5), original(spans))[1]  # type: ignore[method-assign]
    started = time.monotonic()
    for n in range(100):
        with provider.get_tracer("test").start_as_current_span(f"s{n}"):
            pass
    assert time.monotonic() - started < 1.0
    gate.set()
    provider.shutdown()
    engine.dispose()


def test_retention_prunes_by_age_and_by_rows(db_url: str) -> None:
    from app.core.db import make_engine

    engine = make_engine(db_url)
    exporter = DatabaseSpanExporter(
        engine, SpanStoreOptions(retention=SpanRetention(days=1, max_rows=3))
    )
    now = utcnow()
    with session_scope(engine) as session:
        repository.insert_spans(
            session,
            [
                {
                    "trace_id": "a" * 32,
                    "span_id": f"{n:016x}",
                    "name": f"s{n}",
                    "kind": "internal",
                    "start_time": now - timedelta(hours=n * 10),
                    "end_time": now - timedelta(hours=n * 10),
                    "attributes": {},
                    "events": [],
                    "links": [],
                }
                for n in range(6)  # 0h, 10h, 20h, 30h, 40h, 50h old
            ],
        )
    assert exporter.prune(now) == 3  # 30h, 40h and 50h are past one day
    with session_scope(engine) as session:
        assert repository.count(session) == 3
    exporter.options = SpanStoreOptions(retention=SpanRetention(days=1, max_rows=1))
    assert exporter.prune(now) == 2  # only the newest row stays
    with session_scope(engine) as session:
        assert [r.name for r in session.exec(select(TelemetrySpan))] == ["s0"]
    engine.dispose()


def test_database_exporter_is_wired_by_default(tmp_path: Path) -> None:
    from app.core.config import Exporter

    settings = settings_for(sqlite_url(tmp_path), otel_exporter=Exporter.DATABASE)
    upgrade(settings.database_url)
    ctx = AppContext.create(settings)
    try:
        with ctx.tracer_provider.get_tracer("test").start_as_current_span("wired"):
            pass
        ctx.tracer_provider.force_flush()
        with session_scope(ctx.engine) as session:
            assert [r.name for r in session.exec(select(TelemetrySpan))] == ["wired"]
    finally:
        ctx.tracer_provider.shutdown()
        ctx.engine.dispose()

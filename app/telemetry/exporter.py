"""A span exporter into the application database, batched and never in a request's way.

Spans reach it through a BatchSpanProcessor: a request only appends to an in-memory queue
(the processor drops spans when the queue is full). The export runs on the processor's
thread; when the database is busy or down the batch is dropped and counted, never retried
in a loop and never raised to a caller. Old spans are pruned now and then (days and rows).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.util.types import Attributes
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.core.context import AppContext
from app.core.db import make_engine, session_scope
from app.core.time import utcnow
from app.telemetry import repository

log = logging.getLogger(__name__)

MAX_VALUE_CHARS = 2_000  # one attribute value (stack traces, captured prompts)
MAX_ATTRIBUTES_CHARS = 16_000  # all attributes of a span or an event, as JSON
MAX_EVENTS = 50
MAX_LINKS = 20
TRUNCATED = "intake.truncated"  # set on attribute maps that lost values to the cap
DRAFT_ATTRIBUTE = "intake.draft_id"
ORIGIN_ATTRIBUTE = "intake.origin_trace_id"


@dataclass(frozen=True)
class SpanRetention:
    """How long spans are kept: the newer of `days`, and at most `max_rows`."""

    days: float = 7.0
    max_rows: int = 500_000
    prune_every_s: float = 600.0


@dataclass(frozen=True)
class SpanStoreOptions:
    retention: SpanRetention = SpanRetention()
    include_db_statements: bool = False  # one span per SQL statement is noise in the timeline
    busy_timeout_ms: int = 1_000  # SQLite: how long an export waits for the write lock
    schedule_delay_ms: int = 2_000
    max_queue_size: int = 4_096
    max_export_batch_size: int = 256


class DatabaseSpanExporter(SpanExporter):
    """Writes finished spans to `telemetry_spans`; counts (and drops) what it cannot write."""

    def __init__(
        self, engine: Engine, options: SpanStoreOptions | None = None, *, owns_engine: bool = False
    ) -> None:
        self._engine = engine
        self._owns_engine = owns_engine
        self.options = options or SpanStoreOptions()
        self._lock = threading.Lock()
        self._dropped = 0
        self._exported = 0
        self._last_prune = time.monotonic()
        self._shutdown = False

    @property
    def dropped(self) -> int:
        """Spans lost because the database could not take them."""
        return self._dropped

    @property
    def exported(self) -> int:
        return self._exported

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self._shutdown:
            return SpanExportResult.FAILURE
        rows = [span_row(s) for s in spans if self._keep(s)]
        if not rows:
            return SpanExportResult.SUCCESS
        try:
            with suppress_instrumentation(), session_scope(self._engine) as session:
                repository.insert_spans(session, rows)
        except SQLAlchemyError as exc:
            with self._lock:
                self._dropped += len(rows)
            log.warning(
                "dropped %d spans: the database did not take them (%s)",
                len(rows),
                type(exc).__name__,
            )
            return SpanExportResult.FAILURE
        with self._lock:
            self._exported += len(rows)
        self._prune_if_due()
        return SpanExportResult.SUCCESS

    def prune(self, now: datetime | None = None) -> int:
        """Delete spans past the retention; returns how many went."""
        retention = self.options.retention
        cutoff = (now or utcnow()) - timedelta(days=retention.days)
        with suppress_instrumentation(), session_scope(self._engine) as session:
            return repository.prune(session, older_than=cutoff, max_rows=retention.max_rows)

    def _prune_if_due(self) -> None:
        if time.monotonic() - self._last_prune < self.options.retention.prune_every_s:
            return
        self._last_prune = time.monotonic()
        try:
            self.prune()
        except SQLAlchemyError as exc:  # retried at the next interval
            log.warning("pruning old spans failed (%s)", type(exc).__name__)

    def _keep(self, span: ReadableSpan) -> bool:
        if self.options.include_db_statements:
            return True
        return "db.system" not in (span.attributes or {}) and "db.system.name" not in (
            span.attributes or {}
        )

    def shutdown(self) -> None:
        self._shutdown = True
        if self._owns_engine:
            self._engine.dispose()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


SPAN_STORE = "span_store"  # AppContext.extras key of the context's DatabaseSpanExporter


def install_span_store(
    ctx: AppContext,
    options: SpanStoreOptions | None = None,
) -> DatabaseSpanExporter:
    """Export the context's spans to its database (the `database` exporter setting)."""
    processor, exporter = span_store_processor(ctx.settings.database_url, ctx.engine, options)
    ctx.tracer_provider.add_span_processor(processor)
    ctx.extras[SPAN_STORE] = exporter
    return exporter


def span_store_processor(
    database_url: str,
    engine: Engine,
    options: SpanStoreOptions | None = None,
) -> tuple[BatchSpanProcessor, DatabaseSpanExporter]:
    """The batch processor and exporter for the `database` exporter setting.

    SQLite files get an engine of their own whose lock wait is short, so a busy database
    drops spans instead of queueing telemetry writes behind (or ahead of) real work.
    """
    options = options or SpanStoreOptions()
    own = database_url.startswith("sqlite") and database_url not in (
        "sqlite://",
        "sqlite:///:memory:",
    )
    if own:
        store_engine = make_engine(database_url, write_wait_s=options.busy_timeout_ms / 1000)
        event.listen(store_engine, "connect", _short_busy_timeout(options.busy_timeout_ms))
    else:
        store_engine = engine
    exporter = DatabaseSpanExporter(store_engine, options, owns_engine=own)
    processor = BatchSpanProcessor(
        exporter,
        max_queue_size=options.max_queue_size,
        schedule_delay_millis=options.schedule_delay_ms,
        max_export_batch_size=options.max_export_batch_size,
    )
    return processor, exporter


def _short_busy_timeout(ms: int) -> Any:
    def on_connect(dbapi_conn: Any, _: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(ms)}")
        cur.close()

    return on_connect


def span_row(span: ReadableSpan) -> dict[str, Any]:
    """One `telemetry_spans` row (as column values) for a finished span."""
    ctx = span.get_span_context()
    assert ctx is not None
    start = span.start_time or 0
    end = span.end_time or start
    attributes = capped_attributes(span.attributes)
    links = [
        {
            "trace_id": _hex_trace(link.context.trace_id),
            "span_id": _hex_span(link.context.span_id),
            "attributes": capped_attributes(link.attributes),
        }
        for link in list(span.links)[:MAX_LINKS]
    ]
    origin = attributes.get(ORIGIN_ATTRIBUTE) or next(
        (link["trace_id"] for link in links if link["trace_id"] != _hex_trace(ctx.trace_id)), None
    )
    event_attributes = [capped_attributes(e.attributes) for e in list(span.events)[:MAX_EVENTS]]
    events = [
        {"name": e.name, "time": _utc(e.timestamp).isoformat(), "attributes": a}
        for e, a in zip(span.events, event_attributes, strict=False)
    ]
    draft = attributes.get(DRAFT_ATTRIBUTE) or next(
        (a[DRAFT_ATTRIBUTE] for a in event_attributes if DRAFT_ATTRIBUTE in a), None
    )
    return {
        "trace_id": _hex_trace(ctx.trace_id),
        "span_id": _hex_span(ctx.span_id),
        "parent_span_id": _hex_span(span.parent.span_id) if span.parent else None,
        "name": span.name[:200],
        "kind": span.kind.name.lower(),
        "start_time": _utc(start),
        "end_time": _utc(end),
        "duration_ms": round((end - start) / 1e6, 3),
        "status": span.status.status_code.name.lower(),
        "status_message": (span.status.description or None)
        and str(span.status.description)[:MAX_VALUE_CHARS],
        "attributes": attributes,
        "events": events,
        "links": links,
        "draft_id": str(draft)[:64] if draft else None,
        "origin_trace_id": str(origin)[:32] if origin else None,
    }


def capped_attributes(attributes: Attributes | Mapping[str, Any] | None) -> dict[str, Any]:
    """Attributes as JSON-ready values, each value and the whole map capped in size."""
    out: dict[str, Any] = {}
    used = 2
    for key, value in (attributes or {}).items():
        plain = _plain(value)
        size = len(key) + len(json.dumps(plain, default=str)) + 4
        if used + size > MAX_ATTRIBUTES_CHARS:
            out[TRUNCATED] = True
            continue
        out[key] = plain
        used += size
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Sequence):
        return [_plain(v) for v in list(value)[:100]]
    return _plain(str(value))


def _utc(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / 1e9, UTC)


def _hex_trace(trace_id: int) -> str:
    return format(trace_id, "032x")


def _hex_span(span_id: int) -> str:
    return format(span_id, "016x")

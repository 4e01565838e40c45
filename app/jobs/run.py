"""Running one job's handler inside a span that continues the enqueuer's trace."""

from __future__ import annotations

import logging
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode

from app.core.context import AppContext
from app.core.telemetry import tracer
from app.jobs.handlers import HandlerRegistry

log = logging.getLogger(__name__)


def run_handler(
    ctx: AppContext,
    registry: HandlerRegistry,
    *,
    kind: str,
    payload: dict[str, Any],
    attributes: dict[str, str | int],
    trace_id: str | None,
    span_id: str | None,
) -> None:
    """Run the kind's handler; an exception is recorded on the span and re-raised."""
    with tracer(ctx.tracer_provider).start_as_current_span(
        f"job {kind}",
        context=parent_context(trace_id, span_id),
        kind=SpanKind.CONSUMER,
        attributes=attributes,
        record_exception=False,
    ) as span:
        try:
            registry.get(kind)(ctx, dict(payload))
        except Exception as exc:  # recorded here, retried or buried by the queue
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"[:200]))
            span.set_attribute("job.outcome", "failed")
            log.warning("job failed", exc_info=True, extra=attributes)
            raise
        span.set_attribute("job.outcome", "done")


def parent_context(trace_id: str | None, span_id: str | None) -> otel_context.Context | None:
    """The enqueuer's span as a remote parent, so the job continues the request's trace."""
    if not (trace_id and span_id):
        return None
    parent = SpanContext(
        trace_id=int(trace_id, 16),
        span_id=int(span_id, 16),
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )
    return trace.set_span_in_context(NonRecordingSpan(parent))

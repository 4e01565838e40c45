"""Metrics for a context: built once per AppContext, found again through `metrics_of`."""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader

from app.core.config import Exporter, Settings
from app.core.context import AppContext
from app.metrics.instruments import IntakeMetrics, build_metrics
from app.metrics.spans import MetricsSpanProcessor
from app.telemetry.exporter import SPAN_STORE

METRICS = "metrics"  # AppContext.extras key
OTLP_EXPORT_INTERVAL_MS = 30_000


def install_metrics(
    ctx: AppContext,
    *,
    readers: Sequence[MetricReader] | None = None,
) -> IntakeMetrics:
    """Build the context's metrics and feed them from its tracer provider (once)."""
    existing = ctx.extras.get(METRICS)
    if isinstance(existing, IntakeMetrics):
        return existing
    chosen = list(readers) if readers is not None else otlp_readers(ctx.settings)
    metrics = build_metrics(
        ctx.engine,
        service_name=ctx.settings.otel_service_name,
        readers=chosen,
        dropped_spans=lambda: _dropped_spans(ctx),
    )
    ctx.tracer_provider.add_span_processor(MetricsSpanProcessor(metrics))
    ctx.extras[METRICS] = metrics
    return metrics


def metrics_of(ctx: AppContext) -> IntakeMetrics:
    """The context's metrics, installed on first use."""
    return install_metrics(ctx)


def otlp_readers(settings: Settings) -> list[MetricReader]:
    """A periodic OTLP reader when an OTLP exporter is configured; none otherwise."""
    match settings.otel_exporter:
        case Exporter.OTLP_GRPC:
            from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import (
                OTLPMetricExporter,
            )

            return [
                PeriodicExportingMetricReader(
                    OTLPMetricExporter(endpoint=settings.otel_endpoint),
                    export_interval_millis=OTLP_EXPORT_INTERVAL_MS,
                )
            ]
        case Exporter.OTLP_HTTP:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
                OTLPMetricExporter as HttpMetricExporter,
            )

            from app.core.telemetry import otlp_http_url

            return [
                PeriodicExportingMetricReader(
                    HttpMetricExporter(endpoint=otlp_http_url(settings.otel_endpoint, "metrics")),
                    export_interval_millis=OTLP_EXPORT_INTERVAL_MS,
                )
            ]
        case Exporter.NONE | Exporter.CONSOLE | Exporter.DATABASE:
            return []


def _dropped_spans(ctx: AppContext) -> int:
    store = ctx.extras.get(SPAN_STORE)
    dropped = getattr(store, "dropped", 0)
    return dropped if isinstance(dropped, int) else 0

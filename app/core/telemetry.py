"""OpenTelemetry: one tracer provider per process, exporter chosen by settings."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from app.core.config import Exporter, Settings

TRACER_NAME = "order-intake"


def build_tracer_provider(
    settings: Settings, extra: list[SpanProcessor] | None = None
) -> TracerProvider:
    """A provider with the configured exporter; tests pass their own processors in `extra`."""
    resource = Resource.create({"service.name": settings.otel_service_name})
    provider = TracerProvider(resource=resource)
    exporter = _exporter(settings)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    for processor in extra or []:
        provider.add_span_processor(processor)
    return provider


def _exporter(settings: Settings) -> SpanExporter | None:
    match settings.otel_exporter:
        case Exporter.NONE | Exporter.DATABASE:
            return None  # the database exporter is added by app.telemetry once the engine exists
        case Exporter.CONSOLE:
            return ConsoleSpanExporter()
        case Exporter.OTLP_GRPC:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

            return OTLPSpanExporter(endpoint=settings.otel_endpoint)
        case Exporter.OTLP_HTTP:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                OTLPSpanExporter as HttpExporter,
            )

            return HttpExporter(endpoint=otlp_http_url(settings.otel_endpoint, "traces"))


def otlp_http_url(endpoint: str | None, signal: str) -> str | None:
    """The OTLP/HTTP URL of a signal from the collector's base URL (http://host:4318).

    The exporters use an explicit endpoint verbatim, so the /v1/{signal} path is added here;
    None leaves the OTEL_EXPORTER_OTLP_* environment variables (or the default) in charge.
    """
    if not endpoint:
        return None
    path = f"/v1/{signal}"
    return endpoint if endpoint.rstrip("/").endswith(path) else endpoint.rstrip("/") + path


def install_global(provider: TracerProvider) -> None:
    """Set the process-wide provider once; later calls keep the first."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(provider)


def tracer(provider: trace.TracerProvider | None = None) -> trace.Tracer:
    return (provider or trace.get_tracer_provider()).get_tracer(TRACER_NAME)

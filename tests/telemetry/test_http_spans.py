"""The server span of each HTTP request: named after the route, continuing the caller's trace."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from app.core.http_spans import ServerSpans

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def _app() -> tuple[TestClient, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.get("/v1/things/{thing_id}")
    def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("broken")

    @app.get("/healthz")
    def health() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(ServerSpans, tracer_provider=provider, excluded_paths=("/healthz",))
    return TestClient(app, raise_server_exceptions=False), exporter


def _only(exporter: InMemorySpanExporter) -> ReadableSpan:
    (span,) = exporter.get_finished_spans()
    return span


def test_a_request_span_is_named_after_its_route_and_continues_the_callers_trace() -> None:
    client, exporter = _app()
    traceparent = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
    assert client.get("/v1/things/42", headers={"traceparent": traceparent}).status_code == 200
    span = _only(exporter)
    assert span.name == "GET /v1/things/{thing_id}" and span.kind is SpanKind.SERVER
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert span.parent is not None and format(span.parent.span_id, "016x") == CALLER_SPAN
    attrs = dict(span.attributes or {})
    assert attrs["http.route"] == "/v1/things/{thing_id}"
    assert attrs["http.response.status_code"] == 200 and attrs["http.request.method"] == "GET"
    assert span.status.status_code is not StatusCode.ERROR


def test_a_failing_request_is_an_error_span_and_health_checks_make_none() -> None:
    client, exporter = _app()
    assert client.get("/boom").status_code == 500
    span = _only(exporter)
    assert span.name == "GET /boom" and span.status.status_code is StatusCode.ERROR
    assert any(e.name == "exception" for e in span.events)
    exporter.clear()
    client.get("/healthz")
    client.get("/nowhere")
    (unrouted,) = exporter.get_finished_spans()  # a 404 is traced, unnamed by any route
    assert unrouted.name == "GET" and unrouted.attributes["http.response.status_code"] == 404

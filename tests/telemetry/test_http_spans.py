"""The request span of the service (FastAPI's own telemetry): one per request, named after
the route, continuing the caller's trace, on the context's tracer provider."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from opentelemetry.trace import SpanKind

from app.main import create_app
from tests.support import in_memory_tracing, migrated_context, sqlite_url

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def test_one_server_span_per_request_named_after_the_route(tmp_path: Path) -> None:
    provider, exporter = in_memory_tracing()
    ctx = migrated_context(sqlite_url(tmp_path), demo=False, provider=provider)
    with TestClient(create_app(context=ctx, migrate=False, start_worker=False)) as client:
        traceparent = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
        response = client.get("/v1/drafts/nope/timeline", headers={"traceparent": traceparent})
        assert response.status_code == 401
        client.get("/healthz")
    servers = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    (span,) = servers  # /healthz makes none
    assert span.name == "GET /v1/drafts/{draft_id}/timeline"
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert span.parent is not None and format(span.parent.span_id, "016x") == CALLER_SPAN
    attrs = dict(span.attributes or {})
    assert attrs["http.route"] == "/v1/drafts/{draft_id}/timeline"
    assert attrs["http.response.status_code"] == 401
    ctx.engine.dispose()

"""Exporters by configuration: OTLP over HTTP and gRPC to a local collector, and the console."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc
import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter

from app.core import telemetry
from app.core.config import Exporter
from app.core.telemetry import build_tracer_provider, otlp_http_url
from app.metrics.setup import otlp_readers
from tests.support import test_settings as settings_for


@dataclass
class Collector:
    """A local OTLP/HTTP collector that records what it is sent."""

    url: str
    posts: list[tuple[str, str, bytes]] = field(default_factory=list)  # path, type, body

    def span_names(self) -> list[str]:
        names: list[str] = []
        for path, _, body in self.posts:
            if path == "/v1/traces":
                request = ExportTraceServiceRequest.FromString(body)
                names += [
                    s.name
                    for rs in request.resource_spans
                    for ss in rs.scope_spans
                    for s in ss.spans
                ]
        return names


@pytest.fixture
def collector() -> Iterator[Collector]:
    received: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            received.append((self.path, self.headers.get("content-type", ""), body))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    host, port = server.server_address[:2]
    yield Collector(url=f"http://{host!s}:{port}", posts=received)
    server.shutdown()
    server.server_close()


def test_otlp_http_sends_protobuf_traces_to_the_collector(
    collector: Collector, tmp_path: Path
) -> None:
    settings = settings_for(
        f"sqlite:///{tmp_path}/t.db", otel_exporter=Exporter.OTLP_HTTP, otel_endpoint=collector.url
    )
    provider = build_tracer_provider(settings)
    with provider.get_tracer("test").start_as_current_span("job process_message"):
        pass
    assert provider.force_flush(5_000)
    provider.shutdown()
    path, content_type, body = collector.posts[0]
    assert path == "/v1/traces"
    assert content_type == "application/x-protobuf"
    assert collector.span_names() == ["job process_message"]
    request = ExportTraceServiceRequest.FromString(body)
    service = {a.key: a.value.string_value for a in request.resource_spans[0].resource.attributes}
    assert service["service.name"] == settings.otel_service_name


def test_otlp_http_sends_metrics_to_the_collector(collector: Collector, tmp_path: Path) -> None:
    settings = settings_for(
        f"sqlite:///{tmp_path}/t.db", otel_exporter=Exporter.OTLP_HTTP, otel_endpoint=collector.url
    )
    provider = MeterProvider(metric_readers=otlp_readers(settings), shutdown_on_exit=False)
    provider.get_meter("test").create_counter("intake.test.probe").add(3)
    assert provider.force_flush(5_000)
    provider.shutdown()
    metric_posts = [body for path, _, body in collector.posts if path == "/v1/metrics"]
    assert metric_posts
    request = ExportMetricsServiceRequest.FromString(metric_posts[0])
    names = [
        m.name for rm in request.resource_metrics for sm in rm.scope_metrics for m in sm.metrics
    ]
    assert "intake.test.probe" in names


def test_otlp_http_url_adds_the_signal_path() -> None:
    assert otlp_http_url("http://c:4318", "traces") == "http://c:4318/v1/traces"
    assert otlp_http_url("http://c:4318/", "metrics") == "http://c:4318/v1/metrics"
    assert otlp_http_url("http://c:4318/v1/traces", "traces") == "http://c:4318/v1/traces"
    assert otlp_http_url(None, "traces") is None


def test_otlp_grpc_sends_traces_to_the_collector(tmp_path: Path) -> None:
    received: list[ExportTraceServiceRequest] = []

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(
            self,
            request: ExportTraceServiceRequest,
            context: grpc.ServicerContext,
        ) -> ExportTraceServiceResponse:
            received.append(request)
            return ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(  # type: ignore[no-untyped-call]
        TraceService(), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        settings = settings_for(
            f"sqlite:///{tmp_path}/t.db",
            otel_exporter=Exporter.OTLP_GRPC,
            otel_endpoint=f"http://127.0.0.1:{port}",
        )
        provider = build_tracer_provider(settings)
        with provider.get_tracer("test").start_as_current_span("graph.node parse"):
            pass
        assert provider.force_flush(10_000)
        provider.shutdown()
    finally:
        server.stop(None)
    names = [
        s.name
        for r in received
        for rs in r.resource_spans
        for ss in rs.scope_spans
        for s in ss.spans
    ]
    assert names == ["graph.node parse"]


def test_console_exporter_prints_spans(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = io.StringIO()  # the exporter binds sys.stdout at import, before any capture
    monkeypatch.setattr(telemetry, "ConsoleSpanExporter", lambda: ConsoleSpanExporter(out=out))
    settings = settings_for(f"sqlite:///{tmp_path}/t.db", otel_exporter=Exporter.CONSOLE)
    provider = build_tracer_provider(settings)
    with provider.get_tracer("test").start_as_current_span("execute_tool quote_price"):
        pass
    provider.force_flush()
    provider.shutdown()
    assert '"name": "execute_tool quote_price"' in out.getvalue()


def test_none_exports_nothing(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite:///{tmp_path}/t.db", otel_exporter=Exporter.NONE)
    provider = build_tracer_provider(settings)
    assert provider._active_span_processor._span_processors == ()

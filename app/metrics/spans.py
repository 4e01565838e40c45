"""Turns finished spans into metric observations, so graph and model code need no metric calls.

`graph.node {name}` spans feed the stage histogram, `job {kind}` spans the job histogram and
`chat {model}` spans (GenAI conventions) the model call and token counters.
"""

from __future__ import annotations

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import StatusCode

from app.metrics.instruments import IntakeMetrics

NODE_PREFIX = "graph.node "
JOB_PREFIX = "job "


class MetricsSpanProcessor(SpanProcessor):
    def __init__(self, metrics: IntakeMetrics) -> None:
        self._metrics = metrics

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        return None

    def on_end(self, span: ReadableSpan) -> None:
        if span.start_time is None or span.end_time is None:
            return
        seconds = (span.end_time - span.start_time) / 1e9
        attributes = span.attributes or {}
        failed = span.status.status_code is StatusCode.ERROR
        if span.name.startswith(NODE_PREFIX):
            status = (
                "interrupted"
                if attributes.get("langgraph.interrupted")
                else "error"
                if failed
                else "ok"
            )
            self._metrics.observe_stage(span.name.removeprefix(NODE_PREFIX), status, seconds)
        elif span.name.startswith(JOB_PREFIX) and "job.kind" in attributes:
            outcome = str(attributes.get("job.outcome", "error" if failed else "unknown"))
            self._metrics.observe_job(str(attributes["job.kind"]), outcome, seconds)
        elif attributes.get("gen_ai.operation.name") == "chat":
            self._metrics.observe_model_call(
                model=str(attributes.get("gen_ai.request.model", "unknown")),
                provider=str(attributes.get("gen_ai.provider.name", "unknown")),
                status="error" if failed else "ok",
                input_tokens=_int(attributes.get("gen_ai.usage.input_tokens")),
                output_tokens=_int(attributes.get("gen_ai.usage.output_tokens")),
            )

    def shutdown(self) -> None:
        return None

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

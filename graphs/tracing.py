"""A span per graph node, from the tracer in the run's context."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from langgraph.errors import GraphInterrupt
from langgraph.runtime import get_runtime
from opentelemetry.trace import Status, StatusCode

from graphs.context import GraphContext


def traced(name: str, fn: Callable[..., Any]) -> Any:
    """Wrap a node so it runs inside a `graph.node {name}` span (signature kept for LangGraph)."""

    @functools.wraps(fn)
    def node(*args: Any, **kwargs: Any) -> Any:
        ctx: GraphContext = get_runtime(GraphContext).context
        with ctx.tracer.start_as_current_span(
            f"graph.node {name}",
            record_exception=False,
            set_status_on_exception=False,
            attributes={"langgraph.node": name},
        ) as span:
            try:
                return fn(*args, **kwargs)
            except GraphInterrupt:
                span.set_attribute("langgraph.interrupted", True)
                raise
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, str(exc)[:200]))
                raise

    return node

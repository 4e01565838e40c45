"""GET /metrics in the Prometheus text format, from the context's own registry."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.deps import ContextDep
from app.metrics.setup import metrics_of

router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics(ctx: ContextDep) -> Response:
    """Counters and histograms of this process, and gauges read from the database."""
    return Response(generate_latest(metrics_of(ctx).registry), media_type=CONTENT_TYPE_LATEST)

"""The metric instruments of one context: a Prometheus registry and an OpenTelemetry meter."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from opentelemetry.metrics import CallbackOptions, Meter, Observation
from opentelemetry.metrics import Histogram as OtelHistogram
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.resources import Resource
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import session_scope
from app.core.time import utcnow
from app.metrics import repository
from app.metrics.repository import QueueSnapshot

log = logging.getLogger(__name__)

METER_NAME = "order-intake"
STAGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144)  # GenAI conventions
SNAPSHOT_TTL_S = 5.0  # one database read serves Prometheus and OpenTelemetry scrapes alike


class SnapshotSource:
    """Reads the queue snapshot from the database, at most once per SNAPSHOT_TTL_S."""

    def __init__(self, engine: Engine, ttl_s: float = SNAPSHOT_TTL_S) -> None:
        self._engine, self._ttl_s = engine, ttl_s
        self._lock = threading.Lock()
        self._cached: tuple[float, QueueSnapshot | None] | None = None

    def read(self) -> QueueSnapshot | None:
        """The snapshot, or None when the database cannot be read (the scrape still answers)."""
        with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < self._ttl_s:
                return self._cached[1]
            try:
                with session_scope(self._engine) as session:
                    snapshot: QueueSnapshot | None = repository.read_snapshot(session, now=utcnow())
            except SQLAlchemyError as exc:
                log.warning("metrics could not read the database (%s)", type(exc).__name__)
                snapshot = None
            self._cached = (time.monotonic(), snapshot)
            return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None


class DatabaseCollector(Collector):
    """Gauges computed at scrape time: queue depth, job age, drafts, review backlog and SLA."""

    def __init__(self, source: SnapshotSource, dropped_spans: Callable[[], int]) -> None:
        self._source = source
        self._dropped_spans = dropped_spans

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        snapshot = self._source.read()
        up = GaugeMetricFamily(
            "intake_metrics_database_up", "1 when the gauges below could be read from the database"
        )
        up.add_metric([], 0.0 if snapshot is None else 1.0)
        yield up
        dropped = CounterMetricFamily(
            "intake_telemetry_spans_dropped", "Spans the database span store could not write"
        )
        dropped.add_metric([], float(self._dropped_spans()))
        yield dropped
        if snapshot is None:
            return
        yield _gauge(
            "intake_jobs",
            "Jobs not done, by kind and status (queue depth)",
            ["kind", "status"],
            {k: float(v) for k, v in snapshot.jobs.items()},
        )
        yield _gauge(
            "intake_job_oldest_waiting_age_seconds",
            "Age of the oldest job waiting to run (queued or awaiting a retry)",
            ["kind"],
            {(k,): v for k, v in snapshot.oldest_waiting_s.items()},
        )
        yield _gauge(
            "intake_drafts",
            "Draft orders by route (auto, review, not_an_order)",
            ["route"],
            {(k,): float(v) for k, v in snapshot.drafts.items()},
        )
        yield _gauge(
            "intake_review_backlog",
            "Open review tasks by queue",
            ["queue"],
            {(k,): float(v) for k, v in snapshot.review_backlog.items()},
        )
        yield _gauge(
            "intake_review_sla_breached",
            "Open review tasks past their SLA, by queue",
            ["queue"],
            {(k,): float(v) for k, v in snapshot.review_breached.items()},
        )

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return []  # computed at scrape time; describing would read the database at registration


def _gauge(
    name: str, doc: str, labels: list[str], values: dict[tuple[str, ...], float]
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    for key, value in sorted(values.items()):
        family.add_metric(list(key), value)
    return family


@dataclass
class IntakeMetrics:
    """Every instrument of one context, in both Prometheus and OpenTelemetry form."""

    registry: CollectorRegistry
    meter_provider: MeterProvider
    source: SnapshotSource
    stage_seconds: Histogram
    job_seconds: Histogram
    model_tokens: Counter
    model_calls: Counter
    otel_stage_seconds: OtelHistogram
    otel_job_seconds: OtelHistogram
    otel_token_usage: OtelHistogram

    def observe_stage(self, stage: str, status: str, seconds: float) -> None:
        self.stage_seconds.labels(stage=stage, status=status).observe(seconds)
        self.otel_stage_seconds.record(seconds, {"intake.stage": stage, "intake.status": status})

    def observe_job(self, kind: str, outcome: str, seconds: float) -> None:
        self.job_seconds.labels(kind=kind, outcome=outcome).observe(seconds)
        self.otel_job_seconds.record(seconds, {"job.kind": kind, "job.outcome": outcome})

    def observe_model_call(
        self,
        *,
        model: str,
        provider: str,
        status: str,
        input_tokens: int | None,
        output_tokens: int | None,
    ) -> None:
        self.model_calls.labels(model=model, status=status).inc()
        attributes = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": model,
        }
        for kind, n in (("input", input_tokens), ("output", output_tokens)):
            if n is None:
                continue
            self.model_tokens.labels(model=model, type=kind).inc(n)
            self.otel_token_usage.record(n, {**attributes, "gen_ai.token.type": kind})

    def shutdown(self) -> None:
        self.meter_provider.shutdown()


def build_metrics(
    engine: Engine,
    *,
    service_name: str,
    readers: Sequence[MetricReader] = (),
    dropped_spans: Callable[[], int] = lambda: 0,
) -> IntakeMetrics:
    """A fresh registry and meter provider (never the process-global ones)."""
    registry = CollectorRegistry(auto_describe=False)
    source = SnapshotSource(engine)
    registry.register(DatabaseCollector(source, dropped_spans))
    provider = MeterProvider(
        metric_readers=list(readers),
        shutdown_on_exit=False,
        resource=Resource.create({"service.name": service_name}),
    )
    meter = provider.get_meter(METER_NAME)
    metrics = IntakeMetrics(
        registry=registry,
        meter_provider=provider,
        source=source,
        stage_seconds=Histogram(
            "intake_stage_duration_seconds",
            "Time spent in each graph node",
            ["stage", "status"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        ),
        job_seconds=Histogram(
            "intake_job_duration_seconds",
            "Time a job's handler ran",
            ["kind", "outcome"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        ),
        model_tokens=Counter(
            "intake_model_tokens",
            "Model tokens used, by model and type",
            ["model", "type"],
            registry=registry,
        ),
        model_calls=Counter(
            "intake_model_calls",
            "Model calls, by model and status",
            ["model", "status"],
            registry=registry,
        ),
        otel_stage_seconds=meter.create_histogram(
            "intake.stage.duration",
            unit="s",
            description="Time spent in each graph node",
            explicit_bucket_boundaries_advisory=list(STAGE_BUCKETS),
        ),
        otel_job_seconds=meter.create_histogram(
            "intake.job.duration",
            unit="s",
            description="Time a job's handler ran",
            explicit_bucket_boundaries_advisory=list(STAGE_BUCKETS),
        ),
        otel_token_usage=meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Number of input and output tokens used",
            explicit_bucket_boundaries_advisory=[float(b) for b in TOKEN_BUCKETS],
        ),
    )
    _observable_gauges(meter, source)
    return metrics


def _observable_gauges(meter: Meter, source: SnapshotSource) -> None:
    def observe(
        pick: Callable[[QueueSnapshot], Iterable[Observation]],
    ) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def callback(options: CallbackOptions) -> Iterable[Observation]:
            snapshot = source.read()
            return [] if snapshot is None else list(pick(snapshot))

        return callback

    meter.create_observable_gauge(
        "intake.jobs",
        callbacks=[
            observe(
                lambda s: (
                    Observation(n, {"job.kind": k, "job.status": st})
                    for (k, st), n in s.jobs.items()
                )
            )
        ],
        unit="{job}",
        description="Jobs not done, by kind and status",
    )
    meter.create_observable_gauge(
        "intake.job.oldest_waiting_age",
        callbacks=[
            observe(
                lambda s: (Observation(v, {"job.kind": k}) for k, v in s.oldest_waiting_s.items())
            )
        ],
        unit="s",
        description="Age of the oldest job waiting to run",
    )
    meter.create_observable_gauge(
        "intake.drafts",
        callbacks=[
            observe(lambda s: (Observation(n, {"intake.route": k}) for k, n in s.drafts.items()))
        ],
        unit="{draft}",
        description="Draft orders by route",
    )
    meter.create_observable_gauge(
        "intake.review.backlog",
        callbacks=[
            observe(
                lambda s: (Observation(n, {"intake.queue": k}) for k, n in s.review_backlog.items())
            )
        ],
        unit="{task}",
        description="Open review tasks by queue",
    )
    meter.create_observable_gauge(
        "intake.review.sla_breached",
        callbacks=[
            observe(
                lambda s: (
                    Observation(n, {"intake.queue": k}) for k, n in s.review_breached.items()
                )
            )
        ],
        unit="{task}",
        description="Open review tasks past their SLA, by queue",
    )

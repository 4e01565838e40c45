"""Prometheus at /metrics and OpenTelemetry metrics, after a real run through the worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.metrics.export import MetricsData
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from sqlmodel import select

from app.core.context import AppContext
from app.core.db import make_engine, session_scope, upgrade
from app.core.time import utcnow
from app.jobs.service import enqueue
from app.main import create_app
from app.metrics.instruments import build_metrics
from app.review.tables import ReviewTask
from tests.support import sqlite_url
from tests.support import test_settings as settings_for
from tests.telemetry.flow import Run


@pytest.fixture(scope="module")
def scrape(full_run: Run) -> dict[str, list[Sample]]:
    """/metrics after the run, with one job queued and the waiting review task past its SLA."""
    with session_scope(full_run.ctx.engine) as session:
        enqueue(session, "metrics_probe", {}, key="probe")
        task = session.exec(select(ReviewTask).where(ReviewTask.status == "open")).one()
        task.sla_due_at = utcnow() - timedelta(hours=1)
        session.add(task)
    full_run.metrics.source.invalidate()
    response = full_run.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {f.name: f.samples for f in text_string_to_metric_families(response.text)}


def _labels(samples: list[Sample], name: str | None = None) -> list[dict[str, str]]:
    return [s.labels for s in samples if name is None or s.name == name]


def _value(samples: list[Sample], **labels: str) -> float:
    (found,) = [s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    return found


def test_queue_depth_and_job_age(scrape: dict[str, list[Sample]]) -> None:
    assert _value(scrape["intake_jobs"], kind="metrics_probe", status="queued") == 1
    assert _value(scrape["intake_job_oldest_waiting_age_seconds"], kind="metrics_probe") >= 0
    assert _value(scrape["intake_metrics_database_up"]) == 1


def test_processing_time_per_stage_from_node_spans(scrape: dict[str, list[Sample]]) -> None:
    counts = scrape["intake_stage_duration_seconds"]
    stages = {s.labels["stage"] for s in counts if s.name.endswith("_count")}
    assert {
        "parse",
        "extract",
        "resolve",
        "enrich",
        "tools",
        "validate",
        "route",
        "commit",
        "review",
    } <= stages
    assert _value([s for s in counts if s.name.endswith("_count")], stage="parse", status="ok") == 3
    assert (
        _value(
            [s for s in counts if s.name.endswith("_count")], stage="review", status="interrupted"
        )
        == 2
    )
    jobs = [s for s in scrape["intake_job_duration_seconds"] if s.name.endswith("_count")]
    assert _value(jobs, kind="process_message", outcome="done") == 3
    assert _value(jobs, kind="resume_draft", outcome="done") == 1


def test_drafts_by_route_and_review_backlog(scrape: dict[str, list[Sample]]) -> None:
    assert _value(scrape["intake_drafts"], route="auto") == 1
    assert _value(scrape["intake_drafts"], route="review") == 2
    (backlog,) = scrape["intake_review_backlog"]
    assert backlog.value == 1 and backlog.labels["queue"]
    (breached,) = scrape["intake_review_sla_breached"]
    assert breached.value == 1 and breached.labels == backlog.labels


def test_every_family_is_exposed(scrape: dict[str, list[Sample]]) -> None:
    assert {
        "intake_jobs",
        "intake_job_oldest_waiting_age_seconds",
        "intake_stage_duration_seconds",
        "intake_job_duration_seconds",
        "intake_drafts",
        "intake_review_backlog",
        "intake_review_sla_breached",
        "intake_model_tokens",
        "intake_model_calls",
        "intake_telemetry_spans_dropped",
        "intake_metrics_database_up",
    } <= set(scrape)


def test_opentelemetry_metrics_carry_the_same_figures(
    full_run: Run, scrape: dict[str, list[Sample]]
) -> None:
    full_run.metrics.source.invalidate()
    data = full_run.metric_reader.get_metrics_data()
    assert isinstance(data, MetricsData)
    points: dict[str, list[Any]] = {
        m.name: list(m.data.data_points)
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
    }
    stages = {p.attributes["intake.stage"] for p in points["intake.stage.duration"] if p.attributes}
    assert {"parse", "commit"} <= stages
    assert {"intake.jobs", "intake.drafts", "intake.review.backlog", "intake.job.duration"} <= set(
        points
    )
    routes = {
        p.attributes["intake.route"]: p.value for p in points["intake.drafts"] if p.attributes
    }
    assert routes["auto"] == 1


def test_each_app_has_its_own_registry(tmp_path: Path) -> None:
    clients = []
    for name in ("a", "b"):
        settings = settings_for(sqlite_url(tmp_path, f"{name}.db"))
        upgrade(settings.database_url)
        ctx = AppContext.create(settings)
        clients.append(
            (TestClient(create_app(settings, context=ctx, migrate=False, start_worker=False)), ctx)
        )
    for client, ctx in clients:
        assert client.get("/metrics").status_code == 200
        ctx.engine.dispose()
    assert REGISTRY.get_sample_value("intake_metrics_database_up") is None


def test_a_scrape_answers_when_the_database_cannot(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path, "empty.db"))  # never migrated: no tables
    metrics = build_metrics(engine, service_name="test")
    from prometheus_client import generate_latest

    text = generate_latest(metrics.registry).decode()
    assert "intake_metrics_database_up 0.0" in text
    assert "intake_stage_duration_seconds" in text
    metrics.shutdown()
    engine.dispose()

"""The worker: handlers by kind, retries, dead jobs, heartbeats, trace continuation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.core.context import AppContext
from app.core.db import session_scope
from app.core.telemetry import tracer
from app.jobs import service
from app.jobs.handlers import HandlerRegistry, PermanentJobError
from app.jobs.service import RetryPolicy
from app.jobs.tables import Job, JobStatus
from app.jobs.worker import Worker

NO_WAIT = RetryPolicy(base_s=0, jitter=0)


def _enqueue(ctx: AppContext, kind: str = "demo", **kw: Any) -> str:
    with session_scope(ctx.engine) as s:
        return service.enqueue(s, kind, {"x": 1}, **kw).id


def _job(ctx: AppContext, job_id: str) -> Job:
    with session_scope(ctx.engine) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _registry(kind: str, fn: Callable[[AppContext, dict[str, Any]], None]) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.register(kind, fn)
    return registry


def test_runs_the_handler_registered_for_the_kind(ctx: AppContext) -> None:
    seen: list[dict[str, Any]] = []
    worker = Worker(ctx, registry=_registry("demo", lambda c, p: seen.append(p)))
    job_id = _enqueue(ctx)
    assert worker.run_once()
    assert not worker.run_once()
    assert seen == [{"x": 1}]
    assert _job(ctx, job_id).status == JobStatus.DONE


def test_a_raising_handler_is_retried_then_dead(ctx: AppContext) -> None:
    calls = 0

    def flaky(c: AppContext, p: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError(f"supplier file locked (call {calls})")

    worker = Worker(ctx, registry=_registry("demo", flaky), retry=NO_WAIT)
    job_id = _enqueue(ctx, max_attempts=3)
    for _ in range(3):
        assert worker.run_once()
    assert not worker.run_once()
    job = _job(ctx, job_id)
    assert (calls, job.attempts, job.status) == (3, 3, JobStatus.DEAD)
    assert job.last_error == "RuntimeError: supplier file locked (call 3)"


def test_a_permanent_error_is_not_retried(ctx: AppContext) -> None:
    def refuse(c: AppContext, p: dict[str, Any]) -> None:
        raise PermanentJobError("message is not an email")

    worker = Worker(ctx, registry=_registry("demo", refuse), retry=NO_WAIT)
    job_id = _enqueue(ctx)
    assert worker.run_once()
    job = _job(ctx, job_id)
    assert (job.attempts, job.status) == (1, JobStatus.DEAD)


def test_a_kind_without_handler_fails_with_a_clear_error(ctx: AppContext) -> None:
    worker = Worker(ctx, registry=HandlerRegistry(), retry=NO_WAIT)
    job_id = _enqueue(ctx, kind="process_message", max_attempts=1)
    assert worker.run_once()
    job = _job(ctx, job_id)
    assert job.status == JobStatus.DEAD
    assert "no handler registered for job kind 'process_message'" in (job.last_error or "")


def test_heartbeat_keeps_a_long_job_claimed(ctx: AppContext) -> None:
    started = threading.Event()

    def slow(c: AppContext, p: dict[str, Any]) -> None:
        started.set()
        time.sleep(0.8)

    worker = Worker(ctx, registry=_registry("demo", slow), lease_s=0.3)
    other = Worker(ctx, registry=_registry("demo", slow), lease_s=0.3)
    job_id = _enqueue(ctx)
    runner = threading.Thread(target=worker.run_once)
    runner.start()
    assert started.wait(5)
    for _ in range(5):  # well past the first lease: the heartbeat has extended it
        time.sleep(0.15)
        assert not other.run_once()
    runner.join(5)
    job = _job(ctx, job_id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


def test_worker_threads_start_and_stop(ctx: AppContext) -> None:
    done = threading.Event()
    worker = Worker(
        ctx, registry=_registry("demo", lambda c, p: done.set()), poll_s=0.05, concurrency=2
    )
    worker.start()
    try:
        _enqueue(ctx)
        assert done.wait(5)
    finally:
        worker.stop(timeout_s=5)
    assert not worker.running


def test_the_job_span_continues_the_enqueuers_trace(ctx: AppContext) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    ctx.tracer_provider = provider
    with tracer(provider).start_as_current_span("request") as request_span:
        job_id = _enqueue(ctx)
    worker = Worker(ctx, registry=_registry("demo", lambda c, p: None))
    assert worker.run_once()
    [job_span] = [s for s in exporter.get_finished_spans() if s.name == "job demo"]
    assert job_span.context is not None and job_span.parent is not None
    assert job_span.context.trace_id == request_span.get_span_context().trace_id
    assert job_span.parent.span_id == request_span.get_span_context().span_id
    assert job_span.attributes is not None and job_span.attributes["job.id"] == job_id
    assert job_span.attributes["job.outcome"] == "done"

"""The worker: claims due jobs, runs their handlers, records the outcome.

Embedded mode runs it in threads of the API process (app/lifecycle.py); `intake worker` runs it
in a process of its own, as many as needed on PostgreSQL. Delivery is at least once: a job whose
worker dies is claimed again when its lease runs out, so handlers must be idempotent.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode
from sqlalchemy.exc import SQLAlchemyError

from app.core.context import AppContext
from app.core.db import session_scope
from app.core.telemetry import tracer
from app.jobs import service
from app.jobs.handlers import HandlerRegistry, PeriodicTask, PermanentJobError
from app.jobs.handlers import registry as default_registry
from app.jobs.service import RetryPolicy
from app.jobs.tables import Job

log = logging.getLogger(__name__)

MAX_DEFER_S = 1.0  # the longest a job waits for a busy intake: processing never stops
DEFER_POLL_S = 0.01


def run_warm_up(step: Callable[[], None] | None, worker: str) -> None:
    """A worker's `warm_up` (parse children, say), run before it claims its first job; a
    failure is logged and only leaves the first jobs to start what it would have."""
    if step is None:
        return
    try:
        step()
    except Exception:
        log.exception("job worker warm-up failed", extra={"worker": worker})


class Worker:
    """`concurrency` threads, each claiming and running one job at a time."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        registry: HandlerRegistry | None = None,
        concurrency: int | None = None,
        lease_s: float | None = None,
        poll_s: float = 0.5,
        kinds: Sequence[str] | None = None,
        retry: RetryPolicy | None = None,
        name: str = "worker",
    ) -> None:
        self.ctx = ctx
        self.registry = registry or default_registry
        self.concurrency = max(1, concurrency or ctx.settings.worker_concurrency)
        self.lease_s = lease_s or ctx.settings.job_lease_s
        self.poll_s = poll_s
        self.kinds = list(kinds) if kinds is not None else None  # None: every kind
        self.retry = retry or RetryPolicy()
        self.defer_while: Callable[[], bool] | None = None  # see _defer_to_others
        self.warm_up: Callable[[], None] | None = None  # see _warm_up
        self._warm = threading.Event()
        self.id_prefix = f"{socket.gethostname()}:{os.getpid()}:{name}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the worker threads (daemon threads: they never hold the process open)."""
        self._stop.clear()
        self._warm.clear()
        warm = threading.Thread(target=self._warm_up, name="job-worker-warm-up", daemon=True)
        warm.start()
        self._threads.append(warm)
        for n in range(self.concurrency):
            thread = threading.Thread(
                target=self._loop,
                args=(f"{self.id_prefix}-{n}",),
                name=f"job-worker-{n}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        self.start_periodic()
        log.info(
            "job worker started", extra={"worker": self.id_prefix, "concurrency": self.concurrency}
        )

    def start_periodic(self) -> None:
        """Start the periodic tasks' thread alone (the PostgreSQL worker claims through
        procrastinate but runs the periodic tasks here)."""
        self._stop.clear()
        if self.registry.periodic():
            thread = threading.Thread(
                target=self._periodic_loop, name="job-worker-periodic", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def request_stop(self) -> None:
        self._stop.set()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop claiming and wait for running jobs; one still running keeps its lease to expiry."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads = [t for t in self._threads if t.is_alive()]
        log.info(
            "job worker stopped",
            extra={"worker": self.id_prefix, "still_running": len(self._threads)},
        )

    def wait(self) -> None:
        """Block until stop is requested (the `intake worker` main thread)."""
        while not self._stop.wait(1.0):
            pass

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def _warm_up(self) -> None:
        try:
            run_warm_up(self.warm_up, self.id_prefix)
        finally:
            self._warm.set()

    def _loop(self, worker_id: str) -> None:
        self._warm.wait()
        while not self._stop.is_set():
            self._defer_to_others()
            try:
                ran = self.run_once(worker_id)
            except SQLAlchemyError:
                # The database is down or locked past its timeout: wait and poll again.
                log.exception("job worker could not reach the database")
                ran = False
            if not ran:
                self._stop.wait(self.poll_s)

    def _defer_to_others(self) -> None:
        """While `defer_while` holds (the process's intake is busy), wait before the next job,
        at most MAX_DEFER_S: the embedded worker shares the interpreter with the requests."""
        if self.defer_while is None:
            return
        deadline = time.monotonic() + MAX_DEFER_S
        while self.defer_while() and time.monotonic() < deadline:
            if self._stop.wait(DEFER_POLL_S):
                return

    def _periodic_loop(self) -> None:
        tasks = self.registry.periodic()
        due = {task.name: time.monotonic() for task in tasks}
        while not self._stop.is_set():
            for task in tasks:
                if time.monotonic() >= due[task.name]:
                    self.run_periodic(task)
                    due[task.name] = time.monotonic() + task.interval_s
            self._stop.wait(max(0.0, min(due.values()) - time.monotonic()))

    def run_periodic(self, task: PeriodicTask) -> bool:
        """Run one periodic task now; False when it failed (it runs again at its next turn)."""
        with tracer(self.ctx.tracer_provider).start_as_current_span(
            f"periodic {task.name}", attributes={"periodic.name": task.name}
        ) as span:
            try:
                task.run(self.ctx)
            except Exception as exc:  # like a job: recorded, and tried again next interval
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, str(exc)[:200]))
                log.exception("periodic task failed", extra={"periodic.name": task.name})
                return False
        return True

    def run_once(self, worker_id: str | None = None) -> bool:
        """Claim one due job and run it; False when there was none."""
        worker_id = worker_id or f"{self.id_prefix}-0"
        with session_scope(self.ctx.engine) as session:
            job = service.claim(session, worker_id, self.kinds, lease_s=self.lease_s)
        if job is None:
            return False
        self._run(job, worker_id)
        return True

    def _run(self, job: Job, worker_id: str) -> None:
        attributes: dict[str, str | int] = {
            "job.id": job.id,
            "job.kind": job.kind,
            "job.attempt": job.attempts,
        }
        beat = _Heartbeat(self.ctx, job, worker_id, self.lease_s)
        span_name = f"job {job.kind}"
        with tracer(self.ctx.tracer_provider).start_as_current_span(
            span_name, context=_parent_context(job), kind=SpanKind.CONSUMER, attributes=attributes
        ) as span:
            beat.start()
            error: str | None = None
            permanent = False
            try:
                handler = self.registry.get(job.kind)
                handler(self.ctx, dict(job.payload))
            except PermanentJobError as exc:
                error, permanent = f"PermanentJobError: {exc}", True
                span.record_exception(exc)
            except Exception as exc:  # any handler failure is recorded on the job and retried
                error = f"{type(exc).__name__}: {exc}"
                span.record_exception(exc)
            finally:
                beat.stop()
            with session_scope(self.ctx.engine) as session:
                if error is None:
                    owned = service.complete(session, job, worker_id)
                    outcome = "done" if owned else "lost"
                else:
                    status = service.fail(
                        session, job, worker_id, error, permanent=permanent, retry=self.retry
                    )
                    outcome = str(status) if status else "lost"
                    span.set_status(Status(StatusCode.ERROR, error[:200]))
            span.set_attribute("job.outcome", outcome)
        log.log(
            logging.INFO if error is None else logging.WARNING,
            "job %s",
            outcome,
            extra={**attributes, "error": error},
        )


class _Heartbeat:
    """Extends the job's lease every third of it while the handler runs."""

    def __init__(self, ctx: AppContext, job: Job, worker_id: str, lease_s: float) -> None:
        self._ctx, self._job, self._worker_id, self._lease_s = ctx, job, worker_id, lease_s
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"job-heartbeat-{job.id[:8]}", daemon=True
        )
        self.lost = False

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._done.wait(self._lease_s / 3):
            try:
                with session_scope(self._ctx.engine) as session:
                    owned = service.heartbeat(
                        session, self._job, self._worker_id, lease_s=self._lease_s
                    )
            except SQLAlchemyError:
                log.exception("job heartbeat failed", extra={"job.id": self._job.id})
                continue
            if not owned:
                self.lost = True
                log.warning("job lease lost to another worker", extra={"job.id": self._job.id})
                return


def _parent_context(job: Job) -> otel_context.Context | None:
    """The enqueuer's span as a remote parent, so the job continues the request's trace."""
    if not (job.trace_id and job.span_id):
        return None
    parent = SpanContext(
        trace_id=int(job.trace_id, 16),
        span_id=int(job.span_id, 16),
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
    )
    return trace.set_span_in_context(NonRecordingSpan(parent))

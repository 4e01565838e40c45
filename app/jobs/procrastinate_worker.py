"""The PostgreSQL worker: procrastinate runs our handlers, retries them, recovers stalled jobs.

Same shape as `Worker` (start / request_stop / wait / stop), so `intake worker` and the
embedded mode pick one by the database. procrastinate runs the event loop in a thread of its
own; each job's handler (synchronous) runs in a thread of procrastinate's, `concurrency` at a
time. A worker process heartbeats every `lease_s / 6`; a process silent for `lease_s` is
stalled, and any worker re-queues its jobs (`retry_job`, one more attempt) within
`lease_s / 3`. That is the lease: a SIGKILLed worker's jobs run again elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import procrastinate
import procrastinate.worker
from procrastinate.exceptions import ConnectorException
from procrastinate.jobs import Job as QueuedJob
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from app.core.context import AppContext
from app.core.time import utcnow
from app.jobs.handlers import HandlerRegistry, PermanentJobError
from app.jobs.procrastinate_queue import QUEUE, TASK_NAME, conninfo
from app.jobs.run import run_handler
from app.jobs.service import RetryPolicy
from app.jobs.worker import Worker, run_warm_up

log = logging.getLogger(__name__)


class _Retry(BaseRetryStrategy):
    """Our RetryPolicy over procrastinate: backoff, max_attempts per job, permanent errors."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy

    def get_retry_decision(
        self, *, exception: BaseException, job: QueuedJob
    ) -> RetryDecision | None:
        attempt = job.attempts + 1  # procrastinate counts the attempts before this one
        max_attempts = int(job.task_kwargs.get("max_attempts", 5))  # type: ignore[arg-type]
        if isinstance(exception, PermanentJobError) or attempt >= max_attempts:
            return None
        return RetryDecision(retry_at=utcnow() + timedelta(seconds=self.policy.delay_s(attempt)))


class ProcrastinateWorker:
    """procrastinate workers on the `intake` queue, plus our periodic tasks."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        registry: HandlerRegistry,
        concurrency: int | None = None,
        lease_s: float | None = None,
        retry: RetryPolicy | None = None,
        name: str = "worker",
    ) -> None:
        self.ctx = ctx
        self.registry = registry
        self.concurrency = max(1, concurrency or ctx.settings.worker_concurrency)
        self.lease_s = float(lease_s or ctx.settings.job_lease_s)
        self.name = name
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo(ctx.settings.database_url))
        )
        self.app.task(
            name=TASK_NAME, queue=QUEUE, pass_context=True, retry=_Retry(retry or RetryPolicy())
        )(self._run_job)
        # periodic tasks (SLA check, outbox relay) keep running in our own loop
        self._periodic = Worker(ctx, registry=registry, name=f"{name}-periodic")
        self.warm_up: Callable[[], None] | None = None  # run before the first fetch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._procrastinate_worker: Any = None

    def _run_job(
        self,
        context: Any,
        *,
        kind: str,
        payload: dict[str, Any],
        key: str | None = None,
        max_attempts: int = 5,
        trace_id: str | None = None,
        span_id: str | None = None,
    ) -> None:
        job = context.job
        run_handler(
            self.ctx,
            self.registry,
            kind=kind,
            payload=payload,
            attributes={"job.id": str(job.id), "job.kind": kind, "job.attempt": job.attempts + 1},
            trace_id=trace_id,
            span_id=span_id,
        )

    def start(self) -> None:
        """Run procrastinate's loop in a daemon thread, and the periodic tasks."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._warm_then_run, name="procrastinate-worker", daemon=True
        )
        self._thread.start()
        self._periodic.start_periodic()

    def _warm_then_run(self) -> None:
        """`warm_up` (as the SQLite worker's) before the first fetch, then procrastinate."""
        run_warm_up(self.warm_up, self.name)
        if not self._stop.is_set():
            asyncio.run(self._main())

    async def _main(self) -> None:
        async with self.app.open_async():
            recovery = asyncio.create_task(self._recover_stalled())
            try:
                self._procrastinate_worker = procrastinate.worker.Worker(
                    app=self.app,
                    queues=[QUEUE],
                    concurrency=self.concurrency,
                    name=self.name,
                    wait=True,
                    install_signal_handlers=False,
                    update_heartbeat_interval=self.lease_s / 6,
                    stalled_worker_timeout=self.lease_s,
                    fetch_job_polling_interval=1.0,
                )
                await self._procrastinate_worker.run()
            finally:
                recovery.cancel()

    async def _recover_stalled(self) -> None:
        """Re-queue the jobs of workers that stopped heartbeating (crashed, killed, hung)."""
        manager = self.app.job_manager
        while True:
            await asyncio.sleep(self.lease_s / 3)
            try:
                await manager.prune_stalled_workers(self.lease_s)
                stalled = await manager.get_stalled_jobs(
                    queue=QUEUE, seconds_since_heartbeat=self.lease_s
                )
            except ConnectorException:
                log.exception("stalled-job check could not reach the database")
                continue
            for job in stalled:
                try:
                    await manager.retry_job(job)
                except ConnectorException:  # another worker re-queued it first
                    continue
                log.warning("stalled job re-queued", extra={"job.id": job.id})

    def request_stop(self) -> None:
        self._stop.set()
        self._periodic.request_stop()

    def wait(self) -> None:
        """Block until stop is requested (the `intake worker` main thread)."""
        while not self._stop.wait(1.0):
            if self._thread is not None and not self._thread.is_alive():
                raise RuntimeError("the procrastinate worker stopped unexpectedly")

    def stop(self, timeout_s: float = 30.0) -> None:
        """Finish running jobs (up to timeout_s) and stop."""
        self._stop.set()
        self._periodic.stop(timeout_s)
        worker = self._procrastinate_worker
        if worker is not None and self._thread is not None and self._thread.is_alive():
            worker.stop()  # thread-safe: procrastinate schedules it on the worker's loop
            self._thread.join(timeout_s)

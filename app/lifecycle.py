"""Process start and stop: migrations, demo data, the embedded worker."""

from __future__ import annotations

import asyncio
import gc
from functools import partial

from app.core.context import AppContext
from app.core.db import upgrade

WORKER = "worker"  # AppContext.extras key of the embedded job worker


async def startup(ctx: AppContext, *, migrate: bool, start_worker: bool) -> None:
    if migrate:
        await asyncio.to_thread(upgrade, ctx.settings.database_url)
    if start_worker:
        from app.jobs.backend import make_worker
        from app.jobs.handlers import handlers_for
        from app.jobs.worker import Worker

        worker = make_worker(ctx, registry=handlers_for(ctx), name="embedded")
        if isinstance(worker, Worker):  # in this process with the requests: intake first
            worker.defer_while = partial(intake_busy, ctx)
        worker.warm_up = partial(warm_up_worker, ctx, worker.concurrency)
        worker.start()
        ctx.extras[WORKER] = worker


def warm_up_worker(ctx: AppContext, threads: int) -> None:
    """The graph runner and its parse children, built in the worker before its first job."""
    from app.pipeline import GraphRunner

    GraphRunner.for_context(ctx).warm_up(threads)


def intake_busy(ctx: AppContext) -> bool:
    """Whether this process's intake received a message in the last few tens of ms."""
    from app.intake.deps import GROUP_COMMIT
    from app.intake.group_commit import GroupCommitWriter

    writer = ctx.extras.get(GROUP_COMMIT)
    return isinstance(writer, GroupCommitWriter) and writer.busy()


def freeze_heap() -> None:
    """For a served process or a worker, once started: what is alive now lives as long as the
    process, so keep it out of every later collection (a full collection of the loaded app
    takes ~100 ms, a stall for every request in flight). Not for tests, which build many apps
    in one process."""
    gc.collect()
    gc.freeze()


async def shutdown(ctx: AppContext) -> None:
    from app.intake.deps import GROUP_COMMIT
    from app.intake.group_commit import GroupCommitWriter
    from app.jobs.backend import JobWorker

    writer = ctx.extras.pop(GROUP_COMMIT, None)
    if isinstance(writer, GroupCommitWriter):
        await asyncio.to_thread(writer.stop)

    worker = ctx.extras.pop(WORKER, None)
    if isinstance(worker, JobWorker):
        await asyncio.to_thread(worker.stop)
    ctx.tracer_provider.force_flush()
    from app.metrics.instruments import IntakeMetrics
    from app.metrics.setup import METRICS

    metrics = ctx.extras.get(METRICS)
    if isinstance(metrics, IntakeMetrics):
        metrics.meter_provider.force_flush()

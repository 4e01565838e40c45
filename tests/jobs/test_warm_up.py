"""A worker warms up (graph, parse children) before its first job, not during it."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from app.core.context import AppContext
from app.core.db import session_scope
from app.documents import isolation
from app.jobs import service
from app.jobs.handlers import HandlerRegistry
from app.jobs.worker import Worker
from app.lifecycle import WORKER, shutdown, startup
from app.pipeline import GraphRunner


def _worker_with_a_job(ctx: AppContext, ran: threading.Event) -> Worker:
    registry = HandlerRegistry()
    registry.register("demo", lambda c, p: ran.set())
    with session_scope(ctx.engine) as s:
        service.enqueue(s, "demo", {})
    return Worker(ctx, registry=registry, poll_s=0.05)


def test_no_job_starts_before_the_warm_up_has_finished(ctx: AppContext) -> None:
    ran, release = threading.Event(), threading.Event()
    worker = _worker_with_a_job(ctx, ran)
    worker.warm_up = release.wait
    worker.start()
    try:
        assert not ran.wait(0.3)
        release.set()
        assert ran.wait(5)
    finally:
        worker.stop()


def test_a_failed_warm_up_leaves_the_worker_working(ctx: AppContext) -> None:
    ran = threading.Event()
    worker = _worker_with_a_job(ctx, ran)

    def broken() -> None:
        raise OSError("no forkserver today")

    worker.warm_up = broken
    worker.start()
    try:
        assert ran.wait(5)
    finally:
        worker.stop()


def test_the_embedded_worker_builds_the_graph_and_a_parse_child_first(
    demo_ctx: AppContext,
) -> None:
    isolation.shutdown_parse_children()
    asyncio.run(startup(demo_ctx, migrate=False, start_worker=True))
    try:
        embedded: Any = demo_ctx.extras[WORKER]
        assert embedded._warm.wait(30)
        assert isinstance(demo_ctx.extras.get("graph_runner"), GraphRunner)
        idle = [c for c in isolation._idle if c.memory_mb == demo_ctx.settings.parse_memory_mb]
        assert len(idle) >= embedded.concurrency
    finally:
        asyncio.run(shutdown(demo_ctx))
        isolation.shutdown_parse_children()

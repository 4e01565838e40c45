"""The embedded worker lets a busy intake go first, but never stops processing for long."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.core.context import AppContext
from app.intake.deps import GROUP_COMMIT
from app.intake.group_commit import GroupCommitWriter
from app.jobs import worker as worker_module
from app.jobs.worker import Worker
from app.lifecycle import WORKER, intake_busy, shutdown, startup


def test_a_job_waits_while_intake_is_busy_and_starts_once_it_is_quiet(
    demo_ctx: AppContext,
) -> None:
    worker = Worker(demo_ctx)
    quiet_at = time.monotonic() + 0.15
    worker.defer_while = lambda: time.monotonic() < quiet_at
    start = time.monotonic()
    worker._defer_to_others()
    assert 0.15 <= time.monotonic() - start < 0.5


def test_a_job_waits_no_longer_than_the_cap(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker_module, "MAX_DEFER_S", 0.1)
    worker = Worker(demo_ctx)
    worker.defer_while = lambda: True  # an intake that never quiets down
    start = time.monotonic()
    worker._defer_to_others()
    assert 0.1 <= time.monotonic() - start < 0.4


def test_intake_counts_as_busy_just_after_a_message(demo_ctx: AppContext) -> None:
    assert not intake_busy(demo_ctx)  # no intake yet in this process
    writer = GroupCommitWriter(demo_ctx.engine, sender_rate_per_minute=None)
    demo_ctx.extras[GROUP_COMMIT] = writer
    assert not intake_busy(demo_ctx)
    writer.last_request_at = time.monotonic()
    assert intake_busy(demo_ctx)
    writer.last_request_at = time.monotonic() - 1
    assert not intake_busy(demo_ctx)


def test_the_embedded_worker_defers_to_its_process_intake(demo_ctx: AppContext) -> None:
    asyncio.run(startup(demo_ctx, migrate=False, start_worker=True))
    try:
        embedded = demo_ctx.extras[WORKER]
        assert isinstance(embedded, Worker) and embedded.defer_while is not None
        assert embedded.defer_while() is False
    finally:
        asyncio.run(shutdown(demo_ctx))

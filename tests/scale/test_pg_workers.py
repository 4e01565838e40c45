"""Two `intake worker` processes on one PostgreSQL queue: everything once, nothing lost."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.bench.fleet import queue_state, start_workers, stop_workers, wait_until_done
from app.bench.orders import demo_orders
from app.core.context import AppContext
from app.core.db import session_scope
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from tests.support import migrated_context, postgres_schema

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LEASE_S = 6.0


@pytest.fixture
def pg_ctx() -> Iterator[AppContext]:
    with postgres_schema() as url:
        ctx = migrated_context(url)
        yield ctx
        ctx.engine.dispose()


def _store(ctx: AppContext, n: int, tag: str) -> None:
    for raw in demo_orders(n, tag=tag):
        with session_scope(ctx.engine) as session:
            store_inbound(session, raw=raw, source=MessageSource.RFC822)


def _scalar(ctx: AppContext, sql: str) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def _assert_one_draft_per_message(ctx: AppContext, n: int) -> None:
    assert _scalar(ctx, "SELECT count(*) FROM inbound_messages") == n
    assert _scalar(ctx, "SELECT count(*) FROM draft_orders") == n
    assert _scalar(ctx, "SELECT count(DISTINCT inbound_message_id) FROM draft_orders") == n
    assert _scalar(ctx, "SELECT count(*) FROM procrastinate_jobs") == n


def test_two_workers_process_200_messages_exactly_once(pg_ctx: AppContext) -> None:
    _store(pg_ctx, 200, "once")
    # pinned one per CPU (--cpus), as the README runs them; the kill test below runs unpinned
    workers = start_workers(str(pg_ctx.settings.database_url), 2, lease_s=LEASE_S, pin=True)
    try:
        state = wait_until_done(pg_ctx.engine, 200, timeout_s=170)
    finally:
        stop_workers(workers)
    assert state.succeeded == 200, state
    _assert_one_draft_per_message(pg_ctx, 200)
    # each job ran once: one attempt, one "started" event
    assert _scalar(pg_ctx, "SELECT max(attempts) FROM procrastinate_jobs") == 1
    assert (
        _scalar(pg_ctx, "SELECT count(*) FROM procrastinate_events WHERE type = 'started'") == 200
    )


def test_a_killed_worker_loses_nothing(pg_ctx: AppContext) -> None:
    _store(pg_ctx, 60, "kill")
    victim, survivor = start_workers(str(pg_ctx.settings.database_url), 2, lease_s=LEASE_S)
    try:
        deadline = time.monotonic() + 120
        while queue_state(pg_ctx.engine).succeeded < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
        running = queue_state(pg_ctx.engine).doing
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        state = wait_until_done(pg_ctx.engine, 60, timeout_s=150)
    finally:
        stop_workers([victim, survivor])
    assert state.succeeded == 60, state
    _assert_one_draft_per_message(pg_ctx, 60)
    retried = _scalar(pg_ctx, "SELECT count(*) FROM procrastinate_jobs WHERE attempts > 1")
    assert retried <= running  # only jobs the victim held ran again
    assert _scalar(pg_ctx, "SELECT max(attempts) FROM procrastinate_jobs") <= 2

"""Two reviewers approve the same task at the same moment: one wins, one gets 409."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from app.auth.service import Principal
from app.core.context import AppContext
from app.core.db import session_scope
from app.core.errors import Conflict
from app.masterdata.service import load_masterdata
from app.review import service
from app.review.schemas import DraftEdits

from .factory import make_task, task_version


def _race(ctx: AppContext) -> None:
    task_id, _ = make_task(ctx)
    with session_scope(ctx.engine) as session:
        md = load_masterdata(session)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(name: str) -> None:
        principal = Principal(
            username=name, role="reviewer", approval_limit=Decimal(10**6), via="token"
        )
        barrier.wait()
        try:
            with session_scope(ctx.engine) as session:
                service.approve(
                    session,
                    principal,
                    task_id,
                    1,
                    DraftEdits(),
                    md,
                    today=date.today(),
                    dual_control_amount=Decimal(10**7),
                )
            outcomes[name] = "ok"
        except Conflict as exc:
            assert exc.status_code == 409
            outcomes[name] = exc.code

    threads = [threading.Thread(target=approve, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    results = sorted(outcomes.values())
    assert len(results) == 2 and results.count("ok") == 1, outcomes
    # PostgreSQL: both read version 1, the loser's UPDATE matches nothing (stale_task);
    # SQLite: BEGIN IMMEDIATE queues the loser, who then reads the closed task.
    assert {"stale_task", "task_closed"} & set(results), outcomes
    assert task_version(ctx, task_id) == 2


def test_concurrent_approvals_on_sqlite(demo_ctx: AppContext) -> None:
    _race(demo_ctx)


@pytest.mark.postgres
def test_concurrent_approvals_on_postgresql(pg_demo_ctx: AppContext) -> None:
    _race(pg_demo_ctx)

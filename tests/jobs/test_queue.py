"""The queue's operations on SQLite (and PostgreSQL where it matters)."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import select

from app.core.context import AppContext
from app.core.db import session_scope
from app.core.time import utcnow
from app.jobs import service
from app.jobs.service import RetryPolicy
from app.jobs.tables import Job, JobStatus
from tests.support import errors_in_threads

NO_WAIT = RetryPolicy(base_s=0, jitter=0)


def _enqueue(ctx: AppContext, n: int = 1, kind: str = "demo", **kw: object) -> list[str]:
    with session_scope(ctx.engine) as s:
        return [service.enqueue(s, kind, {"n": i}, **kw).id for i in range(n)]  # type: ignore[arg-type]


def _job(ctx: AppContext, job_id: str) -> Job:
    with session_scope(ctx.engine) as s:
        job = service.get_job(s, job_id)
        assert job is not None
        return job


def test_enqueue_with_a_key_is_idempotent(ctx: AppContext) -> None:
    with session_scope(ctx.engine) as s:
        first = service.enqueue(s, "demo", {"a": 1}, key="k1")
        second = service.enqueue(s, "demo", {"a": 2}, key="k1")
        other_kind = service.enqueue(s, "other", {"a": 3}, key="k1")
    assert first.id == second.id != other_kind.id
    with session_scope(ctx.engine) as s:
        assert len(s.exec(select(Job)).all()) == 2


def test_claim_complete(ctx: AppContext) -> None:
    [job_id] = _enqueue(ctx)
    with session_scope(ctx.engine) as s:
        job = service.claim(s, "w1", lease_s=60)
    assert job is not None and job.id == job_id
    assert (job.status, job.attempts, job.locked_by) == (JobStatus.RUNNING, 1, "w1")
    assert job.lease_until is not None and job.lease_until > utcnow()
    with session_scope(ctx.engine) as s:
        assert service.claim(s, "w2", lease_s=60) is None  # nothing else due
        assert service.complete(s, job, "w1")
    assert _job(ctx, job_id).status == JobStatus.DONE


def test_claim_filters_by_kind_and_due_time(ctx: AppContext) -> None:
    _enqueue(ctx, kind="a")
    _enqueue(ctx, kind="b", delay_s=3600)
    with session_scope(ctx.engine) as s:
        assert service.claim(s, "w", ["b"], lease_s=60) is None
        job = service.claim(s, "w", ["a", "b"], lease_s=60)
        assert job is not None and job.kind == "a"


def test_expired_lease_is_reclaimed_and_the_old_claim_is_fenced(ctx: AppContext) -> None:
    [job_id] = _enqueue(ctx)
    with session_scope(ctx.engine) as s:
        crashed = service.claim(s, "w1", lease_s=0.05)
        assert crashed is not None
        assert service.claim(s, "w2", lease_s=60) is None  # lease still holds
    threading.Event().wait(0.1)
    with session_scope(ctx.engine) as s:
        again = service.claim(s, "w2", lease_s=60)
    assert again is not None and again.id == job_id and again.attempts == 2
    with session_scope(ctx.engine) as s:
        assert not service.complete(s, crashed, "w1")  # w1 lost its claim
        assert not service.heartbeat(s, crashed, "w1", lease_s=60)
        assert service.complete(s, again, "w2")
    assert _job(ctx, job_id).status == JobStatus.DONE


def test_expired_lease_on_the_last_attempt_buries_the_job(ctx: AppContext) -> None:
    [job_id] = _enqueue(ctx, max_attempts=1)
    with session_scope(ctx.engine) as s:
        assert service.claim(s, "w1", lease_s=0.01) is not None
    threading.Event().wait(0.05)
    with session_scope(ctx.engine) as s:
        assert service.claim(s, "w2", lease_s=60) is None
    job = _job(ctx, job_id)
    assert job.status == JobStatus.DEAD and "lease expired" in (job.last_error or "")


def test_fail_backs_off_then_dies(ctx: AppContext) -> None:
    [job_id] = _enqueue(ctx, max_attempts=2)
    with session_scope(ctx.engine) as s:
        job = service.claim(s, "w", lease_s=60)
        assert job is not None
        before = utcnow()
        assert (
            service.fail(s, job, "w", "boom", retry=RetryPolicy(base_s=30, jitter=0))
            == JobStatus.FAILED
        )
    failed = _job(ctx, job_id)
    assert failed.status == JobStatus.FAILED and failed.last_error == "boom"
    assert failed.run_after >= before + timedelta(seconds=30)
    with session_scope(ctx.engine) as s:
        assert service.claim(s, "w", lease_s=60) is None  # not due yet
        s.get(Job, job_id).run_after = utcnow() - timedelta(seconds=1)  # type: ignore[union-attr]
    with session_scope(ctx.engine) as s:
        job = service.claim(s, "w", lease_s=60)
        assert job is not None and job.attempts == 2
        assert service.fail(s, job, "w", "boom again", retry=NO_WAIT) == JobStatus.DEAD
    assert _job(ctx, job_id).status == JobStatus.DEAD


def test_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(base_s=5, cap_s=60, jitter=0)
    assert [policy.delay_s(n) for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]


def _claim_all(ctx: AppContext, threads: int) -> list[str]:
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def claimer(n: int) -> None:
        start.wait()
        while True:
            with session_scope(ctx.engine) as s:
                job = service.claim(s, f"w{n}", lease_s=60)
            if job is None:
                return
            with lock:
                claimed.append(job.id)

    assert errors_in_threads(claimer, threads) == []
    return claimed


def test_concurrent_claimers_never_share_a_job_sqlite(ctx: AppContext) -> None:
    ids = _enqueue(ctx, 40)
    claimed = _claim_all(ctx, threads=6)
    assert sorted(claimed) == sorted(ids)  # each exactly once


# On PostgreSQL jobs are procrastinate's, which claims with FOR UPDATE SKIP LOCKED; exactly-once
# delivery across two worker processes is tested in tests/scale/test_pg_workers.py.

"""The queue's operations. Callers own the transaction: nothing here commits."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from opentelemetry import trace
from sqlmodel import Session

from app.core.rows import column_values
from app.core.time import utcnow
from app.jobs import procrastinate_queue, repository
from app.jobs.tables import Job, JobStatus

MAX_ERROR_CHARS = 4000


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff between attempts: base, 2*base, 4*base, ... up to cap, plus jitter."""

    base_s: float = 5.0
    cap_s: float = 600.0
    jitter: float = 0.1  # up to +10% so retries of a burst spread out

    def delay_s(self, attempt: int) -> float:
        delay = min(self.cap_s, self.base_s * 2.0 ** max(0, attempt - 1))
        return delay * (1 + random.uniform(0, self.jitter))


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    key: str | None = None,
    *,
    max_attempts: int = 5,
    delay_s: float = 0.0,
) -> Job:
    """Queue a job in the caller's transaction; with a key, a second enqueue returns the first.

    On PostgreSQL the job goes to procrastinate (same transaction, see procrastinate_queue);
    the Job returned then describes it and is not a row of `jobs`.
    """
    now = utcnow()
    trace_id, span_id = _current_span_ids()
    if procrastinate_queue.is_postgresql(session):
        return _defer_to_procrastinate(
            session,
            kind,
            payload,
            key,
            max_attempts=max_attempts,
            delay_s=delay_s,
            trace_id=trace_id,
            span_id=span_id,
        )
    job = Job(
        kind=kind,
        key=key,
        payload=payload,
        max_attempts=max_attempts,
        run_after=now + timedelta(seconds=delay_s),
        created_at=now,
        updated_at=now,
        trace_id=trace_id,
        span_id=span_id,
    )
    if key is None:
        session.add(job)
        session.flush()
        return job
    inserted = repository.insert(session, job)
    if inserted is not None:
        return inserted
    existing = repository.get_by_key(session, kind=kind, key=key)
    assert existing is not None, "unique violation on (kind, key) without a row"
    return existing


@dataclass(frozen=True)
class JobRequest:
    """One job of enqueue_many. The ids name the span that asked for it (the worker's trace
    links to it); without them, the current span."""

    payload: dict[str, Any]
    key: str
    trace_id: str | None = None
    span_id: str | None = None


def enqueue_many(
    session: Session, kind: str, requests: Sequence[JobRequest], *, max_attempts: int = 5
) -> None:
    """enqueue for several keyed jobs with one statement (SQLite); keys already queued are
    left as they are."""
    if not requests:
        return
    now = utcnow()
    current = _current_span_ids()
    if procrastinate_queue.is_postgresql(session):
        for r in requests:
            ids = (r.trace_id, r.span_id) if r.trace_id else current
            _defer_to_procrastinate(
                session,
                kind,
                r.payload,
                r.key,
                max_attempts=max_attempts,
                delay_s=0.0,
                trace_id=ids[0],
                span_id=ids[1],
            )
        return
    template = column_values(
        Job(kind=kind, max_attempts=max_attempts, run_after=now, created_at=now, updated_at=now)
    )
    rows = [
        {
            **template,
            "id": str(uuid.uuid4()),
            "key": r.key,
            "payload": r.payload,
            "trace_id": r.trace_id if r.trace_id else current[0],
            "span_id": r.span_id if r.trace_id else current[1],
        }
        for r in requests
    ]
    repository.insert_many(session, rows)


def _current_span_ids() -> tuple[str | None, str | None]:
    span = trace.get_current_span().get_span_context()
    if not span.is_valid:
        return None, None
    return format(span.trace_id, "032x"), format(span.span_id, "016x")


def _defer_to_procrastinate(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    key: str | None,
    *,
    max_attempts: int,
    delay_s: float,
    trace_id: str | None,
    span_id: str | None,
) -> Job:
    args = {
        "kind": kind,
        "payload": payload,
        "key": key,
        "max_attempts": max_attempts,
        "trace_id": trace_id,
        "span_id": span_id,
    }
    job_id = procrastinate_queue.defer(session, kind, args, key=key, delay_s=delay_s)
    now = utcnow()
    return Job(
        id=str(job_id) if job_id is not None else f"queued:{kind}:{key}",
        kind=kind,
        key=key,
        payload=payload,
        max_attempts=max_attempts,
        created_at=now,
        updated_at=now,
        run_after=now + timedelta(seconds=delay_s),
        trace_id=trace_id,
        span_id=span_id,
    )


def claim(
    session: Session, worker_id: str, kinds: Sequence[str] | None = None, *, lease_s: float
) -> Job | None:
    """Claim the next due job (queued, failed and due, or running with an expired lease)."""
    now = utcnow()
    repository.bury_expired(session, now=now)
    return repository.claim_next(
        session,
        worker_id=worker_id,
        kinds=kinds,
        now=now,
        lease_until=now + timedelta(seconds=lease_s),
    )


def heartbeat(session: Session, job: Job, worker_id: str, *, lease_s: float) -> bool:
    """Extend the lease of a job still being worked on; False when the claim was lost."""
    now = utcnow()
    return repository.update_owned(
        session,
        job,
        worker_id=worker_id,
        values={"lease_until": now + timedelta(seconds=lease_s), "updated_at": now},
    )


def complete(session: Session, job: Job, worker_id: str) -> bool:
    """Mark the job done; False when another worker had taken it over (lease expired)."""
    return repository.update_owned(
        session,
        job,
        worker_id=worker_id,
        values={
            "status": JobStatus.DONE,
            "lease_until": None,
            "locked_by": None,
            "last_error": None,
            "updated_at": utcnow(),
        },
    )


def fail(
    session: Session,
    job: Job,
    worker_id: str,
    error: str,
    *,
    permanent: bool = False,
    retry: RetryPolicy | None = None,
) -> JobStatus | None:
    """Record a failed attempt: retried after a backoff, or dead when out of attempts.

    Returns the job's new status, or None when the claim had been lost.
    """
    now = utcnow()
    if permanent or job.attempts >= job.max_attempts:
        status, run_after = JobStatus.DEAD, job.run_after
    else:
        delay = (retry or RetryPolicy()).delay_s(job.attempts)
        status, run_after = JobStatus.FAILED, now + timedelta(seconds=delay)
    owned = repository.update_owned(
        session,
        job,
        worker_id=worker_id,
        values={
            "status": status,
            "run_after": run_after,
            "lease_until": None,
            "locked_by": None,
            "last_error": error[:MAX_ERROR_CHARS],
            "updated_at": now,
        },
    )
    return status if owned else None


def get_job(session: Session, job_id: str) -> Job | None:
    return repository.get(session, job_id)

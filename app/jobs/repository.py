"""All SQL of the job queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from app.core.rows import insert_unless_present, insert_values_unless_present
from app.jobs.tables import Job, JobStatus

_ORM_UPDATE = {"synchronize_session": False}


def insert(session: Session, job: Job) -> Job | None:
    """Insert `job`; None when its (kind, key) is already queued (the row is left as it was).

    The job returned is not tracked by the session (a Core insert, no savepoint)."""
    return job if insert_unless_present(session, job, "kind", "key") else None


def insert_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert jobs given as column values; one whose (kind, key) is already queued is skipped."""
    insert_values_unless_present(session, Job, rows, "kind", "key")


def get_by_key(session: Session, *, kind: str, key: str) -> Job | None:
    return session.exec(select(Job).where(Job.kind == kind, Job.key == key)).one_or_none()


def get(session: Session, job_id: str) -> Job | None:
    return session.get(Job, job_id)


def bury_expired(session: Session, *, now: datetime) -> int:
    """Jobs whose last attempt's lease ran out with no attempts left become dead."""
    stmt = (
        update(Job)
        .where(
            col(Job.status) == JobStatus.RUNNING,
            col(Job.lease_until) < now,
            col(Job.attempts) >= col(Job.max_attempts),
        )
        .values(
            status=JobStatus.DEAD,
            locked_by=None,
            lease_until=None,
            updated_at=now,
            last_error="lease expired on the last attempt (worker crashed or hung)",
        )
        .execution_options(**_ORM_UPDATE)
    )
    return session.execute(stmt).rowcount  # type: ignore[attr-defined, no-any-return]


def claim_next(
    session: Session,
    *,
    worker_id: str,
    kinds: Sequence[str] | None,
    now: datetime,
    lease_until: datetime,
) -> Job | None:
    """Take the next due job in one statement.

    PostgreSQL: the inner SELECT ... FOR UPDATE SKIP LOCKED lets claimers pass each other.
    SQLite: SQLAlchemy renders no FOR UPDATE; the write lock taken at BEGIN IMMEDIATE
    serialises claimers, so the UPDATE ... WHERE id = (SELECT ...) RETURNING is atomic.
    """
    claimable = or_(
        and_(col(Job.status).in_([JobStatus.QUEUED, JobStatus.FAILED]), col(Job.run_after) <= now),
        and_(
            col(Job.status) == JobStatus.RUNNING,
            col(Job.lease_until) < now,
            col(Job.attempts) < col(Job.max_attempts),
        ),
    )
    pick = select(Job.id).where(claimable)
    if kinds is not None:
        pick = pick.where(col(Job.kind).in_(list(kinds)))
    pick = pick.order_by(col(Job.run_after), col(Job.created_at)).limit(1)
    stmt = (
        update(Job)
        .where(col(Job.id) == pick.with_for_update(skip_locked=True).scalar_subquery())
        .values(
            status=JobStatus.RUNNING,
            attempts=col(Job.attempts) + 1,
            locked_by=worker_id,
            lease_until=lease_until,
            updated_at=now,
        )
        .returning(Job)
        .execution_options(**_ORM_UPDATE, populate_existing=True)
    )
    return session.scalars(stmt).one_or_none()


def update_owned(session: Session, job: Job, *, worker_id: str, values: dict[str, Any]) -> bool:
    """Update a running job only while `worker_id` still holds this attempt's claim."""
    stmt = (
        update(Job)
        .where(
            col(Job.id) == job.id,
            col(Job.status) == JobStatus.RUNNING,
            col(Job.locked_by) == worker_id,
            col(Job.attempts) == job.attempts,
        )
        .values(**values)
        .execution_options(**_ORM_UPDATE)
    )
    return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]

"""All SQL behind the gauges read at scrape time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from app.drafts.tables import DraftOrder, DraftStatus
from app.jobs.tables import Job, JobStatus
from app.review.tables import ReviewTask, TaskStatus

PENDING_JOBS = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.DEAD)
WAITING_JOBS = (JobStatus.QUEUED, JobStatus.FAILED)  # not running, will run
OPEN_TASKS = (TaskStatus.OPEN, TaskStatus.CLAIMED)


@dataclass(frozen=True)
class QueueSnapshot:
    """What the gauges show, read in one short transaction."""

    jobs: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, status) -> n
    oldest_waiting_s: dict[str, float] = field(default_factory=dict)  # kind -> age
    drafts: dict[str, int] = field(default_factory=dict)  # route -> n
    review_backlog: dict[str, int] = field(default_factory=dict)  # queue -> open tasks
    review_breached: dict[str, int] = field(default_factory=dict)  # queue -> past SLA


def read_snapshot(session: Session, *, now: datetime) -> QueueSnapshot:
    jobs = {
        (kind, status): int(n)
        for kind, status, n in session.exec(
            select(Job.kind, Job.status, func.count())
            .where(col(Job.status).in_(PENDING_JOBS))
            .group_by(col(Job.kind), col(Job.status))
        )
    }
    oldest = {
        kind: max(0.0, (now - _aware(created)).total_seconds())
        for kind, created in session.exec(
            select(Job.kind, func.min(Job.created_at))
            .where(col(Job.status).in_(WAITING_JOBS))
            .group_by(col(Job.kind))
        )
        if created is not None
    }
    drafts: dict[str, int] = {}
    for route, status, n in session.exec(
        select(DraftOrder.route_decision, DraftOrder.status, func.count()).group_by(
            col(DraftOrder.route_decision), col(DraftOrder.status)
        )
    ):
        label = "not_an_order" if status == DraftStatus.NOT_AN_ORDER else (route or "none")
        drafts[label] = drafts.get(label, 0) + int(n)
    backlog = {
        queue: int(n)
        for queue, n in session.exec(
            select(ReviewTask.queue, func.count())
            .where(col(ReviewTask.status).in_(OPEN_TASKS))
            .group_by(col(ReviewTask.queue))
        )
    }
    breached = {
        queue: int(n)
        for queue, n in session.exec(
            select(ReviewTask.queue, func.count())
            .where(col(ReviewTask.status).in_(OPEN_TASKS), col(ReviewTask.sla_due_at) < now)
            .group_by(col(ReviewTask.queue))
        )
    }
    return QueueSnapshot(
        jobs=jobs,
        oldest_waiting_s=oldest,
        drafts=drafts,
        review_backlog=backlog,
        review_breached=breached,
    )


def _aware(value: datetime) -> datetime:
    # Aggregates may come back naive on SQLite; stored times are always UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)

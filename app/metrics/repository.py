"""All SQL behind the gauges read at scrape time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
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


# On PostgreSQL jobs are procrastinate's: its statuses mapped to ours, the kind in its args.
_PG_JOBS = text(
    "SELECT args->>'kind', CASE status WHEN 'todo' THEN 'queued' ELSE 'running' END, count(*) "
    "FROM procrastinate_jobs WHERE status IN ('todo', 'doing') GROUP BY 1, 2"
)
_PG_OLDEST = text(
    "SELECT j.args->>'kind', min(e.at) FROM procrastinate_jobs j "
    "JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred' "
    "WHERE j.status = 'todo' GROUP BY 1"
)


def _job_figures(
    session: Session, now: datetime
) -> tuple[dict[tuple[str, str], int], dict[str, float]]:
    """Pending jobs by (kind, status) and the age of the oldest waiting one per kind."""
    if session.get_bind().dialect.name == "postgresql":
        pending = {(str(k), str(s)): int(n) for k, s, n in session.execute(_PG_JOBS)}
        ages = {
            str(k): max(0.0, (now - _aware(at)).total_seconds())
            for k, at in session.execute(_PG_OLDEST)
            if at is not None
        }
        return pending, ages
    return _table_jobs(session), _table_oldest(session, now)


def read_snapshot(session: Session, *, now: datetime) -> QueueSnapshot:
    jobs, oldest = _job_figures(session, now)
    return _snapshot(session, now=now, jobs=jobs, oldest=oldest)


def _table_jobs(session: Session) -> dict[tuple[str, str], int]:
    return {
        (kind, status): int(n)
        for kind, status, n in session.exec(
            select(Job.kind, Job.status, func.count())
            .where(col(Job.status).in_(PENDING_JOBS))
            .group_by(col(Job.kind), col(Job.status))
        )
    }


def _table_oldest(session: Session, now: datetime) -> dict[str, float]:
    return {
        kind: max(0.0, (now - _aware(created)).total_seconds())
        for kind, created in session.exec(
            select(Job.kind, func.min(Job.created_at))
            .where(col(Job.status).in_(WAITING_JOBS))
            .group_by(col(Job.kind))
        )
        if created is not None
    }


def _snapshot(
    session: Session, *, now: datetime, jobs: dict[tuple[str, str], int], oldest: dict[str, float]
) -> QueueSnapshot:
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

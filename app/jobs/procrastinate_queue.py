"""The job queue on PostgreSQL: procrastinate, deferred inside the caller's transaction.

procrastinate (3.10) takes an external connection at defer time
(`configure(connection=...)`: "the job INSERT will run on this connection instead of the
connector's pool, allowing atomic deferral within a user-managed transaction"). We pass the
psycopg connection under the SQLAlchemy session, so the message row and its job commit or
roll back together. Every kind goes through one task, `intake.run_job`, which looks the
kind's handler up in our HandlerRegistry: handlers stay backend-neutral.
"""

from __future__ import annotations

from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlmodel import Session

TASK_NAME = "intake.run_job"
QUEUE = "intake"


def conninfo(database_url: str) -> str:
    """The libpq URL of a SQLAlchemy `postgresql+psycopg://` URL (query options kept)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# Deferring through an external connection never touches the connector's pool, so this app
# is never opened: an API process holds no procrastinate state.
_deferrer = procrastinate.App(connector=procrastinate.SyncPsycopgConnector())


def defer(
    session: Session, kind: str, args: dict[str, Any], *, key: str | None, delay_s: float
) -> int | None:
    """Queue a job in the session's transaction; None when its key is already queued."""
    connection = session.connection().connection.driver_connection
    options: dict[str, Any] = {"connection": connection, "queue": QUEUE}
    if key is not None:
        options["queueing_lock"] = f"{kind}:{key}"
    if delay_s > 0:
        options["schedule_in"] = {"seconds": delay_s}
    try:
        with session.begin_nested():  # a refused queueing lock aborts only the savepoint
            return _deferrer.configure_task(TASK_NAME, **options).defer(**args)
    except AlreadyEnqueued:
        return None

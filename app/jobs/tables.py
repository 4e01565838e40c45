"""The `jobs` table: one row per unit of background work."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.core.types import UtcDateTime


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for its first attempt
    RUNNING = "running"  # claimed; lease_until says how long the claim holds
    FAILED = "failed"  # an attempt failed; retried once run_after passes
    DONE = "done"
    DEAD = "dead"  # out of attempts, or failed permanently: needs a person


class Job(SQLModel, table=True):
    __tablename__: ClassVar[str] = "jobs"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_jobs_kind_key"),
        Index("ix_jobs_claim", "status", "run_after"),
    )

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    kind: str = Field(max_length=64)
    key: str | None = Field(default=None, max_length=255)  # dedup key, unique per kind
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=JobStatus.QUEUED, sa_type=String(16))
    attempts: int = 0
    max_attempts: int = 5
    run_after: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    locked_by: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, sa_type=Text)
    trace_id: str | None = Field(default=None, max_length=32)  # the enqueuer's trace, as hex
    span_id: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

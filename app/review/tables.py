"""Review tasks: drafts waiting for a person, in queues with priorities and SLAs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.core.time import new_id, utcnow
from app.core.types import UtcDateTime


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReviewTask(SQLModel, table=True):
    __tablename__ = "review_tasks"

    id: str = Field(default_factory=lambda: new_id("rt"), primary_key=True)
    draft_id: str = Field(foreign_key="draft_orders.id", unique=True, index=True)
    queue: str = Field(index=True)
    priority: int = 50  # lower is more urgent
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    explanations: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(default=TaskStatus.OPEN, index=True)
    assignee: str | None = Field(default=None, index=True)
    escalated: bool = False
    version: int = 1  # optimistic concurrency: every change increments it
    sla_due_at: datetime = Field(sa_type=UtcDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    decision: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

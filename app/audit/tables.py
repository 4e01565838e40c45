"""The audit log: append-only, each event chained to the previous one by a hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.core.time import utcnow
from app.core.types import UtcDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

    seq: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
    actor: str  # user name, "policy", "worker", "system"
    action: str  # e.g. "draft.routed", "review.approve", "order.committed", "auth.login_failed"
    entity: str  # "draft", "review_task", "order", "reservation", "user"...
    entity_id: str = Field(index=True)
    reason: str | None = None
    before_digest: str | None = None  # sha256 of the canonical JSON before the change
    after_digest: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    trace_id: str | None = None
    prev_hash: str
    hash: str = Field(unique=True)


class OutboxEvent(SQLModel, table=True):
    """A side effect to deliver, written in the same transaction as the state change."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    kind: str  # "reserve_stock", "book_shipment", "send_acknowledgement"
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", index=True)  # pending -> delivered
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

"""Administration: reading the audit log and running the SLA check on demand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.audit.tables import AuditEvent
from app.review.service import escalate_overdue


class AuditEventPublic(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    reason: str | None
    before_digest: str | None
    after_digest: str | None
    detail: dict[str, Any]
    trace_id: str | None
    hash: str


class AuditList(BaseModel):
    items: list[AuditEventPublic]


class EscalationRun(BaseModel):
    escalated: list[str]  # task ids moved to the escalation queue


def list_audit(
    session: Session, *, entity: str | None = None, entity_id: str | None = None, limit: int = 100
) -> AuditList:
    """Audit events, newest first."""
    stmt = select(AuditEvent)
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    rows = session.exec(stmt.order_by(col(AuditEvent.seq).desc()).limit(limit))
    return AuditList(items=[AuditEventPublic.model_validate(e, from_attributes=True) for e in rows])


def run_escalations(session: Session) -> EscalationRun:
    """Escalate every open task past its SLA now (what the worker does periodically)."""
    return EscalationRun(escalated=escalate_overdue(session))

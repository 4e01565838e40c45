"""Append audit events to a hash chain, and verify the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from sqlalchemy import text
from sqlmodel import Session, col, select

from app.audit.tables import AuditEvent
from app.core.time import utcnow

GENESIS = "0" * 64


def digest(value: Any) -> str | None:
    """sha256 of the canonical JSON of a value (None stays None)."""
    if value is None:
        return None
    blob = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _event_hash(ev: AuditEvent) -> str:
    body = {
        "prev": ev.prev_hash,
        "at": ev.at.isoformat(),
        "actor": ev.actor,
        "action": ev.action,
        "entity": ev.entity,
        "entity_id": ev.entity_id,
        "reason": ev.reason,
        "before": ev.before_digest,
        "after": ev.after_digest,
        "detail": ev.detail,
        "trace_id": ev.trace_id,
    }
    return digest(body) or GENESIS


def _lock_chain(session: Session) -> None:
    # SQLite already holds the write lock (BEGIN IMMEDIATE); PostgreSQL needs one for the chain.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7351001)"))


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the change)."""
    prev_hash = _chain_head(session)
    ctx = trace.get_current_span().get_span_context()
    ev = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        before_digest=digest(before),
        after_digest=digest(after),
        detail=json.loads(json.dumps(detail or {}, default=str)),
        trace_id=format(ctx.trace_id, "032x") if ctx.is_valid else None,
        prev_hash=prev_hash,
        hash="",
    )
    ev.hash = _event_hash(ev)
    session.add(ev)
    session.flush()
    session.info[_HEAD] = (_innermost(session), ev.hash)
    return ev


_HEAD = "audit.chain_head"  # session.info: (transaction, hash of the event it appended last)


def _innermost(session: Session) -> object:
    """The transaction or savepoint a write lands in: one rolled back forgets its head."""
    return session.get_nested_transaction() or session.get_transaction()


def _chain_head(session: Session) -> str:
    """The hash of the chain's last event. Within a transaction that has appended already,
    the chain is locked since, so that event is still the last one: no query."""
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is _innermost(session):
        return str(cached[1])
    _lock_chain(session)
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    return last.hash if last else GENESIS


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify(session: Session) -> list[ChainProblem]:
    """Every problem in the chain: an altered event, a removed one, or a broken link."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    # Sequence gaps are normal on PostgreSQL (rolled-back inserts); the links tell deletions.
    for ev in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
        assert ev.seq is not None
        if ev.prev_hash != prev:
            problems.append(ChainProblem(ev.seq, "broken link to the previous event"))
        if _event_hash(ev) != ev.hash:
            problems.append(ChainProblem(ev.seq, "event content does not match its hash"))
        prev = ev.hash
    return problems

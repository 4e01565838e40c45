"""All SQL of the span store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Result, delete, func, insert, or_
from sqlmodel import Session, col, select

from app.telemetry.tables import TelemetrySpan


def insert_spans(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    session.execute(insert(TelemetrySpan), list(rows))


def prune(session: Session, *, older_than: datetime, max_rows: int) -> int:
    """Delete spans that started before `older_than`, then the oldest beyond `max_rows`."""
    gone = _deleted(
        session.execute(delete(TelemetrySpan).where(col(TelemetrySpan.start_time) < older_than))
    )
    boundary = session.exec(
        select(TelemetrySpan.start_time)
        .order_by(col(TelemetrySpan.start_time).desc())
        .offset(max_rows)
        .limit(1)
    ).first()
    if boundary is not None:
        gone += _deleted(
            session.execute(delete(TelemetrySpan).where(col(TelemetrySpan.start_time) <= boundary))
        )
    return gone


def _deleted(result: Result[Any]) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def related_trace_ids(session: Session, *, trace_id: str | None, draft_id: str) -> list[str]:
    """The draft's trace and every trace that links to it or names the draft."""
    conditions = [col(TelemetrySpan.draft_id) == draft_id]
    if trace_id:
        conditions.append(col(TelemetrySpan.origin_trace_id) == trace_id)
    found = set(
        session.exec(select(TelemetrySpan.trace_id).where(or_(*conditions)).distinct()).all()
    )
    if trace_id:
        found.add(trace_id)
    return sorted(found)


def spans_of(session: Session, trace_ids: Iterable[str]) -> list[TelemetrySpan]:
    ids = list(trace_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(TelemetrySpan)
            .where(col(TelemetrySpan.trace_id).in_(ids))
            .order_by(col(TelemetrySpan.start_time), col(TelemetrySpan.id))
        )
    )


def count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(TelemetrySpan)).one())

"""Drafts: the routed result of the graph, stored for reviewers, metrics and evals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, delete, select

from app.core.errors import NotFound
from app.core.time import utcnow
from app.drafts.tables import DraftLine, DraftOrder, DraftStatus


def draft_id_for(message_id: str) -> str:
    """Drafts are keyed by their message: one message never makes two drafts."""
    return f"dr_{message_id.removeprefix('msg_')}"


def get_draft(session: Session, draft_id: str) -> DraftOrder:
    draft = session.get(DraftOrder, draft_id)
    if draft is None:
        raise NotFound(f"draft {draft_id} not found", code="draft_not_found")
    return draft


def ensure_draft(session: Session, *, message_id: str, trace_id: str | None) -> DraftOrder:
    """The draft of a message, created in status `processing` on first sight."""
    draft_id = draft_id_for(message_id)
    draft = session.get(DraftOrder, draft_id)
    if draft is None:
        draft = DraftOrder(
            id=draft_id, inbound_message_id=message_id, thread_id=message_id, trace_id=trace_id
        )
        session.add(draft)
        session.flush()
    return draft


def lines_of(session: Session, draft_id: str) -> list[DraftLine]:
    stmt = select(DraftLine).where(DraftLine.draft_id == draft_id).order_by(col(DraftLine.line_no))
    return list(session.exec(stmt))


def replace_lines(session: Session, draft_id: str, lines: list[DraftLine]) -> None:
    session.exec(delete(DraftLine).where(col(DraftLine.draft_id) == draft_id))
    for line in lines:
        session.add(line)


def update_draft(session: Session, draft: DraftOrder, **values: Any) -> DraftOrder:
    for key, value in values.items():
        setattr(draft, key, value)
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    return draft


def set_status(session: Session, draft: DraftOrder, status: DraftStatus, **values: Any) -> None:
    update_draft(session, draft, status=status, decided_at=utcnow(), **values)


def money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))

"""The reads the UI needs beyond the review service: messages, orders, audit events."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.audit.tables import AuditEvent
from app.core.errors import NotFound
from app.intake.tables import InboundMessage
from app.inventory.tables import Reservation
from app.orders.tables import Order, OrderLine, Shipment
from app.review.service import OPEN_STATES
from app.review.tables import ReviewTask


def message(session: Session, message_id: str) -> InboundMessage | None:
    return session.get(InboundMessage, message_id)


def task_of_draft(session: Session, draft_id: str) -> ReviewTask | None:
    return session.exec(select(ReviewTask).where(ReviewTask.draft_id == draft_id)).first()


def open_assignees(session: Session) -> list[str]:
    stmt = (
        select(ReviewTask.assignee)
        .distinct()
        .where(col(ReviewTask.status).in_(list(OPEN_STATES)), col(ReviewTask.assignee).is_not(None))
    )
    return sorted(a for a in session.exec(stmt) if a)


def audit_trail(session: Session, entity_ids: list[str], *, limit: int = 200) -> list[AuditEvent]:
    """Events about any of these entities, oldest first."""
    ids = [i for i in entity_ids if i]
    if not ids:
        return []
    stmt = (
        select(AuditEvent)
        .where(col(AuditEvent.entity_id).in_(ids))
        .order_by(col(AuditEvent.seq))
        .limit(limit)
    )
    return list(session.exec(stmt))


def latest_events(
    session: Session, *, entity_id: str | None = None, limit: int = 200
) -> list[AuditEvent]:
    """The newest events first, optionally about one entity (its id, or an order line key)."""
    stmt = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit)
    if entity_id:
        stmt = stmt.where(
            (col(AuditEvent.entity_id) == entity_id)
            | col(AuditEvent.entity_id).startswith(f"{entity_id}:")
        )
    return list(session.exec(stmt))


@dataclass
class OrderRecord:
    order: Order
    lines: list[OrderLine]
    shipments: list[Shipment]
    reservations: list[Reservation]


def order_record(session: Session, order_id: str) -> OrderRecord:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"order {order_id} not found", code="order_not_found")
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.line_no))
    ).all()
    shipments = session.exec(
        select(Shipment).where(Shipment.order_id == order_id).order_by(col(Shipment.ship_date))
    ).all()
    reservations = session.exec(
        select(Reservation)
        .where(col(Reservation.order_line_key).startswith(f"{order_id}:"))
        .order_by(col(Reservation.id))
    ).all()
    return OrderRecord(
        order=order, lines=list(lines), shipments=list(shipments), reservations=list(reservations)
    )

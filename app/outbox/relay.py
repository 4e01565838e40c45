"""The outbox relay: delivers side effects written next to the state change that caused them.

Each pending row is claimed in a transaction of its own (FOR UPDATE SKIP LOCKED on
PostgreSQL, so relays pass each other; on SQLite the BEGIN IMMEDIATE write lock serialises
them), its effect applied and the row marked delivered in that same transaction. Delivery is
at least once, and every effect is idempotent by the row's key: delivering a row again, or
running the relay twice, changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.audit.tables import AuditEvent, OutboxEvent
from app.core.db import session_scope
from app.core.time import utcnow
from app.orders.tables import Order, Shipment

BOOK_SHIPMENT = "book_shipment"
SEND_ACKNOWLEDGEMENT = "send_acknowledgement"
ACK_SENT = "order.acknowledgement_sent"
MAX_ATTEMPTS = 10  # then the row is left "failed" for a person
ACTOR = "outbox"


class DeliveryError(Exception):
    """An effect that cannot be delivered now (recorded on the row, retried on a later run)."""


@dataclass
class RelayReport:
    delivered: list[str] = field(default_factory=list)  # idempotency keys
    failed: list[str] = field(default_factory=list)


def booking_reference(idempotency_key: str) -> str:
    """The carrier booking reference of a shipment: the same key always books the same one."""
    return "BK-" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:12].upper()


def relay_pending(engine: Engine, *, limit: int = 200) -> RelayReport:
    """Deliver up to `limit` pending rows, oldest first; each in its own transaction."""
    report = RelayReport()
    seen: list[int] = []
    for _ in range(limit):
        with session_scope(engine) as session:
            event = _claim_next(session, exclude=seen)
            if event is None:
                break
            assert event.id is not None
            seen.append(event.id)
            try:
                with session.begin_nested():
                    deliver(session, event)
            except DeliveryError as exc:
                _record_failure(session, event, str(exc))
                report.failed.append(event.idempotency_key)
                continue
            event.status = "delivered"
            event.delivered_at = utcnow()
            event.attempts += 1
            event.last_error = None
            session.add(event)
            report.delivered.append(event.idempotency_key)
    return report


def _claim_next(session: Session, *, exclude: list[int]) -> OutboxEvent | None:
    stmt = select(OutboxEvent).where(OutboxEvent.status == "pending")
    if exclude:
        stmt = stmt.where(col(OutboxEvent.id).not_in(exclude))
    stmt = stmt.order_by(col(OutboxEvent.id)).limit(1).with_for_update(skip_locked=True)
    return session.exec(stmt).first()


def _record_failure(session: Session, event: OutboxEvent, error: str) -> None:
    event.attempts += 1
    event.last_error = error[:2000]
    if event.attempts >= MAX_ATTEMPTS:
        event.status = "failed"
    session.add(event)


def deliver(session: Session, event: OutboxEvent) -> None:
    """Apply one row's effect, unless it was applied before."""
    if event.kind == BOOK_SHIPMENT:
        _book_shipment(session, event)
    elif event.kind == SEND_ACKNOWLEDGEMENT:
        _send_acknowledgement(session, event)
    else:
        raise DeliveryError(f"no delivery for outbox kind {event.kind!r}")


def _book_shipment(session: Session, event: OutboxEvent) -> None:
    key = str(event.payload.get("booking_key", ""))
    shipment = session.exec(select(Shipment).where(Shipment.booking_key == key)).first()
    if shipment is None:
        raise DeliveryError(f"no shipment with booking key {key!r}")
    if shipment.status == "booked":
        return
    shipment.status = "booked"
    shipment.booking_reference = booking_reference(event.idempotency_key)
    session.add(shipment)
    audit.record(
        session,
        actor=ACTOR,
        action="shipment.booked",
        entity="shipment",
        entity_id=shipment.id,
        after={"reference": shipment.booking_reference},
        detail={
            "order_id": shipment.order_id,
            "idempotency_key": event.idempotency_key,
            "carrier_id": shipment.carrier_id,
            "service_id": shipment.service_id,
        },
    )


def _send_acknowledgement(session: Session, event: OutboxEvent) -> None:
    order_id = str(event.payload.get("order_id", ""))
    order = session.get(Order, order_id)
    if order is None:
        raise DeliveryError(f"no order {order_id!r}")
    sent = session.exec(
        select(AuditEvent.seq).where(
            AuditEvent.entity == "order",
            AuditEvent.entity_id == order.id,
            AuditEvent.action == ACK_SENT,
        )
    ).first()
    if sent is not None:
        return
    audit.record(
        session,
        actor=ACTOR,
        action=ACK_SENT,
        entity="order",
        entity_id=order.id,
        after={"acknowledgement": order.acknowledgement},
        detail={"customer_id": order.customer_id, "idempotency_key": event.idempotency_key},
    )

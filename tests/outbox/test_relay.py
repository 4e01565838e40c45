"""The outbox relay delivers each effect once, however often it runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from app.audit.tables import AuditEvent, OutboxEvent
from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope
from app.orders.tables import Order, Shipment
from app.outbox.relay import ACK_SENT, booking_reference, relay_pending


def order_with_effects(ctx: AppContext, draft_id: str = "dr_x") -> str:
    with session_scope(ctx.engine) as session:
        order = Order(
            draft_id=draft_id,
            customer_id="C1002",
            currency="USD",
            total=Decimal("10"),
            approved_by="alice",
            approval="human",
            acknowledgement="Order confirmation\n",
        )
        session.add(order)
        session.flush()
        shipment = Shipment(
            order_id=order.id,
            booking_key=f"{order.id}:RNO",
            warehouse_id="RNO",
            ship_date=date(2026, 1, 5),
        )
        session.add(shipment)
        session.add(
            OutboxEvent(
                idempotency_key=f"book:{shipment.booking_key}",
                kind="book_shipment",
                payload={"order_id": order.id, "booking_key": shipment.booking_key},
            )
        )
        session.add(
            OutboxEvent(
                idempotency_key=f"ack:{order.id}",
                kind="send_acknowledgement",
                payload={"order_id": order.id, "customer_id": "C1002"},
            )
        )
        return order.id


def _state(ctx: AppContext) -> tuple[list[tuple[str, str | None]], int, list[str]]:
    with session_scope(ctx.engine) as session:
        shipments = [(s.status, s.booking_reference) for s in session.exec(select(Shipment))]
        sent = len(session.exec(select(AuditEvent).where(AuditEvent.action == ACK_SENT)).all())
        rows = [e.status for e in session.exec(select(OutboxEvent))]
    return shipments, sent, rows


def test_relay_twice_changes_nothing(demo_ctx: AppContext) -> None:
    order_id = order_with_effects(demo_ctx)
    first = relay_pending(demo_ctx.engine)
    assert sorted(first.delivered) == [f"ack:{order_id}", f"book:{order_id}:RNO"]
    after_first = _state(demo_ctx)
    assert after_first == (
        [("booked", booking_reference(f"book:{order_id}:RNO"))],
        1,
        ["delivered", "delivered"],
    )
    assert relay_pending(demo_ctx.engine).delivered == []
    assert _state(demo_ctx) == after_first


def test_a_redelivered_row_is_idempotent_by_its_key(demo_ctx: AppContext) -> None:
    order_with_effects(demo_ctx)
    relay_pending(demo_ctx.engine)
    before = _state(demo_ctx)
    with session_scope(demo_ctx.engine) as session:  # at least once: the same rows again
        for event in session.exec(select(OutboxEvent)):
            event.status = "pending"
            session.add(event)
    assert len(relay_pending(demo_ctx.engine).delivered) == 2
    assert _state(demo_ctx) == before


def test_undeliverable_rows_are_recorded_and_skipped(
    demo_ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(demo_ctx.engine) as session:
        session.add(
            OutboxEvent(
                idempotency_key="book:nowhere",
                kind="book_shipment",
                payload={"booking_key": "nowhere"},
            )
        )
        session.add(OutboxEvent(idempotency_key="fax:1", kind="send_fax", payload={}))
    order_id = order_with_effects(demo_ctx)
    assert main(["outbox", "relay", "--database-url", demo_ctx.settings.database_url]) == 1
    out = capsys.readouterr().out
    assert f"delivered\tack:{order_id}" in out and "failed\tfax:1" in out
    assert "2 delivered, 2 failed" in out
    with session_scope(demo_ctx.engine) as session:
        bad = session.exec(select(OutboxEvent).where(OutboxEvent.idempotency_key == "fax:1")).one()
        assert bad.status == "pending" and bad.attempts == 1
        assert "send_fax" in (bad.last_error or "")

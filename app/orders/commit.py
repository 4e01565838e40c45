"""Turning an approved draft into an order: lines, stock holds, shipments and outbox effects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.audit.tables import OutboxEvent
from app.core.errors import Conflict
from app.drafts.tables import DraftOrder
from app.inventory import repository as holds
from app.inventory import service as inventory
from app.inventory.repository import lock_stock
from app.masterdata.tables import ScheduledReceiptRow
from app.orders.acknowledgement import acknowledgement_text
from app.orders.tables import Order, OrderLine, Shipment

if TYPE_CHECKING:
    from graphs.state import OrderState


def create_order(session: Session, *, draft: DraftOrder, state: OrderState, now: datetime) -> Order:
    """The order of a draft, created once: a second call returns the first order."""
    existing = session.exec(select(Order).where(Order.draft_id == draft.id)).first()
    if existing is not None:
        return existing
    assert state.resolved is not None and state.extracted is not None
    customer_id = state.resolved.customer.value
    if customer_id is None:
        raise Conflict("an order needs a customer", code="customer_required")
    actor = state.decision.actor if state.decision else "policy"
    lines = _order_lines(state)
    total = sum((ln.extended_price for ln in lines), Decimal("0"))
    order = Order(
        draft_id=draft.id,
        customer_id=customer_id,
        customer_po_number=state.extracted.customer_po_number.value,
        ship_to_id=state.resolved.ship_to.value,
        ship_to=(
            state.resolved.ship_to.address.model_dump(mode="json")
            if state.resolved.ship_to.address
            else {}
        ),
        currency=draft.currency or "USD",
        total=total,
        requested_delivery_date=state.extracted.requested_delivery_date.value,
        approved_by=actor,
        approval="auto" if actor == "policy" else "human",
        trace_id=draft.trace_id,
        created_at=now,
    )
    session.add(order)
    session.flush()
    for line in lines:
        line.order_id = order.id
        session.add(line)
    shipments = _shipments(session, order, state, actor, now.date())
    order.acknowledgement = acknowledgement_text(order, lines, shipments)
    session.add(order)
    _outbox(
        session,
        f"ack:{order.id}",
        "send_acknowledgement",
        {"order_id": order.id, "customer_id": customer_id},
    )
    session.flush()
    return order


def _order_lines(state: OrderState) -> list[OrderLine]:
    assert state.resolved is not None and state.extracted is not None
    enrichment = state.enrichment
    overrides = {
        e.line_no: e
        for e in (state.decision.edits.lines if state.decision else [])
        if e.line_no is not None and e.unit_price is not None
    }
    out: list[OrderLine] = []
    for res in state.resolved.lines:
        sku, qty = res.item.value, res.quantity
        if sku is None or qty is None or res.base_quantity is None:
            raise Conflict(f"line {res.index + 1} has no item or quantity", code="line_incomplete")
        quote = enrichment.quote_for(sku, qty) if enrichment else None
        if quote is None or not quote.get("unit_price_ordered"):
            raise Conflict(f"line {res.index + 1} ({sku}) is not priced", code="unpriced_line")
        line = state.extracted.lines[res.index]
        unit = Decimal(str(quote["unit_price_ordered"]["amount"]))
        extended = Decimal(str(quote["extended_price"]["amount"]))
        edit = overrides.get(res.index + 1)
        if edit is not None and edit.unit_price is not None and edit.unit_price != unit:
            unit, extended = edit.unit_price, (edit.unit_price * qty).quantize(Decimal("0.01"))
        out.append(
            OrderLine(
                order_id="",
                line_no=res.index + 1,
                sku=sku,
                description=line.description.value or sku,
                customer_item_code=line.customer_item_code.value,
                quantity=qty,
                uom=res.uom.value or res.uom.as_written or "EA",
                base_quantity=res.base_quantity,
                unit_price=unit,
                price_source=str(quote.get("source") or "override"),
                extended_price=extended,
                price_override_reason=edit.price_override_reason if edit else None,
            )
        )
    return out


def _shipments(
    session: Session, order: Order, state: OrderState, actor: str, today: date
) -> list[Shipment]:
    plan = state.enrichment.find("plan_fulfillment") if state.enrichment else None
    if plan is None or not plan.ok:
        raise Conflict("no fulfilment plan for the order", code="no_fulfilment_plan")
    out: list[Shipment] = []
    for planned in plan.result.get("shipments", []):
        warehouse = planned["warehouse_id"]
        carrier: dict[str, Any] = planned.get("carrier") or {}
        for item in planned["lines"]:
            _hold_stock(session, order, item, warehouse, actor, today)
        shipment = Shipment(
            order_id=order.id,
            booking_key=f"{order.id}:{warehouse}",
            warehouse_id=warehouse,
            carrier_id=carrier.get("carrier_id"),
            service_id=carrier.get("service_id"),
            ship_date=date.fromisoformat(planned["ship_date"]),
            delivery_date=date.fromisoformat(planned["delivery_date"]),
            cost=Decimal(str(planned["cost"]["amount"])),
            lines=[int(i["line_no"]) for i in planned["lines"]],
        )
        session.add(shipment)
        out.append(shipment)
        _outbox(
            session,
            f"book:{shipment.booking_key}",
            "book_shipment",
            {"order_id": order.id, "booking_key": shipment.booking_key},
        )
    return out


def _hold_stock(
    session: Session, order: Order, item: dict[str, Any], warehouse: str, actor: str, today: date
) -> None:
    """Reserve what is on hand now and backorder the rest against scheduled receipts."""
    sku, qty = item["sku"], Decimal(str(item["quantity"]))
    key = f"{order.id}:L{item['line_no']}:{warehouse}"
    stock = lock_stock(session, sku=sku, warehouse_id=warehouse)
    now_qty = min(qty, inventory.available_now(stock)) if stock else Decimal("0")
    reason = f"order {order.id} line {item['line_no']}"
    if now_qty > 0:
        inventory.reserve(
            session,
            order_line_key=f"{key}:now",
            sku=sku,
            warehouse_id=warehouse,
            quantity=now_qty,
            actor=actor,
            reason=reason,
        )
    rest = qty - now_qty
    receipts = session.exec(
        select(ScheduledReceiptRow)
        .where(ScheduledReceiptRow.sku == sku, ScheduledReceiptRow.warehouse_id == warehouse)
        .order_by(col(ScheduledReceiptRow.expected_date))
    ).all()
    for receipt in receipts:
        if rest <= 0:
            break
        open_qty = receipt.quantity - holds.backordered_from(session, receipt.receipt_id)
        take = min(rest, open_qty)
        if take > 0:
            inventory.backorder(
                session,
                order_line_key=f"{key}:{receipt.receipt_id}",
                receipt_id=receipt.receipt_id,
                quantity=take,
                actor=actor,
                reason=reason,
            )
            rest -= take
    if rest > 0:
        raise inventory.InsufficientStock(f"{rest} of {sku} cannot be held in {warehouse}")
    audit.record(
        session,
        actor=actor,
        action="stock.held",
        entity="order_line",
        entity_id=key,
        after={"sku": sku, "quantity": str(qty), "now": str(now_qty)},
    )


def _outbox(session: Session, key: str, kind: str, payload: dict[str, Any]) -> None:
    if session.exec(select(OutboxEvent).where(OutboxEvent.idempotency_key == key)).first():
        return
    session.add(OutboxEvent(idempotency_key=key, kind=kind, payload=payload))

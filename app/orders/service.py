"""Reading committed orders: the order, its lines, shipments, stock holds and confirmation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.core.errors import NotFound
from app.drafts.views import as_utc
from app.inventory.tables import Reservation
from app.orders.tables import Order, OrderLine, Shipment


class OrderSummary(BaseModel):
    id: str
    draft_id: str
    customer_id: str
    customer_po_number: str | None
    ship_to_id: str | None
    ship_to: dict[str, Any]
    currency: str
    total: Decimal
    requested_delivery_date: date | None
    approved_by: str
    approval: str
    trace_id: str | None
    created_at: datetime


class OrderLinePublic(BaseModel):
    line_no: int
    sku: str
    description: str
    customer_item_code: str | None
    quantity: Decimal
    uom: str
    base_quantity: Decimal
    unit_price: Decimal
    price_source: str
    extended_price: Decimal
    price_override_reason: str | None


class ShipmentPublic(BaseModel):
    id: str
    booking_key: str
    warehouse_id: str
    carrier_id: str | None
    service_id: str | None
    ship_date: date | None
    delivery_date: date | None
    cost: Decimal
    lines: list[int]
    status: str
    booking_reference: str | None


class ReservationPublic(BaseModel):
    order_line_key: str
    sku: str
    warehouse_id: str
    quantity: Decimal
    status: str
    receipt_id: str | None


class OrderDetail(BaseModel):
    order: OrderSummary
    lines: list[OrderLinePublic]
    shipments: list[ShipmentPublic]
    reservations: list[ReservationPublic]
    acknowledgement: str  # the confirmation text the customer receives


class OrderList(BaseModel):
    items: list[OrderSummary]


def get_order(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"order {order_id} not found", code="order_not_found")
    return order


def order_detail(session: Session, order_id: str) -> OrderDetail:
    order = get_order(session, order_id)
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.line_no))
    )
    shipments = session.exec(
        select(Shipment)
        .where(Shipment.order_id == order.id)
        .order_by(col(Shipment.ship_date), col(Shipment.id))
    )
    # Stock holds are keyed "<order id>:L<line>:<warehouse>:<now|receipt>" (orders/commit.py).
    holds = session.exec(
        select(Reservation)
        .where(col(Reservation.order_line_key).startswith(f"{order.id}:", autoescape=True))
        .order_by(col(Reservation.order_line_key))
    )
    return OrderDetail(
        order=OrderSummary.model_validate(order, from_attributes=True),
        lines=[OrderLinePublic.model_validate(ln, from_attributes=True) for ln in lines],
        shipments=[ShipmentPublic.model_validate(s, from_attributes=True) for s in shipments],
        reservations=[ReservationPublic.model_validate(r, from_attributes=True) for r in holds],
        acknowledgement=order.acknowledgement,
    )


def list_orders(
    session: Session,
    *,
    customer_id: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> OrderList:
    """Orders, newest first."""
    stmt = select(Order)
    if customer_id:
        stmt = stmt.where(Order.customer_id == customer_id)
    if since is not None:
        stmt = stmt.where(col(Order.created_at) >= as_utc(since))
    rows = session.exec(stmt.order_by(col(Order.created_at).desc()).limit(limit))
    return OrderList(items=[OrderSummary.model_validate(o, from_attributes=True) for o in rows])

"""Committed sales orders, their lines and shipments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.core.db import DecimalText
from app.core.time import new_id, utcnow
from app.core.types import UtcDateTime


class Order(SQLModel, table=True):
    __tablename__ = "orders"

    id: str = Field(default_factory=lambda: new_id("so"), primary_key=True)
    draft_id: str = Field(unique=True, index=True)  # one order per draft: commit is idempotent
    customer_id: str = Field(index=True)
    customer_po_number: str | None = Field(default=None, index=True)
    ship_to_id: str | None = None
    ship_to: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    currency: str
    total: Decimal = Field(sa_type=DecimalText)
    requested_delivery_date: date | None = None
    approved_by: str  # "policy" for automatic approvals, else the user name
    approval: str  # "auto" | "human"
    acknowledgement: str = ""  # the order confirmation a customer would receive
    trace_id: str | None = None  # the inbound message's trace
    resume_trace_id: str | None = None  # the trace that committed it after review, if any
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="orders.id", index=True)
    line_no: int
    sku: str
    description: str
    customer_item_code: str | None = None
    quantity: Decimal = Field(sa_type=DecimalText)  # as ordered, in `uom`
    uom: str
    base_quantity: Decimal = Field(sa_type=DecimalText)
    unit_price: Decimal = Field(sa_type=DecimalText)  # per ordered uom
    price_source: str
    extended_price: Decimal = Field(sa_type=DecimalText)
    price_override_reason: str | None = None


class Shipment(SQLModel, table=True):
    __tablename__ = "shipments"

    id: str = Field(default_factory=lambda: new_id("sh"), primary_key=True)
    order_id: str = Field(foreign_key="orders.id", index=True)
    booking_key: str = Field(unique=True)  # idempotency: order id + warehouse
    warehouse_id: str
    carrier_id: str | None = None
    service_id: str | None = None
    ship_date: date | None = None
    delivery_date: date | None = None
    cost: Decimal = Field(default=Decimal("0"), sa_type=DecimalText)
    lines: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "planned"  # planned -> booked (by the outbox relay)
    booking_reference: str | None = None  # set when booked; derived from the outbox key
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

"""The reservations table: one row per order line that holds or awaits stock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.db import DecimalText
from app.core.time import utcnow
from app.core.types import UtcDateTime


class ReservationStatus(StrEnum):
    RESERVED = "reserved"  # counted in md_stock.allocated
    BACKORDER = "backorder"  # promised from a scheduled receipt, not yet in stock
    RELEASED = "released"  # no longer holds anything


class Reservation(SQLModel, table=True):
    """Stock held for one order line, keyed by the line so a retry never reserves twice."""

    __tablename__ = "reservations"
    id: int | None = Field(default=None, primary_key=True)
    order_line_key: str = Field(unique=True, index=True)
    sku: str = Field(index=True)
    warehouse_id: str
    quantity: Decimal = Field(sa_type=DecimalText)  # base units
    status: ReservationStatus = Field(index=True)
    receipt_id: str | None = Field(default=None, index=True)  # set for backorders
    actor: str
    reason: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    released_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    released_by: str | None = None
    release_reason: str | None = None

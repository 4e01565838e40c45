"""Draft orders: what the graph made of a message, before a person or the policy approves it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from app.core.db import DecimalText
from app.core.time import new_id, utcnow
from app.core.types import UtcDateTime


class DraftStatus(StrEnum):
    PROCESSING = "processing"
    IN_REVIEW = "in_review"
    APPROVED = "approved"  # by policy (auto) or by a person; an order exists
    REJECTED = "rejected"
    NOT_AN_ORDER = "not_an_order"
    QUARANTINED = "quarantined"
    FAILED = "failed"


# The duplicate-PO check looks drafts up by customer id, trimmed and upper-cased.
CUSTOMER_KEY_INDEX = "ix_draft_orders_customer_key"
CUSTOMER_KEY_SQL = "upper(trim(customer_id))"


class DraftOrder(SQLModel, table=True):
    __tablename__ = "draft_orders"
    __table_args__ = (Index(CUSTOMER_KEY_INDEX, text(CUSTOMER_KEY_SQL)),)

    id: str = Field(default_factory=lambda: new_id("dr"), primary_key=True)
    inbound_message_id: str = Field(index=True, unique=True)
    thread_id: str  # the LangGraph thread
    status: str = Field(default=DraftStatus.PROCESSING, index=True)
    route_decision: str | None = None  # "auto" | "review"
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    queue: str | None = Field(default=None, index=True)
    extractor: str | None = None
    document_confidence: float | None = None
    customer_id: str | None = Field(default=None, index=True)
    customer_po_number: str | None = Field(default=None, index=True)
    currency: str | None = None
    total: Decimal | None = Field(default=None, sa_type=DecimalText)
    stated_total: Decimal | None = Field(default=None, sa_type=DecimalText)
    extraction: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    resolution: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    enrichment: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    explanations: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    tokens_input: int = 0
    tokens_output: int = 0
    trace_id: str | None = None
    edited: bool = False  # a reviewer changed something before approval
    rejection_reason: str | None = None
    order_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class DraftLine(SQLModel, table=True):
    """One line as written (with confidences) and as resolved and priced by the core."""

    __tablename__ = "draft_lines"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: str = Field(foreign_key="draft_orders.id", index=True)
    line_no: int
    customer_item_code: str | None = None
    description: str | None = None
    quantity: Decimal | None = Field(default=None, sa_type=DecimalText)
    uom: str | None = None
    stated_unit_price: Decimal | None = Field(default=None, sa_type=DecimalText)
    confidence: float = 0.0
    field_confidence: dict[str, float] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    sku: str | None = None
    sku_confidence: float = 0.0
    base_quantity: Decimal | None = Field(default=None, sa_type=DecimalText)
    unit_price: Decimal | None = Field(default=None, sa_type=DecimalText)  # from quote_price
    price_source: str | None = None
    extended_price: Decimal | None = Field(default=None, sa_type=DecimalText)
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

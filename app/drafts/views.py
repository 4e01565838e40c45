"""Drafts as the JSON API shows them: the draft, its lines, and why it was rejected."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.drafts.enrichment import Enrichment
from app.drafts.service import get_draft, lines_of
from app.drafts.tables import DraftLine, DraftOrder
from app.extraction.schema import ExtractedOrder
from app.resolution.models import ResolvedOrder


class DraftSummary(BaseModel):
    id: str
    inbound_message_id: str
    status: str
    route_decision: str | None
    reasons: list[str]
    queue: str | None
    customer_id: str | None
    customer_po_number: str | None
    currency: str | None
    total: Decimal | None
    document_confidence: float | None
    edited: bool
    rejection_reason: str | None  # why a rejected (or quarantined) draft was closed
    order_id: str | None
    trace_id: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, draft: DraftOrder) -> DraftSummary:
        return cls.model_validate(draft, from_attributes=True)


class DraftLinePublic(BaseModel):
    line_no: int
    customer_item_code: str | None
    description: str | None
    quantity: Decimal | None
    uom: str | None
    stated_unit_price: Decimal | None
    confidence: float
    field_confidence: dict[str, float]
    sku: str | None
    sku_confidence: float
    base_quantity: Decimal | None
    unit_price: Decimal | None
    price_source: str | None
    extended_price: Decimal | None
    flags: list[str]

    @classmethod
    def of(cls, line: DraftLine) -> DraftLinePublic:
        return cls.model_validate(line, from_attributes=True)


class DraftDetail(BaseModel):
    """A draft with everything the graph found: extraction (per-field confidence and source),
    resolution (with candidates), the core's tool results, and the routing explanations."""

    draft: DraftSummary
    lines: list[DraftLinePublic]
    extraction: ExtractedOrder | None
    resolution: ResolvedOrder | None
    enrichment: Enrichment
    explanations: dict[str, str]
    stated_total: Decimal | None


class DraftList(BaseModel):
    items: list[DraftSummary]


def draft_detail(session: Session, draft_id: str) -> DraftDetail:
    draft = get_draft(session, draft_id)
    return DraftDetail(
        draft=DraftSummary.of(draft),
        lines=[DraftLinePublic.of(ln) for ln in lines_of(session, draft.id)],
        extraction=ExtractedOrder.model_validate(draft.extraction) if draft.extraction else None,
        resolution=ResolvedOrder.model_validate(draft.resolution) if draft.resolution else None,
        enrichment=Enrichment.model_validate(draft.enrichment or {}),
        explanations=draft.explanations,
        stated_total=draft.stated_total,
    )


def list_drafts(
    session: Session, *, status: str | None = None, since: datetime | None = None, limit: int = 200
) -> list[DraftOrder]:
    """Drafts, newest first."""
    stmt = select(DraftOrder)
    if status:
        stmt = stmt.where(DraftOrder.status == status)
    if since is not None:
        stmt = stmt.where(col(DraftOrder.created_at) >= as_utc(since))
    return list(session.exec(stmt.order_by(col(DraftOrder.created_at).desc()).limit(limit)))


def as_utc(moment: datetime) -> datetime:
    """A query parameter's time in UTC; one without a zone is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

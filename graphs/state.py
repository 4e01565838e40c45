"""The state one message carries through the graph; pydantic, revived by the checkpointer."""

from __future__ import annotations

from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, Field

from app.documents.model import (
    BBox,
    DocumentKind,
    ParsedDocument,
    ParsedMessage,
    Table,
    Word,
)
from app.drafts.enrichment import Enrichment, ToolOutcome
from app.extraction.schema import (
    Address,
    Extracted,
    ExtractedLine,
    ExtractedOrder,
    SourceRef,
    TokenUsage,
)
from app.resolution.models import (
    Candidate,
    LineResolution,
    Resolution,
    ResolvedOrder,
    ShipToResolution,
    UomResolution,
)
from app.review.schemas import DraftEdits, LineEdit, ReviewDecision
from app.routing.facts import LinePriceCheck, RoutingFacts
from app.routing.route import ReasonExplanation, RouteDecision


class Outcome(BaseModel):
    kind: str  # "committed" | "rejected" | "not_an_order" | "quarantined"
    order_id: str | None = None
    reason: str | None = None


class OrderState(BaseModel):
    message_id: str
    draft_id: str
    parsed: ParsedMessage | None = None
    extracted: ExtractedOrder | None = None
    extractor_failure: str | None = None
    resolved: ResolvedOrder | None = None
    messages: Annotated[list[AnyMessage], add_messages] = Field(default_factory=list)
    enrichment: Enrichment | None = None
    facts: RoutingFacts | None = None
    route: RouteDecision | None = None
    decision: ReviewDecision | None = None
    outcome: Outcome | None = None


STATE_TYPES: tuple[type[BaseModel], ...] = (
    OrderState,
    ParsedMessage,
    ParsedDocument,
    Word,
    BBox,
    Table,
    ExtractedOrder,
    ExtractedLine,
    Extracted,
    SourceRef,
    Address,
    Enrichment,
    ToolOutcome,
    Outcome,
    ReviewDecision,
    DraftEdits,
    LineEdit,
    ResolvedOrder,
    Resolution,
    ShipToResolution,
    UomResolution,
    LineResolution,
    Candidate,
    RoutingFacts,
    LinePriceCheck,
    RouteDecision,
    ReasonExplanation,
    TokenUsage,
)
# Enums and other non-model types the state holds, revived by the same allowlist.
STATE_ENUMS: tuple[type, ...] = (DocumentKind,)

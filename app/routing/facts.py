"""What the routing decision is made from: facts gathered by resolution and the tools."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CreditStatus = Literal["ok", "hold", "over_limit"]


class LinePriceCheck(BaseModel):
    """One line's stated unit price against the price we would charge, per the same unit."""

    model_config = ConfigDict(frozen=True)

    line: int  # index in the order's lines
    stated_unit_price: Decimal | None = None  # None: the buyer stated no price
    expected_unit_price: Decimal | None = None  # None: no price could be found


class RoutingFacts(BaseModel):
    """Everything `route` looks at. None means "not known": it never counts as good news."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    is_order: bool
    document_confidence: float = Field(ge=0.0, le=1.0)  # from field confidences, by the caller
    order_total: Decimal | None  # computed from the priced lines
    currency: str | None
    customer_certain: bool  # from resolution, not from the model
    items_certain: bool  # every line's item and unit resolved with certainty
    ship_to_known: bool
    price_checks: list[LinePriceCheck] = Field(default_factory=list)
    atp_full_by_date: bool | None  # every line available in full by the requested date
    carrier_available: bool | None
    credit: CreditStatus | None
    duplicate_po: bool = False
    discontinued: bool = False
    uom_mismatch: bool = False
    stated_total: Decimal | None = None  # as the document states it
    lines_total: Decimal | None = None  # computed, comparable with stated_total
    is_change: bool = False  # amends or cancels an earlier order
    injection_suspected: bool = False
    parse_problems: list[str] = Field(default_factory=list)
    extractor_failure: bool = False

"""What a reviewer sends back to the graph, validated before it resumes anything."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.extraction.schema import Address


class LineEdit(BaseModel):
    """A change to one line (by its 1-based line number), or a new line when line_no is None."""

    model_config = ConfigDict(extra="forbid")
    line_no: int | None = None
    remove: bool = False
    sku: str | None = None
    quantity: Decimal | None = Field(default=None, gt=0)
    uom: str | None = None
    unit_price: Decimal | None = Field(default=None, ge=0)  # per ordered uom
    price_override_reason: str | None = None  # required to approve a price the core did not give

    @model_validator(mode="after")
    def _new_line_is_complete(self) -> LineEdit:
        if self.line_no is None and (self.sku is None or self.quantity is None):
            raise ValueError("a new line needs a sku and a quantity")
        return self


class DraftEdits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: str | None = None
    customer_po_number: str | None = None
    requested_delivery_date: date | None = None
    ship_to_id: str | None = None
    ship_to: Address | None = None
    lines: list[LineEdit] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self == DraftEdits()


class ReviewDecision(BaseModel):
    """The resume value of the review interrupt."""

    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "reject"]
    actor: str
    task_version: int
    edits: DraftEdits = Field(default_factory=DraftEdits)
    reason: str | None = None  # required for a rejection

    @model_validator(mode="after")
    def _reject_needs_reason(self) -> ReviewDecision:
        if self.action == "reject" and not (self.reason and self.reason.strip()):
            raise ValueError("a rejection needs a reason")
        return self

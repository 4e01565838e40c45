"""The extracted order: values as the document states them, each with a confidence and a source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class SourceRef(BaseModel):
    """Where a value was read: a document, and a page box or a text span in its text."""

    document_id: str
    page: int | None = None
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    start: int | None = None  # character offsets into ParsedDocument.text
    end: int | None = None


class Extracted(BaseModel, Generic[T]):
    """One field: its value (None when the document does not state it), confidence and source."""

    value: T | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    source: SourceRef | None = None


class Address(BaseModel):
    name: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166 alpha-2


class TokenUsage(BaseModel):
    """Model tokens spent on one extraction (all calls, repairs included)."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0


class ExtractedLine(BaseModel):
    customer_item_code: Extracted[str] = Field(default_factory=Extracted[str])
    description: Extracted[str] = Field(default_factory=Extracted[str])
    quantity: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    uom: Extracted[str] = Field(default_factory=Extracted[str])
    unit_price: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    requested_date: Extracted[date] = Field(default_factory=Extracted[date])


class ExtractedOrder(BaseModel):
    """As-written fields of ../shared/specs/eval-dataset.md, each with confidence and source."""

    model_config = ConfigDict(extra="forbid")

    is_order: Extracted[bool] = Field(default_factory=Extracted[bool])
    is_change: Extracted[bool] = Field(default_factory=Extracted[bool])  # amends/cancels an order
    customer_name: Extracted[str] = Field(default_factory=Extracted[str])
    customer_po_number: Extracted[str] = Field(default_factory=Extracted[str])
    order_date: Extracted[date] = Field(default_factory=Extracted[date])
    requested_delivery_date: Extracted[date] = Field(default_factory=Extracted[date])
    currency: Extracted[str] = Field(default_factory=Extracted[str])
    ship_to: Extracted[Address] = Field(default_factory=Extracted[Address])
    lines: list[ExtractedLine] = Field(default_factory=list)
    total: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    # Stated charges outside the lines, so the stated total can be checked against the lines.
    tax: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    freight: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    other_charges: Extracted[Decimal] = Field(default_factory=Extracted[Decimal])
    extractor: str = "rules"  # "rules", "llm", or "llm+rules"
    warnings: list[str] = Field(default_factory=list)  # e.g. "non_ascii_digits", "injection: ..."
    usage: TokenUsage | None = None  # model tokens, when a model read the message

    SCORED_FIELDS: ClassVar[tuple[str, ...]] = (
        "customer_name",
        "customer_po_number",
        "order_date",
        "requested_delivery_date",
        "currency",
        "ship_to",
        "total",
    )

    def as_gold_shape(self) -> dict[str, object]:
        """The `extraction` object of expected.json: plain values, no confidences."""
        ship = self.ship_to.value
        return {
            "customer_name": self.customer_name.value,
            "customer_po_number": self.customer_po_number.value,
            "order_date": _iso(self.order_date.value),
            "requested_delivery_date": _iso(self.requested_delivery_date.value),
            "currency": self.currency.value,
            "ship_to": ship.model_dump() if ship is not None else None,
            "lines": [
                {
                    "customer_item_code": ln.customer_item_code.value,
                    "description": ln.description.value,
                    "quantity": _num(ln.quantity.value),
                    "uom": ln.uom.value,
                    "unit_price": _num(ln.unit_price.value),
                }
                for ln in self.lines
            ],
            "total": _num(self.total.value),
        }

    def confidences(self) -> dict[str, float]:
        """Per scored field confidence, plus `lines` (the mean line confidence)."""
        out = {name: getattr(self, name).confidence for name in self.SCORED_FIELDS}
        if self.lines:
            per_line = [
                min(
                    ln.quantity.confidence,
                    max(ln.customer_item_code.confidence, ln.description.confidence),
                )
                for ln in self.lines
            ]
            out["lines"] = sum(per_line) / len(per_line)
        else:
            out["lines"] = 0.0
        return out


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)

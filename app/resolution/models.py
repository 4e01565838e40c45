"""What resolution makes of an extracted order: master-data ids with confidence and evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from app.extraction.schema import Address

T = TypeVar("T")

# A resolution at or above this confidence is certain enough to act on without a person.
CERTAIN = 0.90

Method = Literal[
    "address",  # customer: the sender's exact address
    "domain",  # customer: the sender's domain
    "name",  # customer: the document's customer name
    "combined",  # customer: sender and name agree
    "conflict",  # customer: sender and name point at different customers
    "cross_reference",  # item: the customer's own item code
    "exact_sku",  # item: our SKU as written
    "fuzzy",  # item: similarity on code and description
    "match",  # ship-to: a known address of the customer
    "default",  # ship-to: none stated, the customer's default
    "new",  # ship-to: stated, but matches no known address
    "base",  # uom: the product's base unit
    "conversion",  # uom: a UomConversion of the product
    "missing",  # uom: none written, base unit assumed
    "none",  # nothing resolved
]

LineFlag = Literal[
    "unknown_item",  # no certain item: nothing found, or only uncertain candidates
    "ambiguous_item",  # two or more candidates too close to call
    "confusable_chars",  # the item code holds look-alike or invisible characters
    "uom_mismatch",  # the unit is unknown for the item, or its pack size disagrees
    "discontinued_item",
    "missing_quantity",
    "invalid_quantity",  # zero or negative
]

OrderFlag = Literal["unknown_customer", "customer_conflict", "new_ship_to", "no_ship_to"]


class Candidate(BaseModel):
    """One possible master-data record with its score (0-100) for the reviewer."""

    id: str
    score: float
    label: str = ""


class Resolution(BaseModel, Generic[T]):
    """A resolved value, how sure we are, how it was found and what speaks for it."""

    value: T | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    method: Method = "none"
    evidence: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    reason: str | None = None  # why value is None or uncertain, e.g. "unknown_customer"

    @property
    def certain(self) -> bool:
        """Whether the value may be acted on without a person."""
        return self.value is not None and self.confidence >= CERTAIN


class ShipToResolution(Resolution[str]):
    """A ship-to id, or the stated address kept as a new ship-to."""

    is_new: bool = False
    address: Address | None = None  # as stated on the document


class UomResolution(Resolution[str]):
    """The as-written unit mapped to a unit of the product, with base units per unit."""

    as_written: str | None = None
    factor: Decimal | None = None


class LineResolution(BaseModel):
    """One order line: the item, its unit and quantities in base units."""

    index: int  # position in ExtractedOrder.lines
    item: Resolution[str]  # value: SKU
    uom: UomResolution
    quantity: Decimal | None = None  # as written
    base_quantity: Decimal | None = None
    unit_price: Decimal | None = None  # as written, per written unit
    base_unit_price: Decimal | None = None  # per base unit
    flags: list[LineFlag] = Field(default_factory=list)

    @property
    def certain(self) -> bool:
        """Item and unit both certain, and nothing flagged."""
        return self.item.certain and self.uom.certain and not self.flags


class ResolvedOrder(BaseModel):
    """An ExtractedOrder resolved against master data; serialisable to JSON."""

    customer: Resolution[str]
    ship_to: ShipToResolution
    lines: list[LineResolution] = Field(default_factory=list)
    flags: list[OrderFlag] = Field(default_factory=list)

    @property
    def all_items_certain(self) -> bool:
        """Every line resolved with certainty (False when there are no lines)."""
        return bool(self.lines) and all(line.certain for line in self.lines)

    def line_flags(self) -> list[LineFlag]:
        """Every flag raised on any line, once each, in first-seen order."""
        return list(dict.fromkeys(f for line in self.lines for f in line.flags))

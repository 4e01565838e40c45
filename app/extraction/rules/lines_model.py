"""A line item while it is being read, before it becomes an ExtractedLine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.extraction.rules.layout import Token


@dataclass
class DraftLine:
    """The pieces of one ordered item as they are found."""

    code: str | None = None
    code_tokens: list[Token] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    description_tokens: list[Token] = field(default_factory=list)
    quantity: Decimal | None = None
    quantity_tokens: list[Token] = field(default_factory=list)
    uom: str | None = None
    uom_tokens: list[Token] = field(default_factory=list)
    unit_price: Decimal | None = None
    price_tokens: list[Token] = field(default_factory=list)
    amount: Decimal | None = None
    requested_date: date | None = None
    date_tokens: list[Token] = field(default_factory=list)
    notes_started: bool = False
    base_confidence: float = 0.7
    warnings: list[str] = field(default_factory=list)

    @property
    def description_text(self) -> str | None:
        text = " ".join(part for part in self.description if part).strip()
        return text or None

    def arithmetic_ok(self) -> bool:
        """Quantity times unit price equals the printed extended amount (to the cent)."""
        if self.quantity is None or self.unit_price is None or self.amount is None:
            return False
        return abs(self.quantity * self.unit_price - self.amount) <= Decimal("0.011")

"""What the deterministic core said about a draft: every tool call and its JSON result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field


class ToolOutcome(BaseModel):
    """One tool call and its JSON result, as the tool node returned it."""

    name: str
    args: dict[str, Any]
    result: dict[str, Any]
    ok: bool = True


class Enrichment(BaseModel):
    outcomes: list[ToolOutcome] = Field(default_factory=list)

    def find(self, name: str, **match: Any) -> ToolOutcome | None:
        """The first outcome of tool `name` whose arguments include `match`."""
        for o in self.outcomes:
            if o.name == name and all(o.args.get(k) == v for k, v in match.items()):
                return o
        return None

    def all(self, name: str) -> list[ToolOutcome]:
        return [o for o in self.outcomes if o.name == name]

    def quote_for(self, sku: str, quantity: Decimal) -> dict[str, Any] | None:
        for o in self.all("quote_price"):
            if o.ok and o.args.get("sku") == sku and Decimal(str(o.args["quantity"])) == quantity:
                return o.result
        return None

    def order_total(self) -> Decimal | None:
        """Sum of the priced lines, or None when any line could not be priced."""
        quotes = self.all("quote_price")
        if not quotes:
            return None
        total = Decimal("0")
        for q in quotes:
            ext = q.result.get("extended_price") if q.ok else None
            if not ext:
                return None
            total += Decimal(str(ext["amount"]))
        return total

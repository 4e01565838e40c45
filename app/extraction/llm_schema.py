"""What the model answers: a flat, strict shape (value, confidence, evidence) per field.

It is deliberately not ExtractedOrder: no sources, no generics, nothing the model cannot know.
Validation is strict (no coercion from strings, no extra keys) so a sloppy answer is repaired
once or rejected, never silently reinterpreted.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

RESPONSE_SCHEMA_NAME = "extracted_purchase_order"

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
Quantity = Annotated[float, Field(gt=0)]
Money = Annotated[float, Field(ge=0)]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FlagAnswer(_Answer):
    value: bool
    confidence: Confidence
    evidence: str | None


class TextAnswer(_Answer):
    value: str | None
    confidence: Confidence
    evidence: str | None


class DateAnswer(_Answer):
    value: date | None  # ISO YYYY-MM-DD; strict JSON validation refuses anything else
    confidence: Confidence
    evidence: str | None


class AmountAnswer(_Answer):
    value: Money | None
    confidence: Confidence
    evidence: str | None


class AddressAnswer(_Answer):
    name: str | None
    street: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None
    confidence: Confidence
    evidence: str | None


class LineAnswer(_Answer):
    customer_item_code: str | None
    description: str | None
    quantity: Quantity | None
    uom: str | None
    unit_price: Money | None
    requested_date: date | None
    confidence: Confidence
    evidence: str | None


class OrderAnswer(_Answer):
    """The model's whole answer for one message."""

    is_order: FlagAnswer
    is_change: FlagAnswer
    customer_name: TextAnswer
    customer_po_number: TextAnswer
    order_date: DateAnswer
    requested_delivery_date: DateAnswer
    currency: TextAnswer
    ship_to: AddressAnswer
    lines: list[LineAnswer]
    total: AmountAnswer
    suspicious_instructions: list[str]


def response_format() -> dict[str, Any]:
    """The json_schema response format for OrderAnswer, strict-mode compatible and compact."""
    schema = _compact(OrderAnswer.model_json_schema())
    return {"name": RESPONSE_SCHEMA_NAME, "schema": schema, "strict": True}


def _compact(node: Any) -> Any:
    """Drop titles and descriptions; fold `anyOf [X, null]` into `type: [X, "null"]`."""
    if isinstance(node, list):
        return [_compact(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _compact(v)
        for k, v in node.items()
        if not (k in ("title", "description") and isinstance(v, str))
    }
    options = out.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(o for o in options if o != {"type": "null"})
        if isinstance(other, dict) and isinstance(other.get("type"), str):
            del out["anyOf"]
            out.update({**other, "type": [other["type"], "null"]})
    return out

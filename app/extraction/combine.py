"""Combining two extractions of one message (LLM first, rules second) field by field.

Two independent readers that agree make a value more likely right: confidence becomes
1 - (1-a)(1-b). When they disagree the primary's value is kept (or the one whose value was
found in the document, when only one was) at half the lower confidence, so review sees it.
A secondary that states nothing for a field (no value, no confidence) abstains: the primary's
reading stands as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from rapidfuzz import fuzz

from app.extraction.schema import Address, Extracted, ExtractedLine, ExtractedOrder

T = TypeVar("T")

COMBINED_EXTRACTOR = "llm+rules"
MAX_CONFIDENCE = 0.99
DISAGREEMENT_FACTOR = 0.5
UNPAIRED_LINE_FACTOR = 0.5  # a line only the primary reader saw
DESCRIPTION_MATCH = 85.0  # token-set similarity (0-100) that pairs two lines by description
_SCALAR_FIELDS = (
    "is_order",
    "is_change",
    "customer_name",
    "customer_po_number",
    "order_date",
    "requested_delivery_date",
    "currency",
    "total",
)
_LINE_FIELDS = (
    "customer_item_code",
    "description",
    "quantity",
    "uom",
    "unit_price",
    "requested_date",
)


def combine(primary: ExtractedOrder, secondary: ExtractedOrder) -> ExtractedOrder:
    """One order from two readings of the same message; `primary` wins ties."""
    update: dict[str, Any] = {
        name: combine_field(getattr(primary, name), getattr(secondary, name))
        for name in _SCALAR_FIELDS
    }
    update["ship_to"] = combine_field(primary.ship_to, secondary.ship_to, same=_same_address)
    update["lines"], line_warnings = _combine_lines(primary.lines, secondary.lines)
    update["warnings"] = list(
        dict.fromkeys([*primary.warnings, *secondary.warnings, *line_warnings])
    )
    update["extractor"] = COMBINED_EXTRACTOR
    return primary.model_copy(update=update)


def combine_field(
    a: Extracted[T], b: Extracted[T], same: Callable[[T, T], bool] | None = None
) -> Extracted[T]:
    """Agreement raises confidence; disagreement keeps a's value (or the sourced one), halved."""
    if b.value is None and b.confidence == 0.0:
        return a  # b abstains
    if _agree(a.value, b.value, same or _same):
        confidence = min(1 - (1 - a.confidence) * (1 - b.confidence), MAX_CONFIDENCE)
        return a.model_copy(
            update={"confidence": max(confidence, a.confidence), "source": a.source or b.source}
        )
    chosen = b if a.source is None and b.source is not None else a
    return chosen.model_copy(
        update={"confidence": min(a.confidence, b.confidence) * DISAGREEMENT_FACTOR}
    )


def _agree(x: T | None, y: T | None, same: Callable[[T, T], bool]) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return same(x, y)


def _same(x: object, y: object) -> bool:
    if isinstance(x, str) and isinstance(y, str):
        return _norm(x) == _norm(y)
    return x == y


def _same_address(x: Address, y: Address) -> bool:
    return all(
        _same(getattr(x, part) or "", getattr(y, part) or "")
        for part in ("street", "city", "postal_code")
    )


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _combine_lines(
    primary: list[ExtractedLine], secondary: list[ExtractedLine]
) -> tuple[list[ExtractedLine], list[str]]:
    if not secondary:
        return primary, []  # the secondary found no lines at all: it abstains
    unused = list(range(len(secondary)))
    lines: list[ExtractedLine] = []
    for line in primary:
        match = _pair(line, secondary, unused)
        if match is None:
            lines.append(_scaled(line, UNPAIRED_LINE_FACTOR))
            continue
        unused.remove(match)
        other = secondary[match]
        lines.append(
            line.model_copy(
                update={
                    name: combine_field(getattr(line, name), getattr(other, name))
                    for name in _LINE_FIELDS
                }
            )
        )
    unpaired = len(primary) - (len(secondary) - len(unused))
    warnings = ["lines_disagree"] if unused or unpaired else []
    return lines, warnings


def _pair(line: ExtractedLine, candidates: list[ExtractedLine], unused: list[int]) -> int | None:
    code = line.customer_item_code.value
    if code:
        for i in unused:
            if _same(code, candidates[i].customer_item_code.value or ""):
                return i
    description = line.description.value
    if not description:
        return None
    scored = [
        (fuzz.token_set_ratio(_norm(description), _norm(candidates[i].description.value or "")), i)
        for i in unused
    ]
    best = max(scored, default=None)
    return best[1] if best is not None and best[0] >= DESCRIPTION_MATCH else None


def _scaled(line: ExtractedLine, factor: float) -> ExtractedLine:
    return line.model_copy(
        update={
            name: getattr(line, name).model_copy(
                update={"confidence": getattr(line, name).confidence * factor}
            )
            for name in _LINE_FIELDS
        }
    )

"""Find the header row of a grid of cells."""

from __future__ import annotations

import re

HEADER_WORDS = frozenset(
    {
        "item",
        "items",
        "part",
        "part#",
        "sku",
        "description",
        "desc",
        "qty",
        "quantity",
        "price",
        "uom",
        "um",
        "unit",
        "units",
        "amount",
        "total",
        "ext",
        "extended",
        "line",
        "ln",
        "no",
        "no.",
        "number",
        "product",
        "code",
        "material",
        "article",
        "date",
        "due",
        "delivery",
        "cost",
        "each",
        "rate",
        "value",
        "ordered",
        "catalog",
        "model",
        "pos",
        "menge",
        "preis",
        "artikel",
        "bezeichnung",
        "einheit",
    }
)
_NUMBER = re.compile(r"^[-+(]?[$€£]?\s*[\d.,]+\s*%?\)?$")
_TOKEN = re.compile(r"[a-zA-Z#.]+")
SCAN_ROWS = 30


def is_number(cell: str) -> bool:
    """True when the cell reads as a number, amount or percentage."""
    return bool(_NUMBER.match(cell.strip())) and any(c.isdigit() for c in cell)


def _header_score(row: list[str]) -> float:
    """Share of filled cells that look like header labels; 0 when any is numeric."""
    cells = [c.strip() for c in row if c and c.strip()]
    if len(cells) < 2 or any(is_number(c) or c.endswith(":") for c in cells):
        return 0.0  # numbers are data; "Label:" cells are a form, not a header
    known = sum(1 for c in cells if any(t.lower() in HEADER_WORDS for t in _TOKEN.findall(c)))
    return known / len(cells)


def detect_header_row(rows: list[list[str]]) -> int | None:
    """Index of the first header-like row, or of the row before the first numeric block."""
    for index, row in enumerate(rows[:SCAN_ROWS]):
        if _header_score(row) >= 0.5:
            return index
    for index, row in enumerate(rows[1:SCAN_ROWS], start=1):
        if _numeric_share(row) >= 0.3 and _numeric_share(rows[index - 1]) == 0.0:
            filled = [c for c in rows[index - 1] if c.strip()]
            if len(filled) >= 2:
                return index - 1
    return None


def _numeric_share(row: list[str]) -> float:
    """Share of filled cells that are numbers."""
    cells = [c for c in row if c.strip()]
    if not cells:
        return 0.0
    return sum(1 for c in cells if is_number(c)) / len(cells)

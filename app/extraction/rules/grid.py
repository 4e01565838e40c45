"""Line items of cell grids: HTML tables, spreadsheets, CSV, and pipe/tab tables in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.documents.model import Table
from app.extraction.rules.header import ISO_CURRENCIES
from app.extraction.rules.layout import Layout, Token
from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.numbers import has_non_ascii_digits, parse_number
from app.extraction.rules.table_layout import STOP_ROW
from app.extraction.rules.vocabulary import Role, role_of, second_quantity_is_unit

SCAN_ROWS = 15


@dataclass
class GridRow:
    """One row of cells, with the tokens they came from when known."""

    cells: list[str]
    tokens: list[Token]


def header_roles(row: list[str]) -> list[Role | None]:
    """The role of each header cell; 'item' becomes 'line' when a code column exists."""
    roles: list[Role | None] = [role_of(cell) if cell.strip() else None for cell in row]
    roles = second_quantity_is_unit(row, roles)
    seen: set[Role] = set()
    for i, role in enumerate(roles):
        if role is not None and role in seen and role != "other":
            roles[i] = "other"
        elif role is not None:
            seen.add(role)
    if "code" in seen:
        roles = ["line" if r == "item" else r for r in roles]
    return roles


def _usable(roles: list[Role | None]) -> bool:
    found = {r for r in roles if r}
    return "quantity" in found and bool(found & {"code", "item", "description"})


def find_header(rows: list[list[str]], hint: int | None) -> tuple[int, list[Role | None]] | None:
    """The header row (the parser's hint first) and its roles."""
    order = ([hint] if hint is not None else []) + list(range(min(len(rows), SCAN_ROWS)))
    for idx in order:
        roles = header_roles(rows[idx])
        if _usable(roles):
            return idx, roles
    return None


def _cell(row: list[str], roles: list[Role | None], role: Role) -> str:
    for value, r in zip(row, roles, strict=False):
        if r == role and value.strip():
            return value.strip()
    return ""


def _number(text: str, draft: DraftLine, decimal_comma: bool | None) -> Decimal | None:
    if has_non_ascii_digits(text):
        draft.warnings.append("non_ascii_digits")
        return None
    return parse_number(text, decimal_comma=decimal_comma) if text else None


def read_row(
    row: list[str], roles: list[Role | None], decimal_comma: bool | None
) -> DraftLine | None:
    """One item from a row, or None for blank, total or note rows."""
    if STOP_ROW.search(" ".join(c for c in row[:3] if c)):
        return None
    draft = DraftLine(base_confidence=0.8)
    qty = _number(_cell(row, roles, "quantity"), draft, decimal_comma)
    if qty is None and "non_ascii_digits" not in draft.warnings:
        return None
    draft.quantity = qty
    draft.code = _cell(row, roles, "code") or _cell(row, roles, "item") or None
    desc = _cell(row, roles, "description")
    if desc:
        draft.description.append(desc)
    if draft.code is None and not desc:
        return None
    unit = _cell(row, roles, "uom")
    draft.uom = unit if unit and unit.upper() not in ISO_CURRENCIES else None
    draft.unit_price = _number(_cell(row, roles, "price"), draft, decimal_comma)
    draft.amount = _number(_cell(row, roles, "amount"), draft, decimal_comma)
    return draft


def read_table(table: Table, decimal_comma: bool | None) -> list[DraftLine]:
    """Items of one grid table."""
    header = find_header(table.rows, table.header_row)
    if header is None:
        return []
    idx, roles = header
    drafts = []
    for row in table.rows[idx + 1 :]:
        draft = read_row(row, roles, decimal_comma)
        if draft is not None:
            drafts.append(draft)
    return drafts


_SPLIT = re.compile(r"\s*\|\s*|\t")


def text_grids_in(text: str, layout: Layout) -> list[list[str]]:
    """Runs of consecutive text lines split by pipes or tabs, as raw line strings."""
    runs: list[list[str]] = []
    last = -2
    for line in layout.lines:
        raw = (
            text[line.tokens[0].start : line.tokens[-1].end]
            if layout.positioned is False
            else line.text
        )
        if raw.count("|") >= 2 or "\t" in raw:
            if runs and last == line.index - 1:
                runs[-1].append(raw)
            else:
                runs.append([raw])
            last = line.index
    return [r for r in runs if len(r) >= 2]


def split_cells(text: str) -> list[str]:
    """Cells of a pipe or tab separated line."""
    cells = _SPLIT.split(text.strip().strip("|"))
    return [c.strip() for c in cells]

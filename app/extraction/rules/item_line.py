"""Item lines with no table header: cells split by pipes, tabs or wide gaps, or a line that
starts with an item code ('ABR-1015  Chop Saw Wheel  20 EA  @ 6.00', 'SMC18798 | Vests | 20',
'Qty 4   ELE-1014  Extension cord   $64.90')."""

from __future__ import annotations

import re
from decimal import Decimal

from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.numbers import has_non_ascii_digits, parse_number
from app.extraction.rules.vocabulary import UNIT_WORDS

_BULLET = re.compile(
    r"(?i)^\s*(?:[-*•·▪–]\s*|\d{1,3}[.)]\s+|(?:line|pos\.?|item)\s*\d{1,3}\s*[:.)-]\s*)"
)
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")
CODE = re.compile(
    r"^(?=[\w\-./]*\d)(?=[\w\-./]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9\-./]*[A-Za-z0-9]$|^\d{4,}-\d+$"
)
_QTY_LABEL = re.compile(r"(?i)^(?:qty|quantity|menge|qté|cantidad)\.?\s*[:=]?\s*(?P<n>\d[\d.,]*)$")
_QTY_CELL = re.compile(
    rf"(?i)^(?P<n>\d[\d.,]*)\s*(?:x\s*)?(?P<unit>{UNIT_WORDS}(?:\s+of\s+\d+)?|[A-Za-z]{{1,4}}\.?)?$"
)
_MONEY = re.compile(
    r"(?i)^(?P<at>@|at\s)?\s*(?P<cur>US\$|[$€£])?\s*(?P<n>\d[\d.,]*)\s*(?P<cur2>€|EUR|USD|GBP)?"
    r"\s*(?P<each>/\s*\w+|each|ea\b|per\s+\w+)?$"
)
_UNIT_ONLY = re.compile(rf"(?i)^{UNIT_WORDS}$")
_PRICE_AT = re.compile(r"(?i)(?:@|\bat\s)\s*(?:US\$|[$€£])?\s*\d[\d.,]*\s*(?:each|ea|/\s*\w+)?$")


def cells_of(text: str) -> list[str]:
    """The cells of a headerless item line: split at pipes, tabs and gaps of 2+ spaces."""
    body = _BULLET.sub("", text.strip()).strip().strip("|").strip()
    body = re.sub(r"\s+(?=@)", "  ", body)  # '... 20 EA @ 6.00': the price is a cell of its own
    return [c.strip() for c in _CELL_SPLIT.split(body) if c.strip()]


def _is_money(cell: str) -> bool:
    m = _MONEY.match(cell)
    if m is None:
        return False
    marked = m.group("at") or m.group("cur") or m.group("cur2") or m.group("each")
    return bool(marked) or bool(re.search(r"[.,]\d{2,4}$", m.group("n")))


def _money(cell: str, decimal_comma: bool | None) -> Decimal | None:
    m = _MONEY.match(cell)
    return parse_number(m.group("n"), decimal_comma=decimal_comma) if m else None


def _take_quantity(cells: list[str], draft: DraftLine, decimal_comma: bool | None) -> list[str]:
    """The first quantity cell ('Qty 4', '20', '12 BX', '10 box of 12'); the others remain.
    The first cell is tried last: a bare number there is more often an item number."""
    for k in [*range(1, len(cells)), 0]:
        cell = cells[k]
        labelled = _QTY_LABEL.match(cell)
        plain = _QTY_CELL.match(cell) if not _is_money(cell) or "." not in cell else None
        m = labelled or plain
        if m is None or has_non_ascii_digits(cell):
            continue
        value = parse_number(m.group("n"), decimal_comma=decimal_comma)
        if value is None or value <= 0:
            continue
        draft.quantity = value
        unit = m.groupdict().get("unit")
        if unit is None and k + 1 < len(cells) and _UNIT_ONLY.match(cells[k + 1]):
            unit = cells.pop(k + 1)
        draft.uom = unit.strip() if unit else None
        return cells[:k] + cells[k + 1 :]
    return cells


def _take_prices(cells: list[str], draft: DraftLine, decimal_comma: bool | None) -> list[str]:
    """Money cells after the description: the unit price, then the extended amount."""
    money = [c for c in cells if _is_money(c)]
    values = [v for v in (_money(c, decimal_comma) for c in money) if v is not None]
    if values:
        draft.unit_price = values[0]
    if len(values) >= 2:
        draft.amount = values[-1]
        if draft.quantity is not None and draft.quantity * values[-1] == values[0]:
            draft.unit_price, draft.amount = values[-1], values[0]
    return [c for c in cells if c not in money]


# 'ABR-1015 Chop Saw Wheel 14 in 20 EA @ 6.00' written with single spaces.
_CODE_LED = re.compile(
    rf"(?i)^(?P<code>\S+)\s+(?P<desc>.+?)\s+(?P<qty>\d[\d.,]*)\s*(?P<unit>{UNIT_WORDS})\.?"
    r"(?P<price>\s*(?:@|\bat\s)\s*(?:US\$|[$€£])?\s*\d[\d.,]*\s*(?:each|ea|/\s*\w+)?)?$"
)


def _code_led(text: str) -> list[str] | None:
    """Cells of a single-spaced line that starts with a code and ends with 'N unit [@ price]'."""
    m = _CODE_LED.match(_BULLET.sub("", text.strip()))
    if m is None or not CODE.match(m.group("code")):
        return None
    cells = [m.group("code"), m.group("desc"), f"{m.group('qty')} {m.group('unit')}"]
    return cells + ([m.group("price").strip()] if m.group("price") else [])


def read_item_line(text: str, decimal_comma: bool | None) -> DraftLine | None:
    """One item from a headerless line that starts with a code or splits into 3+ cells."""
    cells = cells_of(text)
    if len(cells) < 3:
        cells = _code_led(text) or cells
    if len(cells) < 2 or (len(cells) < 3 and not _PRICE_AT.search(text)):
        return None
    if len(cells) > 3 and re.fullmatch(r"\d{1,3}", cells[0]) and CODE.match(cells[1]):
        cells = cells[1:]  # a line number before the item code
    draft = DraftLine(base_confidence=0.6)
    rest = _take_quantity(cells, draft, decimal_comma)
    if draft.quantity is None:
        return None
    if rest and CODE.match(rest[0]):
        draft.code = rest.pop(0)
    rest = _take_prices(rest, draft, decimal_comma)
    if draft.code is None and not cells[0].startswith(("Qty", "qty", "QTY")):
        return None  # without a code, a line of cells is too easily an address or a total
    description = " ".join(c for c in rest if not CODE.match(c) or " " in c).strip(" ,;-")
    if description:
        draft.description.append(description)
    if draft.code is None and not description:
        return None
    return draft

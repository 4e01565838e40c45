"""Line items of a positioned table: header columns, rows assigned by x, continuations folded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.extraction.rules.columns import TableHeader, find_headers
from app.extraction.rules.dates import DayOrder, find_dates
from app.extraction.rules.header import ISO_CURRENCIES
from app.extraction.rules.layout import Layout, Line, Token
from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.numbers import has_non_ascii_digits, looks_numeric, parse_number
from app.extraction.rules.row_assign import NUMERIC_ROLES, assign
from app.extraction.rules.vocabulary import UNIT_WORDS, Role, role_of

STOP_ROW = re.compile(
    r"(?i)^\W*(sub-?\s?total|total|grand total|order total|tax|vat|freight|shipping|handling|"
    r"carry over|carried forward|übertrag|zwischensumme|summe|gesamt\w*|mwst|montant|continued|"
    r"page \d|approved by)\b|\b(sub-?total|grand total|carry over|total amount|order total)\b"
)
NOTE_ROW = re.compile(r"^\s*(\*|(?P<label>[A-Za-z][A-Za-z .#/-]{0,24}?)\s*:)")


@dataclass
class ReadContext:
    """Per-document reading settings."""

    decimal_comma: bool | None = None
    day_order: DayOrder = "MDY"
    default_year: int | None = None
    warnings: list[str] = field(default_factory=list)


def _fits(role: Role, tok: Token) -> bool:
    """True when the token can be a value of the column's role."""
    if role in NUMERIC_ROLES:
        return looks_numeric(tok.text) or has_non_ascii_digits(tok.text)
    if role == "date":
        return bool(re.search(r"\d", tok.text))
    return role != "other"


def pull_overflow(tokens: list[Token], cells: dict[Role, list[Token]], char_width: float) -> None:
    """Description words that run on into the next columns (word gap, wrong type) move back."""
    if not cells.get("description"):
        return
    owner = {id(t): role for role, toks in cells.items() for t in toks}
    last = cells["description"][-1]
    for tok in tokens:
        if tok.x0 <= last.x0:
            continue
        role = owner.get(id(tok))
        if tok.x0 - last.x1 > 1.2 * char_width or role is None:
            break
        if role != "description":
            if _fits(role, tok):
                break
            cells[role].remove(tok)
            cells["description"].append(tok)
        last = tok


_UNIT_WORD = re.compile(rf"^{UNIT_WORDS}$", re.IGNORECASE)


def _unit_beside_quantity(tokens: list[Token], cells: dict[Role, list[Token]], gap: float) -> None:
    """Without a unit column, a unit word right after the quantity ('10 EA') is the unit."""
    qty = cells.get("quantity", [])
    if "uom" in cells or not qty:
        return
    after = [t for t in tokens if t.x0 > qty[0].x1]
    unit = after[0].text if after else ""
    if (
        after
        and after[0].x0 - qty[0].x1 <= 3 * gap
        and _UNIT_WORD.match(unit)
        and unit.upper() not in ISO_CURRENCIES
    ):
        for toks in cells.values():
            if after[0] in toks:
                toks.remove(after[0])
        cells["uom"] = [after[0]]


def _fix_types(cells: dict[Role, list[Token]]) -> None:
    """Words that do not fit a numeric or date column move to the description; stray
    one/two-letter marks (unit codes, '%') are dropped."""
    spill: list[Token] = []
    for role in NUMERIC_ROLES:
        keep = []
        for tok in cells.get(role, []):
            if looks_numeric(tok.text) or has_non_ascii_digits(tok.text):
                keep.append(tok)
            elif tok.text.upper() in ISO_CURRENCIES:
                continue  # 'USD 11.50': the currency of a price, not a unit
            elif role == "quantity" and tok.text.isalpha() and "uom" not in cells:
                cells["uom"] = [tok]
            elif len(tok.text) > 2 and not re.fullmatch(r"[%$€£]|[A-Z]{1,3}", tok.text):
                spill.append(tok)
        cells[role] = keep
    if spill and "description" in cells:
        cells["description"] = sorted(cells["description"] + spill, key=lambda t: t.x0)


def _number(
    tokens: list[Token], ctx: ReadContext, draft: DraftLine
) -> tuple[Decimal | None, list[Token]]:
    for tok in tokens:
        if has_non_ascii_digits(tok.text):
            draft.warnings.append("non_ascii_digits")
            return None, [tok]
        value = parse_number(tok.text, decimal_comma=ctx.decimal_comma)
        if value is not None:
            return value, [tok]
    return None, []


def _start_line(
    cells: dict[Role, list[Token]], ctx: ReadContext, roles: set[Role]
) -> DraftLine | None:
    """A new item when the row holds a quantity and, where the table has them, a code or price."""
    draft = DraftLine()
    priced = any(cells.get(r) for r in ("price", "amount"))
    coded = any(
        any(c.isdigit() for c in t.text) for t in cells.get("code", []) + cells.get("item", [])
    )
    if roles & {"code", "item", "price", "amount"} and not (priced or coded):
        return None
    qty, qty_toks = _number(cells.get("quantity", []), ctx, draft)
    if qty is None and "non_ascii_digits" not in draft.warnings:
        return None
    draft.quantity, draft.quantity_tokens = qty, qty_toks
    price, draft.price_tokens = _number(cells.get("price", []), ctx, draft)
    draft.unit_price = price
    amount, _ = _number(cells.get("amount", []), ctx, draft)
    draft.amount = amount
    code = cells.get("code", []) or cells.get("item", [])
    if code:
        draft.code, draft.code_tokens = code[0].text, code[:1]
    desc = cells.get("description", [])
    draft.description.append(" ".join(t.text for t in desc))
    draft.description_tokens = list(desc)
    uom = cells.get("uom", [])
    if uom:
        draft.uom, draft.uom_tokens = " ".join(t.text for t in uom), uom
    _read_date(cells.get("date", []), ctx, draft)
    return draft


def _read_date(tokens: list[Token], ctx: ReadContext, draft: DraftLine) -> None:
    if not tokens:
        return
    found = find_dates(
        " ".join(t.text for t in tokens), order=ctx.day_order, default_year=ctx.default_year
    )
    if found:
        draft.requested_date, draft.date_tokens = found[0].value, tokens


def _continue_line(
    draft: DraftLine,
    line: Line,
    cells: dict[Role, list[Token]],
    ctx: ReadContext,
    char_width: float,
) -> None:
    """Fold a row without quantity into the current item: description text or a note."""
    note = NOTE_ROW.match(line.text)
    if note:
        draft.notes_started = True
        label = note.group("label")
        value = line.text[note.end() :].strip().split()
        role = role_of(label) if label else None
        if role in ("code", "item") and value and draft.code is None:
            draft.code = value[0]
            draft.code_tokens = [t for t in line.tokens if t.text == value[0]][:1]
        elif role == "date" and draft.requested_date is None:
            _read_date(line.tokens, ctx, draft)
        return
    if draft.notes_started:
        return
    codes = [t for t in cells.get("code", []) if any(c.isdigit() for c in t.text)]
    if draft.code is None and codes:
        draft.code, draft.code_tokens = codes[0].text, codes[:1]
        cells["code"] = [t for t in cells["code"] if t is not codes[0]]
    text = cells.get("description", []) + cells.get("code", [])
    text.sort(key=lambda t: t.x0)
    anchor = draft.description_tokens[0].x0 if draft.description_tokens else None
    if text and anchor is not None and abs(line.tokens[0].x0 - anchor) > 3 * char_width:
        draft.notes_started = True  # text that does not start under the description is a note
        return
    if text:
        draft.description.append(" ".join(t.text for t in text))
        draft.description_tokens.extend(text)


def _region(layout: Layout, header: TableHeader, end: int) -> list[Line]:
    """Rows under the header up to the next header, a stop row or a large gap."""
    rows: list[Line] = []
    prev = layout.lines[header.last_line]
    for line in layout.lines[header.last_line + 1 : end]:
        max_gap = (8 if not rows else 5) * layout.line_height
        if line.page != prev.page or line.top - prev.bottom > max_gap:
            break
        if STOP_ROW.search(line.text):
            break
        rows.append(line)
        prev = line
    return rows


def read_table(
    layout: Layout, header: TableHeader, end: int, ctx: ReadContext
) -> tuple[list[DraftLine], set[int]]:
    """Items of one table region, and the lines that made them."""
    drafts: list[DraftLine] = []
    used: set[int] = set()
    prev_bottom = layout.lines[header.last_line].bottom
    for line in _region(layout, header, end):
        cells = assign(line.tokens, header.columns, layout.char_width)
        pull_overflow(line.tokens, cells, layout.char_width)
        _unit_beside_quantity(line.tokens, cells, layout.char_width)
        _fix_types(cells)
        draft = _start_line(cells, ctx, header.roles())
        if draft is not None:
            drafts.append(draft)
            used.add(line.index)
        elif drafts and line.top - prev_bottom < 1.5 * layout.line_height:
            before = len(drafts[-1].description)
            _continue_line(drafts[-1], line, cells, ctx, layout.char_width)
            if len(drafts[-1].description) > before:
                used.add(line.index)
        prev_bottom = line.bottom
    return drafts, used


def read_layout_tables(layout: Layout, ctx: ReadContext) -> tuple[list[DraftLine], set[int]]:
    """Items of every table in the layout, and the indices of lines they used."""
    headers = find_headers(layout)
    drafts: list[DraftLine] = []
    used: set[int] = set()
    for n, header in enumerate(headers):
        end = headers[n + 1].first_line if n + 1 < len(headers) else len(layout.lines)
        found, rows = read_table(layout, header, end, ctx)
        drafts.extend(found)
        used.update(range(header.first_line, header.last_line + 1))
        used.update(rows)
    return drafts, used

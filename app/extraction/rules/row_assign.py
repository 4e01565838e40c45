"""Assign the words of a table row to header columns: a monotone alignment scored by
position (label x-ranges) and by how well each word fits the column's type."""

from __future__ import annotations

import math
import re

from app.extraction.rules.columns import Column
from app.extraction.rules.layout import Token
from app.extraction.rules.numbers import has_non_ascii_digits, looks_numeric
from app.extraction.rules.vocabulary import UNIT_WORDS, Role

NUMERIC_ROLES: frozenset[Role] = frozenset({"quantity", "price", "amount", "discount", "tax"})
SINGLE_ROLES: frozenset[Role] = NUMERIC_ROLES | {"line", "code", "item", "uom"}
_TEXT_ROLES: frozenset[Role] = frozenset({"description", "code", "item", "line", "other"})
_LINE_NO = re.compile(r"^\d{1,4}\.?$")
_MARK = re.compile(r"^([%$€£¥]|[A-Za-z])$")  # a unit-code letter or symbol beside a number
_UNIT = re.compile(r"^[A-Za-zÀ-ÿ]{1,6}\.?$")
_DATE_LIKE = re.compile(
    r"\d{1,4}\s?[/-]\s?\d{1,2}|^\d{1,2}\.\d{1,2}\.\d{2,4}$|^[/-]\s?\d{2,4}$|^\d{2,4}$|"
    r"^(?:[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Mm]ay|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ep|[Oo]ct|[Nn]ov|[Dd]ec)"
)
_UNIT_WORD = re.compile(rf"^{UNIT_WORDS}\.?$", re.IGNORECASE)
MISFIT = 6.0
EXTRA_TOKEN = 3.0
POSITION_WEIGHT = 0.5


def type_cost(role: Role, tok: Token) -> float:
    """0 when the word is a natural value of the column, more the less it fits."""
    text = tok.text
    numeric = looks_numeric(text) or has_non_ascii_digits(text)
    if role in NUMERIC_ROLES:
        if numeric:
            return 0.0
        unit = role == "quantity" and _UNIT_WORD.match(text)  # '1.000 Stk' in a Menge column
        return 0.5 if _MARK.match(text) or unit else MISFIT
    if role == "line":
        return 0.0 if _LINE_NO.match(text) else MISFIT
    if role in ("code", "item"):
        return 0.0 if any(c.isdigit() for c in text) else 1.5
    if role == "uom":
        return 0.0 if _UNIT.match(text) else 4.0
    if role == "date":
        return 0.0 if _DATE_LIKE.search(text) else MISFIT
    if role == "description":
        return 1.0 if numeric or _DATE_LIKE.search(text) else 0.0
    return 1.0


def _spans(columns: list[Column], char_width: float) -> list[tuple[float, float]]:
    """Where each column's values may sit: text runs right of its label, numbers end at it."""
    spans: list[tuple[float, float]] = []
    for k, col in enumerate(columns):
        prev_x1 = columns[k - 1].x1 if k else -math.inf
        next_x0 = columns[k + 1].x0 if k + 1 < len(columns) else math.inf
        if col.role in _TEXT_ROLES:
            spans.append((col.x0 - char_width, next_x0))
        elif col.role in NUMERIC_ROLES:
            spans.append((prev_x1, col.x1 + char_width))
        else:
            spans.append((prev_x1, next_x0))
    return spans


def _position_cost(tok: Token, span: tuple[float, float], char_width: float) -> float:
    lo, hi = span
    gap = max(lo - tok.x1, tok.x0 - hi, 0.0)
    return POSITION_WEIGHT * gap / char_width


def _with_margin(columns: list[Column]) -> list[Column]:
    """Add a line-number column left of the first label when the header has none."""
    cols = sorted(columns, key=lambda c: c.x0)
    if cols and cols[0].role != "line":
        cols.insert(0, Column("line", -math.inf, cols[0].x0 - 1.0, ""))
    return cols


def assign(
    tokens: list[Token], columns: list[Column], char_width: float
) -> dict[Role, list[Token]]:
    """The best monotone assignment of the row's words (left to right) to the columns."""
    cols = _with_margin(columns)
    spans = _spans(cols, char_width)
    n, m = len(tokens), len(cols)
    fit = [[type_cost(col.role, t) for col in cols] for t in tokens]
    cost = [
        [_position_cost(t, spans[j], char_width) + fit[i][j] for j in range(m)]
        for i, t in enumerate(tokens)
    ]
    best = [[math.inf] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    best[0] = list(cost[0])
    for i in range(1, n):
        for j in range(m):
            # A second word in a one-value column pays extra when it fits the column too.
            extra = EXTRA_TOKEN if cols[j].role in SINGLE_ROLES and fit[i][j] == 0 else 0.0
            for k in range(j + 1):
                value = best[i - 1][k] + (extra if k == j else 0.0) + cost[i][j]
                if value < best[i][j]:
                    best[i][j], back[i][j] = value, k
    out: dict[Role, list[Token]] = {}
    j = min(range(m), key=lambda c: best[n - 1][c]) if n else 0
    for i in range(n - 1, -1, -1):
        out.setdefault(cols[j].role, []).insert(0, tokens[i])
        j = back[i][j]
    return out

"""Find the header of a line-item table in a layout and map its labels to x-ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from app.extraction.rules.layout import Layout, Line, Token
from app.extraction.rules.numbers import looks_numeric
from app.extraction.rules.vocabulary import (
    LABEL_ROLE,
    MAX_LABEL_WORDS,
    Role,
    role_of,
    second_quantity_is_unit,
)

LABEL_WORDS = frozenset(w for label in LABEL_ROLE for w in label.split())
MAX_HEADER_LINES = 4
_PUNCT_ONLY = re.compile(r"^[^\w%#]+$")


@dataclass
class Column:
    """One labelled column: its role and the x-range of its label."""

    role: Role
    x0: float
    x1: float
    label: str

    @property
    def words(self) -> int:
        return len(self.label.split())


@dataclass
class TableHeader:
    """A detected header: the layout lines it spans and its columns left to right."""

    first_line: int
    last_line: int
    columns: list[Column]

    def roles(self) -> set[Role]:
        return {c.role for c in self.columns}


@dataclass
class _Cell:
    text: str
    x0: float
    x1: float


def _is_label_line(line: Line) -> bool:
    """A header line holds words and no numbers or dates."""
    words = [t.text for t in line.tokens]
    if any(looks_numeric(w) and not w.startswith("#") for w in words):
        return False
    hits = sum(w.casefold().strip(".:") in LABEL_WORDS for w in words)
    return hits >= max(1, len(words) // 2)


def _overlap(a: Token | _Cell, b: Token | _Cell) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _stack(lines: list[Line], char_width: float) -> list[_Cell]:
    """Merge words of stacked header lines into cells on the widest line's words."""
    main = max(lines, key=lambda ln: len(ln.tokens))
    cells = [_Cell(t.text, t.x0, t.x1) for t in main.tokens]
    for line in lines:
        if line is main:
            continue
        above = line.top < main.top
        for tok in line.tokens:
            best = max(cells, key=lambda c: _overlap(tok, c))
            if _overlap(tok, best) > -char_width * 0.5:
                best.text = f"{tok.text} {best.text}" if above else f"{best.text} {tok.text}"
            else:
                cells.append(_Cell(tok.text, tok.x0, tok.x1))
    return sorted(cells, key=lambda c: c.x0)


def _adjacent(cells: list[_Cell], char_width: float) -> bool:
    """Cells one word space apart can form one label."""
    return all(b.x0 - a.x1 < 2 * char_width for a, b in pairwise(cells))


def _match_cells(cells: list[_Cell], char_width: float) -> list[Column]:
    """Greedy longest match of neighbouring cells against the label vocabulary."""
    columns: list[Column] = []
    j = 0
    while j < len(cells):
        for n in range(min(MAX_LABEL_WORDS, len(cells) - j), 0, -1):
            if n > 1 and not _adjacent(cells[j : j + n], char_width):
                continue
            text = " ".join(c.text for c in cells[j : j + n])
            role = role_of(text)
            if role is not None:
                columns.append(Column(role, cells[j].x0, cells[j + n - 1].x1, text))
                j += n
                break
        else:
            if not _PUNCT_ONLY.match(cells[j].text):
                columns.append(Column("other", cells[j].x0, cells[j].x1, cells[j].text))
            j += 1
    return columns


def _dedupe(columns: list[Column]) -> list[Column]:
    """One column per value role: the longer label wins, then the rightmost amount."""
    roles = second_quantity_is_unit([c.label for c in columns], [c.role for c in columns])
    for column, role in zip(columns, roles, strict=True):
        column.role = role or column.role
    for role in {c.role for c in columns if c.role != "other"}:
        same = [c for c in columns if c.role == role]
        if len(same) < 2:
            continue
        pick = max(same, key=lambda c: (c.words, c.x0 if role == "amount" else -c.x0))
        for c in same:
            if c is not pick:
                c.role = "other"
    if "code" in {c.role for c in columns}:
        for c in columns:
            if c.role == "item":
                c.role = "line"
    return columns


def header_score(columns: list[Column]) -> int:
    """Distinct value roles; 0 unless the header has a quantity and an item identity."""
    roles = {c.role for c in columns}
    if "quantity" not in roles or not roles & {"code", "item", "description"}:
        return 0
    distinct = len(roles & {"code", "item", "description", "quantity", "uom", "price", "amount"})
    return distinct if distinct >= 3 else 0


def _window_ok(lines: list[Line], layout: Layout) -> bool:
    if len({ln.page for ln in lines}) > 1:
        return False
    return all(b.top - a.bottom < 1.2 * layout.line_height for a, b in pairwise(lines))


def _best_at(layout: Layout, i: int) -> tuple[int, int, list[Column]]:
    """The best header window starting at line i: (score, size, columns)."""
    best: tuple[int, int, list[Column]] = (0, 0, [])
    for size in range(1, MAX_HEADER_LINES + 1):
        window = layout.lines[i : i + size]
        if len(window) < size or not all(_is_label_line(ln) for ln in window):
            break
        if not _window_ok(window, layout):
            break
        columns = _dedupe(_match_cells(_stack(window, layout.char_width), layout.char_width))
        score = header_score(columns)
        if score > best[0]:
            best = (score, size, columns)
    return best


def find_headers(layout: Layout) -> list[TableHeader]:
    """Every line-item table header in the layout, top to bottom."""
    headers: list[TableHeader] = []
    i = 0
    while i < len(layout.lines):
        score, size, columns = _best_at(layout, i)
        if score and i + 1 < len(layout.lines):
            nxt = _best_at(layout, i + 1)
            if nxt[0] > score:
                i += 1
                continue
        if score:
            headers.append(TableHeader(i, i + size - 1, columns))
            i += size
        else:
            i += 1
    return headers

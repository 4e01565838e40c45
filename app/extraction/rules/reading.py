"""One document read into line items and header candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.model import DocumentKind, ParsedDocument, Table
from app.extraction.rules import grid
from app.extraction.rules.layout import Layout, build_layout
from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.prose import read_kv_blocks, read_prose
from app.extraction.rules.table_layout import ReadContext, read_layout_tables

_GRID_FIRST = {
    DocumentKind.BODY_HTML,
    DocumentKind.HTML,
    DocumentKind.SPREADSHEET,
    DocumentKind.CSV,
}
_COMMA_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d{2}(?![\d.,])")
_DOT_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.,])")


@dataclass
class DocReading:
    """What one document yields: its layout, reading settings and line items."""

    doc: ParsedDocument
    layout: Layout
    ctx: ReadContext
    drafts: list[DraftLine] = field(default_factory=list)
    used_lines: set[int] = field(default_factory=set)
    method: str = ""

    @property
    def line_score(self) -> float:
        return sum(d.base_confidence + (0.2 if d.arithmetic_ok() else 0.0) for d in self.drafts)


def decimal_comma_of(text: str) -> bool | None:
    """True when amounts in the text use a decimal comma, False for a decimal point."""
    commas, dots = len(_COMMA_DECIMAL.findall(text)), len(_DOT_DECIMAL.findall(text))
    if commas == dots:
        return None
    return commas > dots


def _grid_tables(doc: ParsedDocument, layout: Layout) -> list[Table]:
    if doc.tables:
        return list(doc.tables)  # the text repeats them when the parser rendered them
    tables: list[Table] = []
    for run in grid.text_grids_in(doc.text, layout):
        tables.append(Table(rows=[grid.split_cells(r) for r in run]))
    return tables


def _read_grids(reading: DocReading) -> list[DraftLine]:
    drafts: list[DraftLine] = []
    for table in _grid_tables(reading.doc, reading.layout):
        drafts.extend(grid.read_table(table, reading.ctx.decimal_comma))
    return drafts


def _read_layout(reading: DocReading) -> list[DraftLine]:
    drafts, used = read_layout_tables(reading.layout, reading.ctx)
    reading.used_lines |= used
    return drafts


def _read_prose(reading: DocReading) -> list[DraftLine]:
    found = read_kv_blocks(reading.layout, reading.used_lines, reading.ctx.decimal_comma)
    found = found or read_prose(reading.layout, reading.used_lines, reading.ctx.decimal_comma)
    reading.used_lines |= {line.index for _, line in found}
    return [draft for draft, _ in found]


def read_document(doc: ParsedDocument, ctx: ReadContext) -> DocReading:
    """Line items by the first method that finds any: grids, positioned tables, then prose."""
    reading = DocReading(doc, build_layout(doc), ctx)
    methods = [("grid", _read_grids), ("layout", _read_layout)]
    if doc.kind not in _GRID_FIRST and not grid.text_grids_in(doc.text, reading.layout):
        methods.reverse()
    for name, method in [*methods, ("prose", _read_prose)]:
        drafts = method(reading)
        if drafts:
            reading.drafts, reading.method = drafts, name
            break
    return reading

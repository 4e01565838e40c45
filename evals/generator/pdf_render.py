"""PDF purchase orders in five visual layouts, drawn with the reportlab canvas.

Layouts: "boxed" (letterhead, ruled grid), "minimal" (no rules, whitespace columns),
"two_column" (bill-to left, ship-to boxed right), "multipage" (repeated header, carried and
brought-forward subtotals) and "landscape" (wide table with both item numbers).
Output is byte-stable: the canvas runs with `invariant=1`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from evals.generator import world
from evals.generator.formatting import Formatter
from evals.generator.model import Order, OrderLine
from evals.generator.text_render import totals_lines

LAYOUTS = ("boxed", "minimal", "two_column", "multipage", "landscape")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float
    align: str  # "l" or "r"


@dataclass(frozen=True)
class Look:
    font: str
    bold: str
    size: float
    ruled: bool


LOOKS = {
    "boxed": Look("Helvetica", "Helvetica-Bold", 8.5, True),
    "minimal": Look("Times-Roman", "Times-Bold", 9.5, False),
    "two_column": Look("Helvetica", "Helvetica-Bold", 8.0, True),
    "multipage": Look("Courier", "Courier-Bold", 8.0, False),
    "landscape": Look("Helvetica", "Helvetica-Bold", 8.5, True),
}


def _columns(order: Order, fmt: Formatter, layout: str, width: float) -> list[Column]:
    priced = any(ln.unit_price is not None for ln in order.lines)
    with_uom = any(ln.uom for ln in order.lines)
    both = any(ln.supplier_code for ln in order.lines)
    cols = []
    if layout in ("boxed", "multipage", "landscape"):
        cols.append(Column("line", fmt.label("line"), 28, "r"))
    cols.append(Column("code", fmt.label("code"), 78, "l"))
    if both:
        cols.append(Column("supplier", fmt.label("our_code"), 78, "l"))
    cols.append(Column("desc", fmt.label("desc"), 0, "l"))
    cols.append(Column("qty", fmt.label("qty"), 48, "r"))
    if with_uom:
        cols.append(Column("uom", fmt.label("uom"), 46, "l"))
    if priced:
        cols.append(Column("price", fmt.label("price"), 64, "r"))
        cols.append(Column("amount", fmt.label("amount"), 70, "r"))
    fixed = sum(c.width for c in cols)
    return [Column(c.key, c.title, c.width or max(120.0, width - fixed), c.align) for c in cols]


def _cells(index: int, ln: OrderLine, fmt: Formatter) -> dict[str, str]:
    return {
        "line": str(index),
        "code": ln.code or "",
        "supplier": ln.supplier_code or "",
        "desc": ln.description,
        "qty": fmt.qty(ln),
        "uom": ln.uom or "",
        "price": fmt.money(ln.unit_price) if ln.unit_price is not None else "",
        "amount": fmt.money(ln.amount) if ln.amount is not None else "",
    }


class PdfWriter:
    """Draws one order onto a canvas."""

    def __init__(self, order: Order, fmt: Formatter, layout: str) -> None:
        self.order, self.fmt, self.layout = order, fmt, layout
        self.look = LOOKS[layout]
        size = (
            landscape(letter)
            if layout == "landscape"
            else (A4 if fmt.style.lang != "en" else letter)
        )
        self.width, self.height = float(size[0]), float(size[1])
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=size, invariant=1, pageCompression=1)
        self.canvas.setTitle(f"{fmt.label('title')} {order.po_number or ''}".strip())
        self.canvas.setAuthor(order.customer_name or "")
        self.canvas.setCreator("Purchasing")
        self.margin = 40.0
        self.columns = _columns(order, fmt, layout, self.width - 2 * self.margin)
        self.address_lines: dict[str, list[str]] = {}

    # -- primitives --
    def text(
        self,
        x: float,
        y: float,
        s: str,
        bold: bool = False,
        size: float | None = None,
        right: bool = False,
    ) -> None:
        c = self.canvas
        c.setFont(self.look.bold if bold else self.look.font, size or self.look.size)
        if right:
            c.drawRightString(x, y, s)
        else:
            c.drawString(x, y, s)

    def block(self, x: float, y: float, title: str, lines: Sequence[str], box: bool) -> float:
        """A titled block of lines; returns the y below it."""
        self.text(x, y, title, bold=True)
        yy = y - 12
        for s in lines:
            self.text(x, yy, s)
            yy -= 11
        if box:
            font, size = self.look.font, self.look.size
            wide = max(float(self.canvas.stringWidth(t, font, size)) for t in [title, *lines])
            self.canvas.rect(x - 4, yy + 6, wide + 10, y - yy + 6, stroke=1, fill=0)
        return yy - 6

    def ship_lines(self) -> list[str]:
        if "ship" not in self.address_lines and self.order.ship_to is not None:
            self.address_lines["ship"] = self.fmt.address(self.order.ship_to)
        return self.address_lines.get("ship", [])

    # -- header --
    def meta(self) -> list[tuple[str, str]]:
        o, f = self.order, self.fmt
        out = []
        if o.po_number:
            out.append((f.label("po"), o.po_number))
        if o.order_date:
            out.append((f.label("date"), f.date(o.order_date)))
        if o.delivery_date:
            out.append((f.label("delivery"), f.date(o.delivery_date)))
        note = f.currency_note()
        if note:
            label, _, value = note.partition(": ")
            out.append((label, value))
        if o.buyer:
            out.append((f.label("buyer"), o.buyer))
        return out

    def header(self, page: int, pages: int) -> float:
        """Draw the page header; return the y where the table starts."""
        o, f, top = self.order, self.fmt, self.height - self.margin
        left = self.margin
        if o.customer_name:
            self.text(left, top - 4, o.customer_name, bold=True, size=15)
        self.text(
            self.width - self.margin, top - 4, f.label("title"), bold=True, size=13, right=True
        )
        meta_y = top - 26
        for label, value in self.meta():
            self.text(self.width - self.margin - 200, meta_y, f"{label}:", bold=True)
            self.text(self.width - self.margin, meta_y, value, right=True)
            meta_y -= 12
        if self.layout == "multipage":
            self.text(
                self.width - self.margin,
                self.margin - 14,
                f"{f.label('page')} {page}/{pages}",
                right=True,
            )
        if page > 1 and self.layout == "multipage":
            return meta_y - 10
        y = top - 30
        vendor = [world.SELLER_NAME, world.SELLER_STREET, world.SELLER_CITY]
        if self.layout == "two_column":
            if o.bill_to is not None:
                y = self.block(left, y - 60, f.label("bill_to"), f.address(o.bill_to), box=False)
            if self.ship_lines():
                self.block(
                    self.width / 2 + 40, top - 130, f.label("ship_to"), self.ship_lines(), box=True
                )
            y = min(y, top - 200)
        else:
            y = self.block(left, min(y, meta_y) - 8, f.label("vendor"), vendor, box=self.look.ruled)
            if self.ship_lines():
                y = self.block(
                    left, y - 4, f.label("ship_to"), self.ship_lines(), box=self.look.ruled
                )
            if o.bill_to is not None:
                y = self.block(
                    self.width / 2 + 40, y + 60, f.label("bill_to"), f.address(o.bill_to), box=False
                )
        return min(y, meta_y) - 14

    # -- table --
    def table_head(self, y: float) -> float:
        x = self.margin
        if self.look.ruled:
            self.canvas.setFillGray(0.88)
            self.canvas.rect(x, y - 4, self.width - 2 * x, 14, stroke=0, fill=1)
            self.canvas.setFillGray(0)
        for col in self.columns:
            self._cell(x, y, col, col.title, bold=True)
            x += col.width
        if not self.look.ruled:
            self.canvas.line(self.margin, y - 4, self.width - self.margin, y - 4)
        return y - 16

    def _cell(self, x: float, y: float, col: Column, s: str, bold: bool = False) -> None:
        if col.align == "r":
            self.text(x + col.width - 3, y, s, bold=bold, right=True)
        else:
            self.text(x + 3, y, s, bold=bold)

    def row(self, y: float, cells: dict[str, str]) -> float:
        x = self.margin
        height = 11.0
        for col in self.columns:
            if col.key == "desc":
                parts = simpleSplit(cells["desc"], self.look.font, self.look.size, col.width - 6)
                for i, part in enumerate(parts):
                    self.text(x + 3, y - i * 10, part)
                height = max(height, 10.0 * len(parts) + 1)
            else:
                self._cell(x, y, col, cells[col.key])
            x += col.width
        if self.look.ruled:
            self.canvas.setStrokeGray(0.6)
            self.canvas.line(self.margin, y - height + 7, self.width - self.margin, y - height + 7)
            self.canvas.setStrokeGray(0)
        return y - height - 3

    def totals(self, y: float) -> float:
        for s in totals_lines(self.order, self.fmt):
            label, _, value = s.rpartition(": ")
            self.text(self.width - self.margin - 90, y, f"{label}:", bold=True, right=True)
            self.text(self.width - self.margin - 3, y, value, right=True)
            y -= 13
        return y

    # -- whole document --
    def draw(self, injection: tuple[str, str] | None, banner: str | None) -> bytes:
        rows = [_cells(i, ln, self.fmt) for i, ln in enumerate(self.order.lines, 1)]
        per_page = 18 if self.layout == "multipage" else 10_000
        chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
        running = Decimal(0)
        for page, chunk in enumerate(chunks, 1):
            y = self.header(page, len(chunks))
            if banner and page == 1:
                self.canvas.setFillColorRGB(0.75, 0.05, 0.05)
                self.text(self.margin, self.height - self.margin - 40, banner, bold=True, size=12)
                self.canvas.setFillGray(0)
            if page > 1:
                self.text(
                    self.margin,
                    y,
                    f"{self.fmt.label('brought')}: "
                    f"{self.fmt.money(running) if self._priced() else '...'}",
                )
                y -= 16
            y = self.table_head(y)
            for cells, line in zip(chunk, self.order.lines[(page - 1) * per_page :], strict=False):
                y = self.row(y, cells)
                running += line.amount or Decimal(0)
            if page < len(chunks):
                text = self.fmt.money(running) if self._priced() else "..."
                self.text(
                    self.width - self.margin,
                    y - 6,
                    f"{self.fmt.label('carried')}: {text}",
                    bold=True,
                    right=True,
                )
                self.canvas.showPage()
        y = self.totals(y - 8)
        if self.order.terms:
            self.text(self.margin, y - 10, self.order.terms)
        if injection is not None:
            self._inject(*injection, y)
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def _priced(self) -> bool:
        return all(ln.unit_price is not None for ln in self.order.lines)

    def _inject(self, kind: str, text: str, y: float) -> None:
        c = self.canvas
        if kind == "pdf_hidden_white":
            c.setFillColorRGB(1, 1, 1)
            for i, part in enumerate(simpleSplit(text, "Helvetica", 7, self.width - 80)):
                c.setFont("Helvetica", 7)
                c.drawString(self.margin, max(60.0, y - 30) - 9 * i, part)
        else:
            c.setFillGray(0.7)
            c.setFont("Helvetica", 1.2)
            c.drawString(self.margin, 20, text)
        c.setFillGray(0)


def render_pdf(
    order: Order,
    fmt: Formatter,
    layout: str,
    injection: tuple[str, str] | None = None,
    banner: str | None = None,
) -> bytes:
    """The PDF bytes of one order in one layout."""
    return PdfWriter(order, fmt, layout).draw(injection, banner)

"""HTML mail bodies: a plain bordered table, a styled layout with nested tables, or a paragraph
with a small table."""

from __future__ import annotations

import random
from html import escape

from evals.generator.formatting import Formatter
from evals.generator.model import Order
from evals.generator.text_render import header_lines, totals_lines


def _table(order: Order, fmt: Formatter, styled: bool) -> str:
    priced = any(ln.unit_price is not None for ln in order.lines)
    heads = [fmt.label("code"), fmt.label("desc"), fmt.label("qty"), fmt.label("uom")]
    if priced:
        heads += [fmt.label("price"), fmt.label("amount")]
    th = ' style="background:#1f3a5f;color:#fff;padding:4px 8px;text-align:left"' if styled else ""
    td = ' style="padding:3px 8px;border-bottom:1px solid #ddd"' if styled else ""
    rows = ["<tr>" + "".join(f"<th{th}>{escape(h)}</th>" for h in heads) + "</tr>"]
    for ln in order.lines:
        cells = [ln.code or "", ln.description, fmt.qty(ln), ln.uom or ""]
        if priced:
            cells += [
                fmt.money(ln.unit_price) if ln.unit_price is not None else "",
                fmt.money(ln.amount) if ln.amount is not None else "",
            ]
        rows.append("<tr>" + "".join(f"<td{td}>{escape(c)}</td>" for c in cells) + "</tr>")
    for text in totals_lines(order, fmt):
        label, _, value = text.rpartition(": ")
        span = len(heads) - 1
        rows.append(
            f'<tr><td colspan="{span}" align="right"><b>{escape(label)}</b></td>'
            f"<td>{escape(value)}</td></tr>"
        )
    border = ' cellspacing="0" width="100%"' if styled else ' border="1" cellpadding="4"'
    return f"<table{border}>" + "\n".join(rows) + "</table>"


def _header(order: Order, fmt: Formatter) -> str:
    parts = [f"<p>{escape(x)}</p>" for x in header_lines(order, fmt)]
    if order.ship_to is not None:
        addr = "<br>".join(escape(x) for x in fmt.address(order.ship_to))
        parts.append(f"<p><b>{escape(fmt.label('ship_to'))}:</b><br>{addr}</p>")
    return "\n".join(parts)


def html_order(
    order: Order,
    fmt: Formatter,
    layout: str,
    greeting: str,
    signature: str,
    comment: str | None,
    rng: random.Random,
) -> str:
    """A complete HTML document for one order."""
    sig = "<br>".join(escape(x) for x in signature.strip().splitlines())
    hidden = f"<!-- {escape(comment)} -->" if comment else ""
    title = escape(order.customer_name) if order.customer_name and rng.random() < 0.5 else ""
    if layout == "html_styled":
        body = (
            '<table width="640" cellpadding="0" cellspacing="0" style="font-family:Arial">'
            f'<tr><td style="padding:12px;font-size:18px;color:#1f3a5f">{title}</td>'
            f'<td align="right">{escape(fmt.label("title"))}</td></tr>'
            f'<tr><td colspan="2" style="padding:12px">{escape(greeting)}{hidden}'
            f"{_header(order, fmt)}</td></tr>"
            f'<tr><td colspan="2">{_table(order, fmt, styled=True)}</td></tr>'
            f'<tr><td colspan="2" style="padding:12px;color:#555">{sig}</td></tr></table>'
        )
    elif layout == "html_prose_table":
        body = (
            f"<div>{escape(greeting)}</div><div><br></div>{hidden}"
            f"<div>{_header(order, fmt)}</div>{_table(order, fmt, styled=False)}"
            f"<div><br>{sig}</div>"
        )
    else:
        head = f"<h3>{title}</h3>" if title else ""
        body = (
            f"{head}<p>{escape(greeting)}</p>{_header(order, fmt)}{hidden}"
            f"{_table(order, fmt, styled=False)}<p>{sig}</p>"
        )
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'

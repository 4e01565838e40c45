"""Plain-text renderings: fixed-width tables, numbered lists, prose requests, signatures."""

from __future__ import annotations

import random

from evals.generator import phrasing
from evals.generator.formatting import Formatter
from evals.generator.model import Envelope, Order, OrderLine, Style


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    return items[rng.randrange(len(items))]


def header_lines(order: Order, fmt: Formatter) -> list[str]:
    """Key: value lines for the order header."""
    out: list[str] = []
    if order.po_number:
        out.append(f"{fmt.label('po')}: {order.po_number}")
    if order.order_date:
        out.append(f"{fmt.label('date')}: {fmt.date(order.order_date)}")
    if order.delivery_date:
        out.append(f"{fmt.label('delivery')}: {fmt.date(order.delivery_date)}")
    note = fmt.currency_note()
    if note:
        out.append(note)
    return out


def ship_to_block(order: Order, fmt: Formatter) -> list[str]:
    if order.ship_to is None:
        return []
    return [f"{fmt.label('ship_to')}:", *(f"  {x}" for x in fmt.address(order.ship_to))]


def totals_lines(order: Order, fmt: Formatter) -> list[str]:
    if order.total is None:
        return []
    out = []
    subtotal = order.subtotal
    if subtotal is not None and (order.tax is not None or order.freight is not None):
        out.append(f"{fmt.label('subtotal')}: {fmt.money(subtotal)}")
    if order.tax is not None:
        out.append(f"{fmt.label('tax')}: {fmt.money(order.tax)}")
    if order.freight is not None:
        out.append(f"{fmt.label('freight')}: {fmt.money(order.freight)}")
    out.append(f"{fmt.label('total')}: {fmt.money(order.total)}")
    return out


def text_table(order: Order, fmt: Formatter) -> str:
    """A fixed-width table as typed into a mail client."""
    priced = any(ln.unit_price is not None for ln in order.lines)
    heads = [
        fmt.label("line"),
        fmt.label("code"),
        fmt.label("desc"),
        fmt.label("qty"),
        fmt.label("uom"),
    ] + ([fmt.label("price"), fmt.label("amount")] if priced else [])
    rows: list[list[str]] = []
    for i, ln in enumerate(order.lines, 1):
        row = [str(i), ln.code or "", ln.description, fmt.qty(ln), ln.uom or ""]
        if priced:
            row += [
                fmt.money(ln.unit_price) if ln.unit_price is not None else "",
                fmt.money(ln.amount) if ln.amount is not None else "",
            ]
        rows.append(row)
    widths = [max(len(r[c]) for r in [heads, *rows]) for c in range(len(heads))]
    right = {0, 3, 5, 6}

    def fmt_row(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    table = [fmt_row(heads), "  ".join("-" * w for w in widths), *map(fmt_row, rows)]
    return "\n".join(table)


def text_list(order: Order, fmt: Formatter) -> str:
    """A numbered list, one item per line."""
    out = []
    for i, ln in enumerate(order.lines, 1):
        qty = f"{fmt.qty(ln)} {ln.uom}" if ln.uom else f"{fmt.qty(ln)} x"
        code = f"{ln.code} " if ln.code else ""
        price = f" @ {fmt.money(ln.unit_price)}" if ln.unit_price is not None else ""
        out.append(f"{i}) {qty} {code}{ln.description}{price}".replace("  ", " "))
    return "\n".join(out)


def prose_line(ln: OrderLine, fmt: Formatter, rng: random.Random) -> str:
    lang = fmt.style.lang
    qty = fmt.qty(ln, words=True)
    uom = ln.uom or ""
    if ln.code:
        text = _pick(rng, phrasing.PROSE_LINES[lang]).format(
            qty=qty, uom=uom, desc=ln.description, code=ln.code
        )
    else:
        text = f"{qty} {uom} {ln.description}"
    if not uom:
        text = text.replace(f"{qty}  de ", f"{qty} x ").replace(f"{qty}  of ", f"{qty} x ")
    text = " ".join(text.split())
    if ln.unit_price is not None:
        text += phrasing.PROSE_PRICE[lang].format(price=fmt.money(ln.unit_price))
    return text


def prose(order: Order, fmt: Formatter, rng: random.Random) -> str:
    """An order written as a short message."""
    lang = fmt.style.lang
    out = [_pick(rng, phrasing.GREETINGS[lang]), "", _pick(rng, phrasing.PROSE_OPENERS[lang]), ""]
    bullet = _pick(rng, ("- ", "* ", "", "• "))
    out += [f"{bullet}{prose_line(ln, fmt, rng)}" for ln in order.lines]
    out.append("")
    if order.order_date:
        out.append(phrasing.PROSE_DATED[lang].format(date=fmt.date(order.order_date)))
    if order.po_number:
        out.append(_pick(rng, phrasing.PROSE_PO[lang]).format(po=order.po_number))
    if order.delivery_date:
        out.append(
            _pick(rng, phrasing.PROSE_DELIVERY[lang]).format(date=fmt.date(order.delivery_date))
        )
    if order.total is not None:
        extras = [x for x in totals_lines(order, fmt)[:-1]]
        out += extras
        out.append(phrasing.PROSE_TOTAL[lang].format(total=fmt.money(order.total)))
    if order.ship_to is not None:
        out += ["", _pick(rng, phrasing.PROSE_SHIP[lang]), *fmt.address(order.ship_to)]
    return "\n".join(out)


def structured(order: Order, fmt: Formatter, layout: str, rng: random.Random) -> str:
    """A header block, the lines (table or list), totals and ship-to."""
    lang = fmt.style.lang
    out = [_pick(rng, phrasing.GREETINGS[lang]), ""]
    if order.customer_name and rng.random() < 0.4:
        out.append(f"{fmt.label('title')} - {order.customer_name}")
    out += header_lines(order, fmt)
    out.append("")
    out.append(text_table(order, fmt) if layout == "text_table" else text_list(order, fmt))
    totals = totals_lines(order, fmt)
    if totals:
        out += ["", *totals]
    ship = ship_to_block(order, fmt)
    if ship:
        out += ["", *ship]
    return "\n".join(out)


def signature(order: Order | None, style: Style, envelope: Envelope, rng: random.Random) -> str:
    """Sign-off, name, title, organisation (when the order names it) and phone."""
    lang = style.lang
    lines = ["", _pick(rng, phrasing.SIGN_OFFS[lang]), envelope.sender_name]
    if rng.random() < 0.6:
        lines.append(_pick(rng, phrasing.PURCHASING_TITLES[lang]))
    if order is not None and order.customer_name:
        lines.append(order.customer_name)
    if order is not None and rng.random() < 0.5:
        lines.append(f"Tel. {order.buyer_phone}")
    return "\n".join(lines)


def quote(text: str) -> str:
    """Quote a message the way mail clients do."""
    return "\n".join(f"> {x}" if x else ">" for x in text.splitlines())

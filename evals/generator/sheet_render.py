"""Spreadsheet orders: XLSX (a form with a header block, or a bare table) and CSV files.

openpyxl stamps the current time into the workbook and the zip entries; `_stable_zip` rewrites
both so the same plan always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from evals.generator.formatting import Formatter
from evals.generator.model import Order

FIXED_STAMP = "2026-11-01T00:00:00Z"
_EXCEL_DATE = {
    "iso": "yyyy-mm-dd",
    "us_slash": "mm/dd/yyyy",
    "eu_dot": "dd.mm.yyyy",
    "eu_slash": "dd/mm/yyyy",
}


def _stable_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for name in sorted(src.namelist()):
            body = src.read(name)
            if name == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rf"\g<1>{FIXED_STAMP}",
                    body.decode(),
                )
                body = text.encode()
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, body)
    return out.getvalue()


def render_xlsx(order: Order, fmt: Formatter, layout: str, injection: str | None) -> bytes:
    """The XLSX bytes of one order."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = {"en": "PO", "de": "Bestellung", "fr": "Commande", "es": "Pedido"}[fmt.style.lang]
    wb.properties.creator = order.buyer or "buyer"
    wb.properties.created = datetime(2026, 11, 1)
    bold = Font(bold=True)
    row = 1
    if order.customer_name:
        ws.cell(row, 1, order.customer_name).font = Font(bold=True, size=14)
        row += 1
    if layout == "sheet_form":
        ws.cell(row, 1, fmt.label("title")).font = Font(bold=True, size=12)
        row += 2
        for key, value in _meta(order, fmt):
            ws.cell(row, 1, key).font = bold
            ws.cell(row, 2, value)
            row += 1
        if order.ship_to is not None:
            ws.cell(row, 1, fmt.label("ship_to")).font = bold
            for part in fmt.address(order.ship_to):
                ws.cell(row, 2, part)
                row += 1
        row += 1
    priced = any(ln.unit_price is not None for ln in order.lines)
    heads = [fmt.label("code"), fmt.label("desc"), fmt.label("qty"), fmt.label("uom")]
    if layout == "sheet_table" and order.po_number:
        heads.insert(0, fmt.label("po"))
    if priced:
        heads += [fmt.label("price"), fmt.label("amount")]
    for col, head in enumerate(heads, 1):
        cell = ws.cell(row, col, head)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    first = row + 1
    for ln in order.lines:
        row += 1
        values: list[object] = [ln.code or None, ln.description, ln.quantity, ln.uom or None]
        if layout == "sheet_table" and order.po_number:
            values.insert(0, order.po_number)
        if priced:
            values += [
                float(ln.unit_price) if ln.unit_price is not None else None,
                float(ln.amount) if ln.amount is not None else None,
            ]
        for col, value in enumerate(values, 1):
            cell = ws.cell(row, col, value)
            if isinstance(value, float):
                cell.number_format = "#,##0.00##"
    if order.total is not None:
        row += 1
        label_col = len(heads) - 1
        for key, value in _total_rows(order, fmt):
            row += 1
            ws.cell(row, label_col, key).font = bold
            ws.cell(row, len(heads), value).number_format = "#,##0.00"
    if layout == "sheet_table" and order.ship_to is not None:
        row += 2
        ws.cell(row, 1, fmt.label("ship_to")).font = bold
        ws.cell(row, 2, ", ".join(fmt.address(order.ship_to)))
    if injection:
        note = ws.cell(max(2, first - 1), len(heads) + 4, injection)
        note.font = Font(color="FFFFFF", size=6)
    for letter, width in zip("ABCDEFGH", (18, 44, 10, 10, 12, 12, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue())


def _meta(order: Order, fmt: Formatter) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    if order.po_number:
        out.append((fmt.label("po"), order.po_number))
    if order.order_date:
        out.append((fmt.label("date"), fmt.date(order.order_date)))
    if order.delivery_date:
        out.append((fmt.label("delivery"), fmt.date(order.delivery_date)))
    note = fmt.currency_note()
    if note:
        out.append((fmt.label("currency"), note.partition(": ")[2]))
    return out


def _total_rows(order: Order, fmt: Formatter) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    subtotal = order.subtotal
    if subtotal is not None and (order.tax is not None or order.freight is not None):
        out.append((fmt.label("subtotal"), float(subtotal)))
    if order.tax is not None:
        out.append((fmt.label("tax"), float(order.tax)))
    if order.freight is not None:
        out.append((fmt.label("freight"), float(order.freight)))
    assert order.total is not None
    out.append((fmt.label("total"), float(order.total)))
    return out


def render_csv(order: Order, fmt: Formatter, layout: str) -> bytes:
    """The CSV bytes of one order: semicolons and decimal commas where the style is European."""
    european = fmt.style.number_style in ("eu_dot", "eu_space")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if european else ",", lineterminator="\r\n")
    if layout == "csv_with_header":
        for key, value in _meta(order, fmt):
            writer.writerow([key, value])
        writer.writerow([])
    priced = any(ln.unit_price is not None for ln in order.lines)
    heads = [fmt.label("code"), fmt.label("desc"), fmt.label("qty"), fmt.label("uom")]
    if layout == "csv_flat" and order.po_number:
        heads.insert(0, fmt.label("po"))
    if priced:
        heads += [fmt.label("price"), fmt.label("amount")]
    writer.writerow(heads)
    for ln in order.lines:
        row = [ln.code or "", ln.description, str(ln.quantity), ln.uom or ""]
        if layout == "csv_flat" and order.po_number:
            row.insert(0, order.po_number)
        if priced:
            row += [_csv_number(ln.unit_price, european), _csv_number(ln.amount, european)]
        writer.writerow(row)
    if order.total is not None:
        for key, value in _total_rows(order, fmt):
            writer.writerow([""] * (len(heads) - 2) + [key, _csv_number(value, european)])
    return out.getvalue().encode("utf-8")


def _csv_number(value: object, european: bool) -> str:
    if value is None:
        return ""
    text = f"{float(str(value)):.2f}" if str(value).count(".") <= 1 else str(value)
    if len(str(value).split(".")[-1]) > 2 and "." in str(value):
        text = str(value)
    return text.replace(".", ",") if european else text

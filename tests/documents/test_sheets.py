"""Spreadsheet and CSV parsing."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from app.documents.headers import detect_header_row
from app.documents.model import DocumentKind
from app.documents.sheets import parse_csv, parse_xlsx


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "PO 4711"
    sheet.append(["Purchase order 4711"])
    sheet.append([])
    sheet.append(["Part", "Description", "Qty", "Unit price", "Due", "Discount"])
    sheet.append(["AB-1", "Bolt", 12, 1.5, dt.datetime(2026, 3, 20), 0.1])
    sheet.append(["AB-2", "Nut", 3.0, 0.1 + 0.2, dt.date(2026, 4, 1), 0])
    sheet["F4"].number_format = "0%"
    notes = book.create_sheet("Notes")
    notes.append(["deliver to dock 3"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_sheets_become_tables_and_tab_text() -> None:
    doc = parse_xlsx(_workbook(), document_id="att-1", filename="po.xlsx")
    assert doc.kind == DocumentKind.SPREADSHEET
    assert doc.problems == []
    order, notes = doc.tables
    assert (order.sheet, order.page, order.header_row) == ("PO 4711", 1, 1)
    assert order.rows[2] == ["AB-1", "Bolt", "12", "1.5", "2026-03-20", "10%"]
    assert order.rows[3] == ["AB-2", "Nut", "3", "0.3", "2026-04-01", "0"]
    assert notes.rows == [["deliver to dock 3"]]
    assert "AB-1\tBolt\t12\t1.5\t2026-03-20\t10%\n" in doc.text
    assert doc.text.startswith("Sheet: PO 4711\n")
    assert "\fSheet: Notes\ndeliver to dock 3\n" in doc.text


def test_corrupt_xlsx_is_a_problem() -> None:
    doc = parse_xlsx(b"PK\x03\x04 not really a zip", document_id="att-1")
    assert doc.problems[0].startswith("unreadable: ")


def test_csv_semicolons_in_cp1252() -> None:
    data = "Artikel;Bezeichnung;Menge\nAB-1;Schraube Ø5 – verzinkt;12\n".encode("cp1252")
    doc = parse_csv(data, document_id="att-1", filename="po.csv")
    assert doc.problems == []
    [table] = doc.tables
    assert table.header_row == 0
    assert table.rows[1] == ["AB-1", "Schraube Ø5 – verzinkt", "12"]
    assert doc.text.splitlines()[1] == "AB-1\tSchraube Ø5 – verzinkt\t12"


def test_csv_utf8_bom_and_commas() -> None:
    data = '\ufeffsku,qty,price\nAB-1,2,"1,50"\n'.encode()
    [table] = parse_csv(data, document_id="att-1").tables
    assert table.rows == [["sku", "qty", "price"], ["AB-1", "2", "1,50"]]


def test_header_row_before_first_numeric_block() -> None:
    rows = [["Order 5"], ["Code", "Name", "Pieces"], ["X1", "Thing", "4"], ["X2", "Other", "5"]]
    assert detect_header_row(rows) == 1
    assert detect_header_row([["Ship Via:", "UPS"], ["Date:", "2026-01-01"]]) is None

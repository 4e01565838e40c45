"""Spreadsheets and CSV files as tables plus tab-separated text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterable

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.documents.headers import detect_header_row
from app.documents.model import DocumentKind, ParsedDocument, Table
from app.documents.textcodec import decode_text

MAX_ROWS = 20_000  # per sheet; beyond it the sheet is cut and "sheet_truncated" recorded
MAX_COLUMNS = 200
SHEET_SEPARATOR = "\f"
_CSV_DELIMITERS = ",;\t|"
# openpyxl raises these on damaged workbooks besides its own InvalidFileException.
XLSX_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    OSError,
    EOFError,
    zlib.error,  # a damaged deflate stream inside the zip (found by tests/security/test_fuzz.py)
)


def parse_xlsx(
    data: bytes, *, document_id: str, filename: str | None = None, content_type: str | None = None
) -> ParsedDocument:
    """Every sheet of an XLSX/XLSM workbook as a Table; text is one tab-separated line per row."""
    doc = ParsedDocument(
        document_id=document_id,
        kind=DocumentKind.SPREADSHEET,
        filename=filename,
        content_type=content_type,
    )
    if not data:
        doc.problems.append("empty")
        return doc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        doc.problems.append(f"unreadable: {type(exc).__name__}: {exc}"[:200])
        return doc
    texts: list[str] = []
    try:
        for index, sheet in enumerate(workbook.worksheets, start=1):
            rows, truncated = _sheet_rows(sheet.iter_rows())
            if truncated:
                doc.problems.append(f"sheet_truncated: {sheet.title}")
            if not rows:
                continue
            doc.tables.append(
                Table(page=index, sheet=sheet.title, rows=rows, header_row=detect_header_row(rows))
            )
            texts.append(f"Sheet: {sheet.title}\n" + _tab_lines(rows))
    except XLSX_ERRORS as exc:
        doc.problems.append(f"unreadable: {type(exc).__name__}: {exc}"[:200])
    finally:
        workbook.close()
    doc.pages = len(doc.tables)
    doc.text = SHEET_SEPARATOR.join(texts)
    if not doc.text:
        doc.problems.append("no_text")
    return doc


def _sheet_rows(rows: Iterable[tuple[object, ...]]) -> tuple[list[list[str]], bool]:
    """Non-empty rows as strings, trimmed to the used width; True when cut at MAX_ROWS."""
    grid: list[list[str]] = []
    for count, row in enumerate(rows):
        if count >= MAX_ROWS:
            return _rectangular(grid), True
        cells = [cell_text(cell) for cell in row[:MAX_COLUMNS]]
        if any(cells):
            grid.append(cells)
    return _rectangular(grid), False


def cell_text(cell: object) -> str:
    """A cell as it reads: 12 not 12.0, dates as ISO, percentages with %."""
    value = getattr(cell, "value", cell)
    fmt = str(getattr(cell, "number_format", "") or "")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in fmt:
            return f"{_number(value * 100)}%"
        return _number(value)
    return str(value).strip()


def _number(value: float) -> str:
    """A number without float noise: 12 for 12.0, 0.3 for 0.30000000000000004."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(round(value, 9))
    return text if "e" not in text else f"{value:f}".rstrip("0").rstrip(".")


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Rows padded or cut to the widest used column."""
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    return [(r + [""] * width)[:width] for r in rows]


def _tab_lines(rows: list[list[str]]) -> str:
    """Rows as tab-separated lines, tabs and newlines inside cells flattened."""
    lines = ["\t".join(c.replace("\t", " ").replace("\n", " ") for c in r).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def parse_csv(
    data: bytes, *, document_id: str, filename: str | None = None, content_type: str | None = None
) -> ParsedDocument:
    """A CSV file with its delimiter sniffed and its encoding guessed, as one Table."""
    doc = ParsedDocument(
        document_id=document_id, kind=DocumentKind.CSV, filename=filename, content_type=content_type
    )
    if not data:
        doc.problems.append("empty")
        return doc
    text, problem = decode_text(data)
    if problem and not problem.endswith("cp1252"):
        doc.problems.append(problem)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=_CSV_DELIMITERS
        )
    except csv.Error:
        dialect = csv.excel
    try:
        raw_rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        doc.problems.append(f"unreadable: {exc}")
        return doc
    rows, truncated = _sheet_rows(tuple(r) for r in raw_rows)
    if truncated:
        doc.problems.append("sheet_truncated")
    if rows:
        doc.tables.append(Table(rows=rows, header_row=detect_header_row(rows)))
        doc.text = _tab_lines(rows)
        doc.pages = 1
    else:
        doc.problems.append("no_text")
    return doc

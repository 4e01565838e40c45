"""The floor: the time it takes just to read the text and words out of each message.

Same libraries as the parser (email, pdfplumber, openpyxl, csv, the stdlib HTML parser), no
layout analysis, no database, no graph: what any pipeline pays at the least.
"""

from __future__ import annotations

import csv
import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def read_words(raw: bytes) -> int:
    """Read every part of a message into words; the number of words."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    words = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        words += _part_words(part)
    return words


def _part_words(part: EmailMessage) -> int:
    ctype = part.get_content_type()
    name = (part.get_filename() or "").lower()
    if ctype == "application/pdf" or name.endswith(".pdf"):
        return _pdf_words(_payload(part))
    if name.endswith(".xlsx") or "spreadsheetml" in ctype:
        return _xlsx_words(_payload(part))
    if name.endswith(".csv") or ctype == "text/csv":
        text = _payload(part).decode("utf-8", "replace")
        return sum(len(c.split()) for row in csv.reader(io.StringIO(text)) for c in row)
    if ctype == "text/html":
        html = _TextOnly()
        html.feed(str(part.get_content()))
        return sum(len(c.split()) for c in html.chunks)
    if part.get_content_maintype() == "text":
        return len(str(part.get_content()).split())
    return 0


def _payload(part: EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _pdf_words(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_words()) for page in pdf.pages)


def _xlsx_words(data: bytes) -> int:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(
            len(str(v).split())
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    finally:
        book.close()

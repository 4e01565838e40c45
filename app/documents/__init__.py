"""Parsing inbound messages and files into documents with text, word positions and tables."""

from app.documents.files import parse_files
from app.documents.mail import parse_message
from app.documents.model import (
    BBox,
    DocumentKind,
    ParsedDocument,
    ParsedMessage,
    Table,
    Word,
)
from app.documents.pdf import parse_pdf
from app.documents.sheets import parse_csv, parse_xlsx

__all__ = [
    "BBox",
    "DocumentKind",
    "ParsedDocument",
    "ParsedMessage",
    "Table",
    "Word",
    "parse_csv",
    "parse_files",
    "parse_message",
    "parse_pdf",
    "parse_xlsx",
]

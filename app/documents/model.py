"""What parsing makes of an inbound message: documents with text, word positions and tables."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentKind(StrEnum):
    BODY_TEXT = "body_text"
    BODY_HTML = "body_html"
    PDF = "pdf"
    SPREADSHEET = "spreadsheet"
    CSV = "csv"
    TEXT = "text"
    HTML = "html"
    OTHER = "other"


class BBox(BaseModel):
    """A box on a page in PDF points, origin at the top left."""

    x0: float
    top: float
    x1: float
    bottom: float


class Word(BaseModel):
    text: str
    page: int  # 1-based
    bbox: BBox
    start: int  # offset of this word in ParsedDocument.text
    end: int


class Table(BaseModel):
    """A grid of cell strings as it stands in the document; rows[0] may be a header."""

    page: int | None = None  # PDF page (1-based) or sheet index
    sheet: str | None = None
    rows: list[list[str]]
    header_row: int | None = None  # index in rows of the detected header, None when none


class ParsedDocument(BaseModel):
    """One readable part of a message: the body, or one attachment."""

    document_id: str  # stable within the message: "body", "att-1", ...
    kind: DocumentKind
    filename: str | None = None
    content_type: str | None = None
    text: str = ""  # reading-order text; spans of SourceRef point into it
    pages: int = 0
    page_sizes: list[tuple[float, float]] = Field(default_factory=list)  # (width, height) in points
    words: list[Word] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    # Text a reader would not see (HTML comments and hidden elements, white or tiny PDF text):
    # kept out of `text` so no extractor reads it, and scanned for injected instructions.
    hidden_text: list[str] = Field(default_factory=list)
    ocr: bool = False  # some or all of the text came from OCR
    encrypted: bool = False
    # e.g. "encrypted", "empty", "unreadable: ..."
    problems: list[str] = Field(default_factory=list)


class ParsedMessage(BaseModel):
    """A whole inbound message, ready for extraction."""

    message_id: str | None = None
    subject: str = ""
    sender: str | None = None  # the bare address from From, None when it cannot be trusted
    sender_name: str | None = None
    sent_at: str | None = None  # ISO 8601 from the Date header
    in_reply_to: str | None = None
    forwarded: bool = False
    documents: list[ParsedDocument] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)  # message-level: "mime_depth", "no_body"...

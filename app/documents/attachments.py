"""Single files turned into documents, whichever way they arrived (attachment or loose file)."""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import Literal

import pytesseract
from PIL import Image, UnidentifiedImageError

from app.documents.htmltext import html_to_text
from app.documents.layout import layout_page
from app.documents.model import DocumentKind, ParsedDocument
from app.documents.ocr import ocr_words, tesseract_available
from app.documents.pdf import DEFAULT_MAX_PAGES, parse_pdf
from app.documents.sheets import parse_csv, parse_xlsx
from app.documents.textcodec import decode_text

FileKind = Literal[
    "pdf", "xlsx", "xls", "csv", "text", "html", "eml", "tnef", "zip", "image", "other"
]
TNEF_MAGIC = b"\x78\x9f\x3e\x22"
MAX_OCR_PIXELS = 40_000_000
OCR_MAX_SIDE = 5000
_EXTENSIONS: dict[str, FileKind] = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".csv": "csv",
    ".txt": "text",
    ".text": "text",
    ".htm": "html",
    ".html": "html",
    ".eml": "eml",
    ".dat": "tnef",
    ".zip": "zip",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".webp": "image",
}
_CONTENT_TYPES: dict[str, FileKind] = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": "xlsx",
    "application/vnd.ms-excel": "xls",
    "text/csv": "csv",
    "text/comma-separated-values": "csv",
    "text/html": "html",
    "message/rfc822": "eml",
    "application/ms-tnef": "tnef",
    "application/vnd.ms-tnef": "tnef",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
}


def classify(data: bytes, filename: str | None, content_type: str | None) -> FileKind:
    """What a file is, from its magic bytes first, then its name, then its content type."""
    if data.startswith(TNEF_MAGIC):
        return "tnef"
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    suffix = PurePath(filename).suffix.lower() if filename else ""
    by_name = _EXTENSIONS.get(suffix)
    if by_name is not None and (by_name != "tnef" or not data):
        return by_name
    ctype = (content_type or "").lower()
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    if ctype.startswith("image/"):
        return "image"
    if ctype.startswith("text/"):
        return "text"
    return "other"


def parse_leaf(
    data: bytes,
    *,
    kind: FileKind,
    document_id: str,
    filename: str | None,
    content_type: str | None,
    charset: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedDocument:
    """A document from one file that holds no further files (not eml, not winmail.dat)."""
    ids = document_id
    if kind == "pdf":
        return parse_pdf(
            data, document_id=ids, filename=filename, content_type=content_type, max_pages=max_pages
        )
    if kind == "xlsx":
        return parse_xlsx(data, document_id=ids, filename=filename, content_type=content_type)
    if kind == "csv":
        return parse_csv(data, document_id=ids, filename=filename, content_type=content_type)
    if kind == "text" or kind == "html":
        return text_document(
            data,
            kind=kind,
            charset=charset,
            document_id=ids,
            filename=filename,
            content_type=content_type,
        )
    if kind == "image":
        return image_document(data, document_id=ids, filename=filename, content_type=content_type)
    doc = ParsedDocument(
        document_id=ids, kind=DocumentKind.OTHER, filename=filename, content_type=content_type
    )
    doc.problems.append("empty" if not data else f"unsupported: {kind}:{content_type or '?'}")
    return doc


def text_document(
    data: bytes,
    *,
    kind: Literal["text", "html"],
    document_id: str,
    filename: str | None,
    content_type: str | None,
    charset: str | None = None,
    body: bool = False,
) -> ParsedDocument:
    """A plain-text or HTML part or file; HTML rendered to text with its tables."""
    if kind == "html":
        doc_kind = DocumentKind.BODY_HTML if body else DocumentKind.HTML
    else:
        doc_kind = DocumentKind.BODY_TEXT if body else DocumentKind.TEXT
    doc = ParsedDocument(
        document_id=document_id, kind=doc_kind, filename=filename, content_type=content_type
    )
    if not data:
        doc.problems.append("empty")
        return doc
    text, problem = decode_text(data, charset)
    if problem:
        doc.problems.append(problem)
    if kind == "html":
        rendered = html_to_text(text)
        doc.text, doc.tables = rendered.text, rendered.tables
        doc.problems.extend(rendered.problems)
        doc.hidden_text.extend(rendered.hidden)
    else:
        doc.text = text.replace("\r\n", "\n")
    return doc


def image_document(
    data: bytes, *, document_id: str, filename: str | None, content_type: str | None
) -> ParsedDocument:
    """An image attachment, OCRed when tesseract is installed."""
    doc = ParsedDocument(
        document_id=document_id,
        kind=DocumentKind.OTHER,
        filename=filename,
        content_type=content_type,
    )
    if not data:
        doc.problems.append("empty")
        return doc
    doc.problems.append("image_attachment")
    if not tesseract_available():
        doc.problems.append("ocr_unavailable")
        return doc
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_OCR_PIXELS:
                doc.problems.append("image_too_large")
                return doc
            gray = image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        doc.problems.append(f"unreadable: {type(exc).__name__}")
        return doc
    scale = max(gray.width, gray.height) / OCR_MAX_SIDE
    if scale > 1:
        gray = gray.resize((round(gray.width / scale), round(gray.height / scale)))
    factor = max(scale, 1.0)  # boxes are reported in the original image's pixels
    try:
        words = ocr_words(gray, scale=factor)
    except (RuntimeError, pytesseract.TesseractError) as exc:
        doc.problems.append(f"ocr_failed: {type(exc).__name__}")
        return doc
    doc.text, doc.words = layout_page(words, page=1, offset=0)
    doc.pages, doc.ocr = 1, True
    doc.page_sizes = [(gray.width * factor, gray.height * factor)]
    return doc

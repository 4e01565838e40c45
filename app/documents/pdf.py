"""PDF documents: positioned words, column-preserving text, tables, OCR for scanned pages."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pytesseract
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils.exceptions import PdfminerException

from app.documents.headers import detect_header_row
from app.documents.layout import PlacedWord, layout_page
from app.documents.model import DocumentKind, ParsedDocument, Table, Word
from app.documents.ocr import ocr_words, tesseract_available
from app.documents.tablecells import find_tables

DEFAULT_MAX_PAGES = 200
OCR_MIN_CHARS = 20
WORD_GAP = 1.5  # points; pdfplumber's default 3 glues table cells like "OrderedDiscount"
OCR_RESOLUTION = 200
PAGE_SEPARATOR = "\f"  # between pages, after the last line's newline, as pdftotext does
_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_SPACE = re.compile(r"\s+")

# pdfminer raises almost anything on hostile input; these are what a bad file produces.
PDF_ERRORS = (
    PdfminerException,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    RecursionError,
    OSError,
    ZeroDivisionError,
    OverflowError,
    MemoryError,
)


HIDDEN_FONT_SIZE = 2.0  # points: smaller text is not meant to be read


def parse_pdf(
    data: bytes,
    *,
    document_id: str,
    filename: str | None = None,
    content_type: str | None = "application/pdf",
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ParsedDocument:
    """Read a PDF once into a ParsedDocument; bad input becomes problems, never exceptions."""
    doc = ParsedDocument(
        document_id=document_id,
        kind=DocumentKind.PDF,
        filename=filename,
        content_type=content_type,
    )
    if not data:
        doc.problems.append("empty")
        return doc
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password="")
    except PdfminerException as exc:
        if _is_password_error(exc):
            doc.encrypted = True
            doc.problems.append("encrypted")
        else:
            doc.problems.append(f"unreadable: {_reason(exc)}")
        return doc
    except PDF_ERRORS as exc:
        doc.problems.append(f"unreadable: {_reason(exc)}")
        return doc
    with pdf:
        try:
            _read(pdf, doc, max_pages=max_pages)
        except PDF_ERRORS as exc:
            doc.problems.append(f"unreadable: {_reason(exc)}")
    return doc


def _read(pdf: PDF, doc: ParsedDocument, *, max_pages: int) -> None:
    """Fill doc from an open PDF."""
    doc.encrypted = getattr(pdf.doc, "encryption", None) is not None
    declared = _declared_page_count(pdf)
    if declared is not None and declared > max_pages:
        doc.pages = declared
        doc.problems.append("too_many_pages")
        return
    pages = pdf.pages
    doc.pages = len(pages)
    if doc.pages > max_pages:
        doc.problems.append("too_many_pages")
        return
    if doc.pages == 0:
        doc.problems.append("no_pages")
        return
    texts: list[str] = []
    offset = 0
    tables: list[tuple[int, Table]] = []
    for number, page in enumerate(pages, start=1):
        doc.page_sizes.append((float(page.width), float(page.height)))
        try:
            text, words, page_tables = _read_page(page, number, offset, doc)
        except PDF_ERRORS as exc:
            doc.problems.append(f"unreadable: page {number}: {_reason(exc)}")
            text, words, page_tables = "", [], []
        finally:
            page.close()
        texts.append(text)
        doc.words.extend(words)
        tables.extend((number, t) for t in page_tables)
        offset += len(text) + len(PAGE_SEPARATOR)
    doc.text = PAGE_SEPARATOR.join(texts)
    doc.tables = merge_continued_tables(tables)
    if not doc.text.strip():
        doc.problems.append("no_text")


def _read_page(
    page: Page, number: int, offset: int, doc: ParsedDocument
) -> tuple[str, list[Word], list[Table]]:
    """Text, words and tables of one page; OCR when the page is an image."""
    page = _visible_only(page, doc)
    raw = page.extract_words(x_tolerance=WORD_GAP, keep_blank_chars=False, use_text_flow=False)
    placed = [
        PlacedWord(
            text=str(w["text"]),
            x0=float(w["x0"]),
            top=float(w["top"]),
            x1=float(w["x1"]),
            bottom=float(w["bottom"]),
        )
        for w in raw
    ]
    chars = sum(len(w.text) for w in placed)
    if chars < OCR_MIN_CHARS and page.images:
        scanned = _ocr_page(page, doc)
        if scanned is not None:
            placed = scanned
            doc.ocr = True
    text, words = layout_page(placed, page=number, offset=offset)
    tables = _page_tables(page, number, placed) if chars >= OCR_MIN_CHARS else []
    return text, words, tables


def _visible_only(page: Page, doc: ParsedDocument) -> Page:
    """The page without text a reader cannot see; that text goes to doc.hidden_text."""
    backgrounds = _backgrounds(page)
    hidden = [c for c in page.chars if not _visible(c, page, backgrounds)]
    if not hidden:
        return page
    text = "".join(str(c.get("text", "")) for c in hidden)
    if text.strip():  # invisible spacing is layout, not content
        doc.hidden_text.append(text)
        if "pdf_hidden_text" not in doc.problems:
            doc.problems.append("pdf_hidden_text")
    return page.filter(
        lambda obj: obj.get("object_type") != "char" or _visible(obj, page, backgrounds)
    )


Box = tuple[float, float, float, float]


def _backgrounds(page: Page) -> list[Box]:
    """Areas painted dark or with a picture, where white text is readable."""
    boxes: list[Box] = []
    for rect in page.rects:
        if rect.get("fill") and not _is_white(rect.get("non_stroking_color"), loose=True):
            boxes.append((rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
    boxes += [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images]
    return boxes


def _visible(char: dict[str, Any], page: Page, backgrounds: list[Box]) -> bool:
    """Large enough, on the page, and not white on a white page."""
    if float(char.get("size") or 0) < HIDDEN_FONT_SIZE:
        return False
    if _is_white(char.get("non_stroking_color")) and not _over(char, backgrounds):
        return False
    return bool(
        float(char["x1"]) > 0
        and float(char["x0"]) < float(page.width)
        and float(char["bottom"]) > 0
        and float(char["top"]) < float(page.height)
    )


def _over(char: dict[str, Any], boxes: list[Box]) -> bool:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _is_white(color: object, *, loose: bool = False) -> bool:
    """White (or, loosely, a light tint that white text would not stand out on)."""
    if not isinstance(color, list | tuple) or not color:
        return False
    values = [float(v) for v in color if isinstance(v, int | float)]
    if len(values) == 4:  # CMYK: white is no ink
        return all(v <= (0.2 if loose else 0.02) for v in values)
    return len(values) in (1, 3) and all(v >= (0.8 if loose else 0.98) for v in values)


def _ocr_page(page: Page, doc: ParsedDocument) -> list[PlacedWord] | None:
    """Words read by tesseract from the rendered page, in PDF points."""
    if not tesseract_available():
        if "ocr_unavailable" not in doc.problems:
            doc.problems.append("ocr_unavailable")
        return None
    try:
        image = page.to_image(resolution=OCR_RESOLUTION).original
        return ocr_words(image, scale=float(page.width) / image.width)
    except (RuntimeError, pytesseract.TesseractError, *PDF_ERRORS) as exc:
        doc.problems.append(f"ocr_failed: page {page.page_number}: {_reason(exc)}")
        return None


def _page_tables(page: Page, number: int, words: list[PlacedWord]) -> list[Table]:
    """Ruled tables; when none, a text-aligned table that does not cut through words."""
    found = find_tables(page, _LINES)
    if not found:
        found = [t for t in find_tables(page, _TEXT) if _clean_text_table(t, words)]
    tables: list[Table] = []
    for table in found:
        rows = [[cell or "" for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if len(rows) < 1 or max(len(r) for r in rows) < 2:
            continue
        tables.append(Table(page=number, rows=rows, header_row=detect_header_row(rows)))
    return tables


def _clean_text_table(table: PlumberTable, words: list[PlacedWord]) -> bool:
    """A text-strategy table is kept only with 3+ columns and no word cut by a column edge."""
    rows = table.rows
    if len(rows) < 3:
        return False
    edges = sorted({c[0] for c in table.cells} | {c[2] for c in table.cells})
    if len(edges) < 4:
        return False
    x0, top, x1, bottom = table.bbox
    inner = edges[1:-1]
    for word in words:
        if word.top < top or word.bottom > bottom or word.x1 < x0 or word.x0 > x1:
            continue
        if any(word.x0 + 0.5 < edge < word.x1 - 0.5 for edge in inner):
            return False
    return True


def merge_continued_tables(tables: list[tuple[int, Table]]) -> list[Table]:
    """Join a table continued on the next page under a repeated header row."""
    merged: list[Table] = []
    last_page: dict[int, int] = {}  # id of merged table -> last page it reaches
    for number, table in tables:
        if merged and table.header_row == 0:
            previous = merged[-1]
            prev_header = previous.header_row
            if (
                prev_header is not None
                and last_page[id(previous)] == number - 1
                and _norm(previous.rows[prev_header]) == _norm(table.rows[0])
            ):
                previous.rows.extend(table.rows[1:])
                last_page[id(previous)] = number
                continue
        merged.append(table)
        last_page[id(table)] = number
    return merged


def _norm(row: list[str]) -> list[str]:
    """A row compared without case or spacing differences."""
    return [_SPACE.sub(" ", cell).strip().lower() for cell in row]


def _declared_page_count(pdf: PDF) -> int | None:
    """The /Count of the page tree, read without walking it."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except PDF_ERRORS:
        return None
    return count if isinstance(count, int) else None


def _is_password_error(exc: PdfminerException) -> bool:
    """True when pdfminer gave up because the PDF needs a password."""
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, PDFPasswordIncorrect) or isinstance(
        exc.__cause__, PDFPasswordIncorrect
    )


def _reason(exc: BaseException) -> str:
    """A short, single-line description of an exception."""
    message = _SPACE.sub(" ", str(exc)).strip()[:160]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__

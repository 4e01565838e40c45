"""The source documents beside a draft: escaped text with highlighted spans, PDF page images
with the extracted values' boxes, and the page images themselves (rendered once, cached)."""

from __future__ import annotations

import itertools
import os
import re
import resource
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.core.config import Settings
from app.core.errors import NotFound, Unavailable
from app.documents.attachments import classify
from app.documents.isolation import parse_in_subprocess
from app.documents.mail import Walker
from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.intake import repository as inbound

PAGE_DPI = 110
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_DOCUMENT_ID = re.compile(r"^(body|att-\d{1,3})$")
_CONTAINERS = frozenset({"eml", "tnef", "zip"})

HEADER_LABELS: dict[str, str] = {
    "customer_name": "Customer",
    "customer_po_number": "PO number",
    "order_date": "Order date",
    "requested_delivery_date": "Requested delivery",
    "currency": "Currency",
    "ship_to": "Ship to",
    "total": "Stated total",
    "tax": "Tax",
    "freight": "Freight",
    "other_charges": "Other charges",
}
LINE_LABELS: dict[str, str] = {
    "customer_item_code": "item code",
    "description": "description",
    "quantity": "quantity",
    "uom": "unit",
    "unit_price": "unit price",
    "requested_date": "requested date",
}


@dataclass(frozen=True)
class FieldSource:
    """Where one extracted value was read; `key` ties it to the draft field on the page."""

    key: str
    label: str
    document_id: str
    page: int | None = None
    box: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in points
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Segment:
    """A run of document text and the keys of the values it is the source of."""

    text: str
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Box:
    key: str
    label: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class PageView:
    number: int
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)


@dataclass
class DocumentView:
    document_id: str
    kind: str
    title: str
    pages: list[PageView] = field(default_factory=list)  # PDFs: shown as images
    segments: list[Segment] = field(default_factory=list)  # everything else: escaped text
    problems: list[str] = field(default_factory=list)
    sources: int = 0  # how many values were read from this document

    @property
    def is_pdf(self) -> bool:
        return bool(self.pages)


def field_key(name: str, line_no: int | None = None) -> str:
    return name if line_no is None else f"line-{line_no}-{name}"


def field_sources(extraction: dict[str, Any]) -> list[FieldSource]:
    """Every extracted value that says where it was read (ExtractedOrder.model_dump shape)."""
    found: list[FieldSource] = []
    for name, label in HEADER_LABELS.items():
        source = _source(extraction.get(name), field_key(name), label)
        if source is not None:
            found.append(source)
    for index, line in enumerate(extraction.get("lines") or [], start=1):
        for name, label in LINE_LABELS.items():
            source = _source(line.get(name), field_key(name, index), f"Line {index} {label}")
            if source is not None:
                found.append(source)
    return found


def _source(value: Any, key: str, label: str) -> FieldSource | None:
    if not isinstance(value, dict) or value.get("value") is None:
        return None
    src = value.get("source")
    if not isinstance(src, dict) or not src.get("document_id"):
        return None
    coords = [
        float(c) for k in ("x0", "top", "x1", "bottom") if isinstance(c := src.get(k), int | float)
    ]
    box = (coords[0], coords[1], coords[2], coords[3]) if len(coords) == 4 else None
    start, end = src.get("start"), src.get("end")
    return FieldSource(
        key=key,
        label=label,
        document_id=str(src["document_id"]),
        page=src.get("page"),
        box=box,
        start=start if isinstance(start, int) else None,
        end=end if isinstance(end, int) else None,
    )


def segments(text: str, sources: list[FieldSource]) -> list[Segment]:
    """The text cut at every span boundary, each piece with the keys whose span covers it."""
    spans = [
        (s.start, s.end, s.key)
        for s in sources
        if s.start is not None and s.end is not None and 0 <= s.start < s.end <= len(text)
    ]
    cuts = sorted({0, len(text), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        keys = tuple(dict.fromkeys(k for s, e, k in spans if s <= a and b <= e))
        if out and out[-1].keys == keys:
            out[-1] = Segment(out[-1].text + text[a:b], keys)
        else:
            out.append(Segment(text[a:b], keys))
    return out


def document_views(parsed: ParsedMessage, sources: list[FieldSource]) -> list[DocumentView]:
    """The message's documents, the one most values came from first."""
    views = [
        _document_view(doc, [s for s in sources if s.document_id == doc.document_id])
        for doc in parsed.documents
    ]
    views.sort(key=lambda v: -v.sources)
    return views


def _document_view(doc: ParsedDocument, sources: list[FieldSource]) -> DocumentView:
    title = doc.filename or ("Message body" if doc.document_id == "body" else doc.document_id)
    view = DocumentView(
        document_id=doc.document_id,
        kind=doc.kind,
        title=title,
        problems=list(doc.problems),
        sources=len(sources),
    )
    if doc.kind == DocumentKind.PDF and doc.page_sizes:
        for number, (width, height) in enumerate(doc.page_sizes, start=1):
            boxes = [
                Box(
                    key=s.key,
                    label=s.label,
                    x=s.box[0],
                    y=s.box[1],
                    width=max(s.box[2] - s.box[0], 1.0),
                    height=max(s.box[3] - s.box[1], 1.0),
                )
                for s in sources
                if s.page == number and s.box is not None
            ]
            view.pages.append(PageView(number=number, width=width, height=height, boxes=boxes))
    if not view.pages:
        view.segments = segments(doc.text, sources)
    return view


# --- parsing and page images, cached under settings.data_dir -------------------------------


def _cache_dir(settings: Settings, *parts: str) -> Path:
    for part in parts:
        if not _SAFE_ID.match(part):
            raise NotFound("no such document", code="document_not_found")
    path = Path(settings.data_dir, "ui-cache", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def parsed_message(session: Session, settings: Settings, message_id: str) -> ParsedMessage:
    """The stored message parsed in the sandboxed child, cached as JSON after the first time."""
    cached = _cache_dir(settings, message_id) / "parsed.json"
    if cached.exists():
        try:
            return ParsedMessage.model_validate_json(cached.read_bytes())
        except ValidationError:
            cached.unlink(missing_ok=True)
    raw = inbound.raw_bytes(session, message_id)
    if raw is None:
        return ParsedMessage(problems=["the raw message is missing"])
    parsed = parse_in_subprocess(
        raw,
        cpu_s=settings.parse_cpu_s,
        wall_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
        max_pages=settings.pdf_max_pages,
    )
    if not any(p.startswith("parse_failure") for p in parsed.problems):
        _write_atomic(cached, parsed.model_dump_json().encode())
    return parsed


class _PdfCollector(Walker):
    """Walks a message like the parser, numbering documents the same way, keeping PDF bytes
    instead of parsing them."""

    def __init__(self) -> None:
        super().__init__(ParsedMessage(), max_pages=1)
        self.pdfs: dict[str, bytes] = {}

    def attachment(
        self,
        data: bytes,
        *,
        filename: str | None,
        content_type: str | None,
        charset: str | None = None,
        depth: int,
        in_archive: bool = False,
    ) -> None:
        kind = classify(data, filename, content_type)
        if kind in _CONTAINERS and data:  # opened up by the parser's own walk
            super().attachment(
                data,
                filename=filename,
                content_type=content_type,
                charset=charset,
                depth=depth,
                in_archive=in_archive,
            )
            return
        document_id = self.next_id()
        if kind == "pdf":
            self.pdfs[document_id] = data


def pdf_bytes(raw: bytes, document_id: str) -> bytes | None:
    """The bytes of one PDF attachment of a raw message, by its document id."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(raw)
    walker = _PdfCollector()
    walker.top_message(walker.plan(message, depth=0))
    return walker.pdfs.get(document_id)


def page_image(
    session: Session, settings: Settings, message_id: str, document_id: str, page: int
) -> Path:
    """The PNG of one PDF page, rendered by pdftoppm in a limited child and cached."""
    if not _DOCUMENT_ID.match(document_id) or not 1 <= page <= settings.pdf_max_pages:
        raise NotFound("no such page", code="page_not_found")
    folder = _cache_dir(settings, message_id, "pages")
    target = folder / f"{document_id}-p{page}-{PAGE_DPI}.png"
    if target.exists():
        return target
    raw = inbound.raw_bytes(session, message_id)
    pdf = pdf_bytes(raw, document_id) if raw is not None else None
    if pdf is None:
        raise NotFound("no such PDF in the message", code="document_not_found")
    _render_page(pdf, page, target, settings)
    return target


def _render_page(pdf: bytes, page: int, target: Path, settings: Settings) -> None:
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        source = Path(work, "doc.pdf")
        source.write_bytes(pdf)
        prefix = Path(work, "page")
        cpu_s, memory = settings.parse_cpu_s, settings.parse_memory_mb * 1024 * 1024

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        try:
            done = subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(PAGE_DPI),
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(source),
                    str(prefix),
                ],
                capture_output=True,
                timeout=settings.parse_timeout_s,
                preexec_fn=limits,
                check=False,
            )
        except FileNotFoundError as exc:
            raise Unavailable(
                "pdftoppm (poppler-utils) is not installed", code="renderer_missing"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise Unavailable("rendering the page took too long", code="render_timeout") from exc
        produced = prefix.with_suffix(".png")
        if done.returncode != 0 or not produced.exists():
            raise NotFound("the page could not be rendered", code="page_not_found")
        os.replace(produced, target)


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(tmp, path)

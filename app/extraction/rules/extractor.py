"""The offline rules extractor: reads every document of a message and assembles one order."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.extraction.rules import charges, header, party
from app.extraction.rules.address import find_ship_to, parse_address
from app.extraction.rules.classify import is_change, is_order
from app.extraction.rules.confidence import calibrate_header, line_confidence, lines_verified
from app.extraction.rules.currency import find_currency
from app.extraction.rules.dates import infer_day_order, year_of
from app.extraction.rules.labels import Candidate
from app.extraction.rules.layout import Token, has_zero_width, source_of
from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.reading import DocReading, decimal_comma_of, read_document
from app.extraction.rules.table_layout import ReadContext
from app.extraction.schema import Extracted, ExtractedLine, ExtractedOrder, SourceRef

V = TypeVar("V")
_EUROPEAN = re.compile(
    r"(?i)€|\bEUR\b|\bmenge\b|\bbestell|\bstück\b|\bcommande\b|\bquantité\b|"
    r"\bpedido\b|\bcantidad\b|\blieferung\b|\bmwst\b|\btva\b|\biva\b|£|\bGBP\b"
)


class RulesExtractor:
    """Layout- and language-aware rules; no model, no network. Unstated values stay None."""

    name = "rules"

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        """Read the message into an order; a value the message does not state stays None."""
        readings = _read_all(message)
        order = ExtractedOrder(extractor=self.name)
        main = max(readings, key=lambda r: r.line_score, default=None)
        if main is not None:
            order.lines = [_to_line(d, main) for d in main.drafts]
            order.warnings.extend(w for d in main.drafts for w in d.warnings)
        ordered = _by_priority(readings, main)
        _fill_header(order, ordered, message)
        _fill_charges(order, ordered)
        _classify(order, message, readings)
        _calibrate(order, main, _message_text(message))
        if order.is_order.value is False and not order.is_change.value:
            _clear_order(order)
        order.warnings.extend(_code_warnings(order))
        order.warnings = sorted(set(order.warnings))
        return order


def _documents(message: ParsedMessage) -> list[ParsedDocument]:
    docs = [d for d in message.documents if d.text.strip() or d.tables]
    if message.subject.strip():
        docs.append(
            ParsedDocument(document_id="subject", kind=DocumentKind.TEXT, text=message.subject)
        )
    return docs


def _read_all(message: ParsedMessage) -> list[DocReading]:
    docs = _documents(message)
    texts = [d.text for d in docs]
    order = infer_day_order(texts, european_hint=any(_EUROPEAN.search(t) for t in texts))
    year = year_of(message.sent_at)
    return [read_document(d, ReadContext(decimal_comma_of(d.text), order, year)) for d in docs]


def _by_priority(readings: list[DocReading], main: DocReading | None) -> list[DocReading]:
    """The document with the lines first, then the others, the subject last."""
    rest = [r for r in readings if r is not main and r.doc.document_id != "subject"]
    subject = [r for r in readings if r.doc.document_id == "subject"]
    return (
        ([main] if main is not None and main.drafts else [])
        + rest
        + subject
        + ([main] if main is not None and not main.drafts else [])
    )


def _extracted(cand: Candidate[V] | None, reading: DocReading) -> Extracted[V]:
    if cand is None:
        return Extracted()
    return Extracted(
        value=cand.value,
        confidence=round(min(cand.confidence, 0.99), 3),
        source=source_of(reading.layout, cand.tokens),
    )


def _first(
    readings: Sequence[DocReading], find: Callable[[DocReading], Candidate[V] | None]
) -> tuple[Candidate[V], DocReading] | None:
    """The first candidate any reading yields, in priority order."""
    for reading in readings:
        cand = find(reading)
        if cand is not None:
            return cand, reading
    return None


def _set(order: ExtractedOrder, name: str, hit: tuple[Candidate[V], DocReading] | None) -> None:
    if hit is not None:
        setattr(order, name, _extracted(hit[0], hit[1]))


def _fill_header(order: ExtractedOrder, readings: list[DocReading], message: ParsedMessage) -> None:
    _set(
        order,
        "customer_po_number",
        _first(readings, lambda r: header.find_po_number(r.layout, r.used_lines)),
    )
    _set(
        order,
        "order_date",
        _first(
            readings,
            lambda r: header.find_order_date(
                r.layout, r.used_lines, r.ctx.day_order, r.ctx.default_year
            ),
        ),
    )
    _set(
        order,
        "requested_delivery_date",
        _first(
            readings,
            lambda r: header.find_delivery_date(
                r.layout, r.used_lines, r.ctx.day_order, r.ctx.default_year
            ),
        ),
    )
    _set(
        order,
        "total",
        _first(readings, lambda r: header.find_total(r.layout, r.ctx.decimal_comma, r.used_lines)),
    )
    _set(order, "currency", _first(readings, lambda r: find_currency(r.layout)))
    _fill_ship_to(order, readings)
    _fill_customer(order, readings, message)


def _fill_ship_to(order: ExtractedOrder, readings: list[DocReading]) -> None:
    for reading in readings:
        block = find_ship_to(reading.layout, reading.used_lines)
        if block is None:
            continue
        address = parse_address(block.lines)
        located = address.city or address.postal_code or address.street
        order.ship_to = Extracted(
            value=address,
            confidence=0.7 if located else 0.4,
            source=source_of(reading.layout, block.tokens),
        )
        return


def _fill_customer(
    order: ExtractedOrder, readings: list[DocReading], message: ParsedMessage
) -> None:
    documents = [r for r in readings if r.doc.document_id != "subject"]
    finders: list[Callable[[DocReading], Candidate[str] | None]] = [
        lambda r: party.from_label(r.layout),
        lambda r: party.from_letterhead(r.layout),
        lambda r: party.from_bill_to(r.layout),
        lambda r: party.from_signature(r.layout),
    ]
    for finder in finders:
        hit = _first(documents, finder)
        if hit is not None:
            _set(order, "customer_name", hit)
            return
    name = party.from_sender_name(message.sender_name)
    if name:
        order.customer_name = Extracted(value=name, confidence=0.4)


def _fill_charges(order: ExtractedOrder, readings: list[DocReading]) -> None:
    """Stated tax, freight and other charges, from the first document that states each."""
    for name, find in (
        (
            "tax",
            lambda r: charges.find_charge(r.layout, charges.TAX, r.ctx.decimal_comma, r.used_lines),
        ),
        (
            "freight",
            lambda r: charges.find_charge(
                r.layout, charges.FREIGHT, r.ctx.decimal_comma, r.used_lines
            ),
        ),
        (
            "other_charges",
            lambda r: charges.other_charges(r.layout, r.ctx.decimal_comma, r.used_lines),
        ),
    ):
        _set(order, name, _first(readings, find))


def _message_text(message: ParsedMessage) -> str:
    """Everything a reader of the message can see: subject, texts and table cells."""
    parts = [message.subject]
    for doc in message.documents:
        parts.append(doc.text)
        parts += [" ".join(row) for table in doc.tables for row in table.rows]
    return "\n".join(parts)


def _calibrate(order: ExtractedOrder, main: DocReading | None, text: str) -> None:
    """Calibrated confidences: header fields by their evidence, lines by what checks them."""
    calibrate_header(order, text)
    if main is None or not main.drafts:
        return
    subtotal = charges.find_charge(
        main.layout, charges.SUBTOTAL, main.ctx.decimal_comma, main.used_lines
    )
    verified = lines_verified(main.drafts, order, subtotal.value if subtotal else None)
    if verified and order.total.value is not None:
        order.total.confidence = max(order.total.confidence, 0.97)
    change = bool(order.is_change.value)
    for line, draft in zip(order.lines, main.drafts, strict=True):
        conf = line_confidence(draft, main.method, verified=verified, change=change)
        for fld in (line.customer_item_code, line.description, line.quantity, line.unit_price):
            fld.confidence = conf if fld.value is not None else 0.0
        line.uom.confidence = round(conf * 0.9, 3) if line.uom.value is not None else 0.0


def _classify(order: ExtractedOrder, message: ParsedMessage, readings: list[DocReading]) -> None:
    texts = [message.subject] + [r.doc.text for r in readings]
    value, conf = is_order(
        texts, lines=len(order.lines), has_po_number=order.customer_po_number.value is not None
    )
    order.is_order = Extracted(value=value, confidence=conf)
    changed, conf = is_change(texts)
    order.is_change = Extracted(value=changed, confidence=conf)
    if changed and not value:  # a change to an order is order business, lines or not
        order.is_order = Extracted(value=True, confidence=min(conf, 0.9))


def _clear_order(order: ExtractedOrder) -> None:
    """A message that is not an order states no order fields and orders no lines."""
    for name in (*ExtractedOrder.SCORED_FIELDS, "tax", "freight", "other_charges"):
        setattr(order, name, getattr(order, name).__class__())
    order.lines = []


def _line_conf(draft: DraftLine) -> float:
    conf = draft.base_confidence + (0.2 if draft.arithmetic_ok() else 0.0)
    return round(min(conf, 0.95), 3)


def _field(value: V | None, conf: float, ref: SourceRef | None) -> Extracted[V]:
    if value is None:
        return Extracted()
    return Extracted(value=value, confidence=conf, source=ref)


def _to_line(draft: DraftLine, reading: DocReading) -> ExtractedLine:
    conf = _line_conf(draft)
    layout = reading.layout

    def ref(tokens: list[Token]) -> SourceRef:
        return source_of(layout, tokens) or SourceRef(document_id=layout.document_id)

    return ExtractedLine(
        customer_item_code=_field(draft.code, conf, ref(draft.code_tokens)),
        description=_field(draft.description_text, conf * 0.95, ref(draft.description_tokens)),
        quantity=_field(draft.quantity, conf, ref(draft.quantity_tokens)),
        uom=_field(draft.uom, conf * 0.9, ref(draft.uom_tokens)),
        unit_price=_field(draft.unit_price, conf, ref(draft.price_tokens)),
        requested_date=_field(draft.requested_date, conf * 0.9, ref(draft.date_tokens)),
    )


def _code_warnings(order: ExtractedOrder) -> list[str]:
    for line in order.lines:
        code = line.customer_item_code.value or ""
        if has_zero_width(code) or any(ord(c) > 127 and c.isalpha() for c in code):
            return ["confusable_chars"]
    return []

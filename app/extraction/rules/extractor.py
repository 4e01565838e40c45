"""The offline rules extractor: reads every document of a message and assembles one order."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TypeVar

from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.extraction.rules import header, party
from app.extraction.rules.address import find_ship_to, parse_address
from app.extraction.rules.classify import is_change, is_order
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
        _cross_check(order, main)
        _classify(order, message, readings)
        if order.is_order.value is False:
            _clear_header(order)
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


def _line_total(order: ExtractedOrder, main: DocReading) -> Decimal | None:
    amounts = [
        d.amount
        if d.amount is not None
        else (
            d.quantity * d.unit_price
            if d.quantity is not None and d.unit_price is not None
            else None
        )
        for d in main.drafts
    ]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal(0))


def _cross_check(order: ExtractedOrder, main: DocReading | None) -> None:
    """Lines that add up to the stated total make both more credible."""
    if main is None or order.total.value is None or not main.drafts:
        return
    summed = _line_total(order, main)
    if summed is not None and abs(summed - order.total.value) <= Decimal("0.01"):
        order.total.confidence = 0.97
        for line in order.lines:
            for fld in (line.quantity, line.unit_price, line.customer_item_code, line.description):
                if fld.value is not None:
                    fld.confidence = min(0.98, fld.confidence + 0.05)


def _classify(order: ExtractedOrder, message: ParsedMessage, readings: list[DocReading]) -> None:
    texts = [message.subject] + [r.doc.text for r in readings]
    value, conf = is_order(
        texts, lines=len(order.lines), has_po_number=order.customer_po_number.value is not None
    )
    order.is_order = Extracted(value=value, confidence=conf)
    changed, conf = is_change(texts)
    order.is_change = Extracted(value=changed, confidence=conf)


def _clear_header(order: ExtractedOrder) -> None:
    """A message that is not an order states no order fields."""
    for name in ExtractedOrder.SCORED_FIELDS:
        setattr(order, name, getattr(order, name).__class__())


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

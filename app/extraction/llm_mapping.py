"""From the model's answer to an ExtractedOrder, trusting the message text over the model.

A value's confidence comes from verification, never from the model's word about itself: a
value found in the message scores FOUND, one supported only by its quoted evidence scores
QUOTED, one that cannot be found drops to UNSUPPORTED with a warning, and a value the model
left empty scores nothing. Agreement with the rules extractor (app/extraction/combine.py) is
what can lift a field above the auto-approval threshold. The model's self-reported confidence
is kept only as information: a "model_unsure" warning when it reports below MODEL_UNSURE.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from app.documents.model import ParsedMessage
from app.extraction.llm_evidence import MessageText, Scalar, value_forms
from app.extraction.llm_schema import AddressAnswer, LineAnswer, OrderAnswer
from app.extraction.schema import Address, Extracted, ExtractedLine, ExtractedOrder, SourceRef

FOUND = 0.85  # a written form of the value occurs in the message
QUOTED = 0.7  # a normalised value (date, number) whose quoted evidence occurs in the message
UNSUPPORTED_CAP = 0.3  # neither the value nor its quote occurs in the message
UNVERIFIABLE = 0.5  # yes/no readings (is it an order, a change) the text cannot confirm
MODEL_UNSURE = 0.5  # self-reported confidence below this is reported, never used to route
INJECTION_WARNING = "possible_injection"

S = TypeVar("S")


class _Reader:
    """Verifies one answer's values against the message, collecting warnings."""

    def __init__(self, message: ParsedMessage) -> None:
        self.text = MessageText(message)
        self.warnings: list[str] = []

    def check(
        self,
        path: str,
        value: Scalar | None,
        reported: float,
        evidence: str | None,
        *,
        literal: bool = True,
        currency: bool = False,
    ) -> tuple[float, SourceRef | None]:
        """Verified confidence and source for one value (the model's `reported` is noted)."""
        if value is None:
            return 0.0, None
        forms = value_forms(value, currency=currency)
        if any(self.text.contains(form) for form in forms):
            confidence = FOUND
        elif self.text.supports(forms, evidence, literal=literal):
            confidence = QUOTED
        else:
            self.warnings.append(f"unsupported_value: {path}")
            confidence = UNSUPPORTED_CAP
        return confidence, self.text.locate(forms, evidence)


def to_extracted_order(answer: OrderAnswer, message: ParsedMessage) -> ExtractedOrder:
    """Map a validated answer onto ExtractedOrder, verifying every stated value."""
    reader = _Reader(message)
    order = ExtractedOrder(
        is_order=Extracted[bool](value=answer.is_order.value, confidence=UNVERIFIABLE),
        is_change=Extracted[bool](value=answer.is_change.value, confidence=UNVERIFIABLE),
        customer_name=_text(
            reader,
            "customer_name",
            answer.customer_name.value,
            answer.customer_name.confidence,
            answer.customer_name.evidence,
        ),
        customer_po_number=_text(
            reader,
            "customer_po_number",
            answer.customer_po_number.value,
            answer.customer_po_number.confidence,
            answer.customer_po_number.evidence,
        ),
        order_date=_date(
            reader,
            "order_date",
            answer.order_date.value,
            answer.order_date.confidence,
            answer.order_date.evidence,
        ),
        requested_delivery_date=_date(
            reader,
            "requested_delivery_date",
            answer.requested_delivery_date.value,
            answer.requested_delivery_date.confidence,
            answer.requested_delivery_date.evidence,
        ),
        currency=_currency(reader, answer),
        ship_to=_address(reader, answer.ship_to),
        lines=[_line(reader, i, line) for i, line in enumerate(answer.lines)],
        total=_amount(
            reader, "total", answer.total.value, answer.total.confidence, answer.total.evidence
        ),
        extractor="llm",
    )
    order.warnings.extend(reader.warnings + _unsure_warnings(answer) + _injection_warnings(answer))
    return order


def to_decimal(value: float) -> Decimal:
    """A JSON number as the Decimal its shortest decimal form spells (0.42, not 0.41999...)."""
    return Decimal(int(value)) if value == int(value) else Decimal(repr(value))


def _text(
    reader: _Reader, path: str, value: str | None, confidence: float, evidence: str | None
) -> Extracted[str]:
    value = (value.strip() or None) if value is not None else None
    conf, source = reader.check(path, value, confidence, evidence)
    return Extracted[str](value=value, confidence=conf, source=source)


def _date(
    reader: _Reader, path: str, value: date | None, confidence: float, evidence: str | None
) -> Extracted[date]:
    conf, source = reader.check(path, value, confidence, evidence, literal=False)
    return Extracted[date](value=value, confidence=conf, source=source)


def _amount(
    reader: _Reader, path: str, value: float | None, confidence: float, evidence: str | None
) -> Extracted[Decimal]:
    number = to_decimal(value) if value is not None else None
    conf, source = reader.check(path, number, confidence, evidence, literal=False)
    return Extracted[Decimal](value=number, confidence=conf, source=source)


def _currency(reader: _Reader, answer: OrderAnswer) -> Extracted[str]:
    code = (answer.currency.value or "").strip().upper() or None
    conf, source = reader.check(
        "currency",
        code,
        answer.currency.confidence,
        answer.currency.evidence,
        literal=False,
        currency=True,
    )
    return Extracted[str](value=code, confidence=conf, source=source)


def _address(reader: _Reader, answer: AddressAnswer) -> Extracted[Address]:
    parts = {
        "name": answer.name,
        "street": answer.street,
        "city": answer.city,
        "region": answer.region,
        "postal_code": answer.postal_code,
        "country": answer.country.strip().upper() if answer.country else None,
    }
    if not any(parts.values()):
        return Extracted[Address]()
    confidence, source = FOUND, None
    for key in ("street", "name", "city", "postal_code"):  # literal parts; region/country vary
        if parts[key] is None:
            continue
        conf, found = reader.check(f"ship_to.{key}", parts[key], answer.confidence, answer.evidence)
        confidence, source = min(confidence, conf), source or found
    return Extracted[Address](value=Address(**parts), confidence=confidence, source=source)


def _line(reader: _Reader, index: int, line: LineAnswer) -> ExtractedLine:
    def check(
        key: str, value: Scalar | None, *, literal: bool = True
    ) -> tuple[float, SourceRef | None]:
        return reader.check(
            f"lines[{index}].{key}", value, line.confidence, line.evidence, literal=literal
        )

    quantity = to_decimal(line.quantity) if line.quantity is not None else None
    price = to_decimal(line.unit_price) if line.unit_price is not None else None
    return ExtractedLine(
        customer_item_code=_build(
            Extracted[str],
            line.customer_item_code,
            check("customer_item_code", line.customer_item_code),
        ),
        description=_build(
            Extracted[str], line.description, check("description", line.description)
        ),
        quantity=_build(Extracted[Decimal], quantity, check("quantity", quantity, literal=False)),
        uom=_build(Extracted[str], line.uom, check("uom", line.uom)),
        unit_price=_build(Extracted[Decimal], price, check("unit_price", price, literal=False)),
        requested_date=_build(
            Extracted[date],
            line.requested_date,
            check("requested_date", line.requested_date, literal=False),
        ),
    )


def _build(
    kind: type[Extracted[S]], value: S | None, checked: tuple[float, SourceRef | None]
) -> Extracted[S]:
    return kind(value=value, confidence=checked[0], source=checked[1])


def _unsure_warnings(answer: OrderAnswer) -> list[str]:
    """Where the model said it was unsure: information for the reviewer, not for routing."""
    reported: list[tuple[str, float]] = [
        (name, getattr(answer, name).confidence)
        for name in (
            "customer_name",
            "customer_po_number",
            "order_date",
            "requested_delivery_date",
            "currency",
            "total",
        )
        if getattr(answer, name).value is not None
    ]
    reported.append(("ship_to", answer.ship_to.confidence))
    reported += [(f"lines[{i}]", line.confidence) for i, line in enumerate(answer.lines)]
    return [f"model_unsure: {path} ({conf:.2f})" for path, conf in reported if conf < MODEL_UNSURE]


def _injection_warnings(answer: OrderAnswer) -> list[str]:
    passages = [p.strip() for p in answer.suspicious_instructions if p.strip()]
    if not passages:
        return []
    return [INJECTION_WARNING, *(f"injection: {' '.join(p.split())[:160]}" for p in passages)]

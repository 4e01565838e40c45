"""A small purchase order message and the model answer that reads it right."""

from __future__ import annotations

import copy
from typing import Any

from app.documents.model import BBox, DocumentKind, ParsedDocument, ParsedMessage, Word

PO_TEXT = (
    "Harbor Marine Supply Co.\n"
    "Purchase Order HMS-20931   Date: 11/03/2026\n"
    "Ship to: Harbor Marine - Dock 4, 1200 Pier Road, Tacoma, WA 98421\n"
    "Item      Description                 Qty  UoM  Price\n"
    "HM-7781   Stainless hex bolt M8x40    200  EA   0.42\n"
    "Total: $84.00 USD\n"
)


def _words(text: str) -> list[Word]:
    words, offset = [], 0
    for line_no, line in enumerate(text.split("\n")):
        start = 0
        for token in line.split():
            start = line.index(token, start)
            x0 = 10.0 * start
            words.append(
                Word(
                    text=token,
                    page=1,
                    bbox=BBox(
                        x0=x0,
                        top=20.0 * line_no,
                        x1=x0 + 10.0 * len(token),
                        bottom=20.0 * line_no + 12,
                    ),
                    start=offset + start,
                    end=offset + start + len(token),
                )
            )
            start += len(token)
        offset += len(line) + 1
    return words


def po_message(text: str = PO_TEXT, *, subject: str = "PO HMS-20931") -> ParsedMessage:
    """A message whose one PDF attachment holds `text` (with word boxes)."""
    document = ParsedDocument(
        document_id="att-1",
        kind=DocumentKind.PDF,
        filename="po.pdf",
        text=text,
        pages=1,
        words=_words(text),
    )
    return ParsedMessage(
        subject=subject,
        sender="buyer@harbormarine.example",
        sent_at="2026-11-04T09:12:00+00:00",
        documents=[document],
    )


_ANSWER: dict[str, Any] = {
    "is_order": {"value": True, "confidence": 0.97, "evidence": "Purchase Order HMS-20931"},
    "is_change": {"value": False, "confidence": 0.9, "evidence": None},
    "customer_name": {
        "value": "Harbor Marine Supply Co.",
        "confidence": 0.99,
        "evidence": "Harbor Marine Supply Co.",
    },
    "customer_po_number": {
        "value": "HMS-20931",
        "confidence": 0.98,
        "evidence": "Purchase Order HMS-20931",
    },
    "order_date": {"value": "2026-11-03", "confidence": 0.9, "evidence": "Date: 11/03/2026"},
    "requested_delivery_date": {"value": None, "confidence": 0.8, "evidence": None},
    "currency": {"value": "USD", "confidence": 0.9, "evidence": "$84.00 USD"},
    "ship_to": {
        "name": "Harbor Marine - Dock 4",
        "street": "1200 Pier Road",
        "city": "Tacoma",
        "region": "WA",
        "postal_code": "98421",
        "country": "US",
        "confidence": 0.9,
        "evidence": "Harbor Marine - Dock 4, 1200 Pier Road, Tacoma, WA 98421",
    },
    "lines": [
        {
            "customer_item_code": "HM-7781",
            "description": "Stainless hex bolt M8x40",
            "quantity": 200,
            "uom": "EA",
            "unit_price": 0.42,
            "requested_date": None,
            "confidence": 0.9,
            "evidence": "HM-7781   Stainless hex bolt M8x40    200  EA   0.42",
        }
    ],
    "total": {"value": 84.0, "confidence": 0.9, "evidence": "Total: $84.00"},
    "suspicious_instructions": [],
}


def po_answer(**overrides: Any) -> dict[str, Any]:
    """The right answer for po_message(), with top-level keys replaced by `overrides`."""
    answer = copy.deepcopy(_ANSWER)
    answer.update(overrides)
    return answer


def bad_line(**overrides: Any) -> dict[str, Any]:
    """The answer's one line with fields replaced (to break the schema)."""
    line: dict[str, Any] = copy.deepcopy(_ANSWER["lines"][0])
    line.update(overrides)
    return line

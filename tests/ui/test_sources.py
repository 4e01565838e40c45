"""Source highlighting: spans into escaped-text segments, boxes onto pages, PDF bytes by id."""

from __future__ import annotations

from email.message import EmailMessage

from app.documents import parse_message
from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.ui import sources
from app.ui.sources import FieldSource
from tests.ui.seed import CASES, PDF_CASE


def test_segments_cut_at_every_boundary_with_overlapping_keys() -> None:
    spans = [
        FieldSource("a", "A", "body", start=0, end=5),
        FieldSource("b", "B", "body", start=3, end=8),
        FieldSource("bad", "X", "body", start=7, end=99),
    ]
    out = sources.segments("0123456789", spans)
    assert [(s.text, s.keys) for s in out] == [
        ("012", ("a",)),
        ("34", ("a", "b")),
        ("567", ("b",)),
        ("89", ()),
    ]


def test_field_sources_from_an_extraction() -> None:
    extraction = {
        "customer_po_number": {
            "value": "PO-1",
            "confidence": 0.9,
            "source": {
                "document_id": "att-1",
                "page": 1,
                "x0": 1,
                "top": 2,
                "x1": 3,
                "bottom": 4,
                "start": 5,
                "end": 9,
            },
        },
        "currency": {"value": None, "confidence": 0.0, "source": None},
        "lines": [
            {
                "quantity": {
                    "value": "3",
                    "confidence": 0.8,
                    "source": {"document_id": "body", "start": 10, "end": 11},
                }
            }
        ],
    }
    found = {s.key: s for s in sources.field_sources(extraction)}
    assert set(found) == {"customer_po_number", "line-1-quantity"}
    assert found["customer_po_number"].box == (1.0, 2.0, 3.0, 4.0)
    assert found["line-1-quantity"].box is None and found["line-1-quantity"].start == 10


def test_pdf_pages_get_boxes_and_the_busiest_document_comes_first() -> None:
    pdf = ParsedDocument(
        document_id="att-1", kind=DocumentKind.PDF, pages=1, page_sizes=[(612.0, 792.0)]
    )
    body = ParsedDocument(document_id="body", kind=DocumentKind.BODY_TEXT, text="see attached")
    views = sources.document_views(
        ParsedMessage(documents=[body, pdf]),
        [FieldSource("total", "Total", "att-1", page=1, box=(10, 20, 30, 20))],
    )
    assert [v.document_id for v in views] == ["att-1", "body"]
    box = views[0].pages[0].boxes[0]
    assert (box.x, box.y, box.width, box.height) == (10, 20, 20, 1.0)
    assert views[1].segments[0].text == "see attached"


def test_pdf_bytes_are_found_by_the_parser_s_document_id() -> None:
    raw = (CASES / PDF_CASE / "message.eml").read_bytes()
    parsed = parse_message(raw)
    pdf_ids = [d.document_id for d in parsed.documents if d.kind == DocumentKind.PDF]
    assert pdf_ids
    for document_id in pdf_ids:
        data = sources.pdf_bytes(raw, document_id)
        assert data is not None and data.startswith(b"%PDF")
    assert sources.pdf_bytes(raw, "body") is None


def test_pdf_numbering_follows_the_parser_after_other_attachments() -> None:
    raw = (CASES / PDF_CASE / "message.eml").read_bytes()
    pdf = sources.pdf_bytes(raw, "att-1")
    assert pdf is not None
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "a@b.example", "two files"
    msg.set_content("see both")
    msg.add_attachment(b"sku,qty\nA,1\n", maintype="text", subtype="csv", filename="a.csv")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="po.pdf")
    both = msg.as_bytes()
    kinds = {d.document_id: d.kind for d in parse_message(both).documents}
    assert kinds["att-2"] == DocumentKind.PDF
    assert sources.pdf_bytes(both, "att-2") == pdf and sources.pdf_bytes(both, "att-1") is None

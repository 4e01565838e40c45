"""Unit tests of the rules extractor's small readers: numbers, dates, prose, tables, labels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.documents.model import BBox, DocumentKind, ParsedDocument, ParsedMessage, Table, Word
from app.extraction.rules import RulesExtractor
from app.extraction.rules.address import parse_address
from app.extraction.rules.dates import find_dates, infer_day_order, parse_date
from app.extraction.rules.grid import read_table
from app.extraction.rules.layout import undouble
from app.extraction.rules.numbers import number_from_words, parse_number
from app.extraction.rules.prose import read_prose_line


@pytest.mark.parametrize(
    ("text", "comma", "want"),
    [
        ("1,234.56", None, "1234.56"),
        ("1.234,56", None, "1234.56"),
        ("12,5", None, "12.5"),
        ("1,234", None, "1234"),
        ("1,234", True, "1.234"),
        ("1.234", True, "1234"),
        ("0.125", None, "0.125"),
        ("$1,175.00", None, "1175.00"),
        ("€ 12,00", None, "12.00"),
        ("US$ 99.5", None, "99.5"),
        ("1 234,50", None, "1234.50"),
        ("(12.00)", None, "-12.00"),
    ],
)
def test_parse_number(text: str, comma: bool | None, want: str) -> None:
    assert parse_number(text, decimal_comma=comma) == Decimal(want)


@pytest.mark.parametrize("text", ["abc", "6/7/2017", "", "１２", "٣٤"])
def test_parse_number_refuses(text: str) -> None:
    assert parse_number(text) is None


def test_number_words() -> None:
    assert number_from_words("twelve") == 12
    assert number_from_words("a dozen") == 12
    assert number_from_words("twenty five") == 25
    assert number_from_words("many") is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("11/3/2026", date(2026, 11, 3)),
        ("03.11.2026", date(2026, 11, 3)),
        ("3 Nov 2026", date(2026, 11, 3)),
        ("November 3, 2026", date(2026, 11, 3)),
        ("3. November 2026", date(2026, 11, 3)),
        ("le 3 novembre 2026", date(2026, 11, 3)),
        ("3 de noviembre de 2026", date(2026, 11, 3)),
        ("6/7/17", date(2017, 6, 7)),
    ],
)
def test_parse_date(text: str, want: date) -> None:
    assert parse_date(text) == want


def test_date_without_year_takes_the_message_year() -> None:
    found = find_dates("deliver by 15 March", default_year=2026)
    assert found[0].value == date(2026, 3, 15)
    assert not found[0].has_year


def test_day_order_from_unambiguous_dates() -> None:
    assert infer_day_order(["24/12/2026", "05/06/2026"]) == "DMY"
    assert infer_day_order(["12/24/2026"]) == "MDY"
    assert infer_day_order(["05/06/2026"], european_hint=True) == "DMY"
    assert parse_date("05/06/2026", order="DMY") == date(2026, 6, 5)


@pytest.mark.parametrize(
    ("text", "qty", "uom", "code", "price"),
    [
        ("Please send 12 x Hex bolt M8x40 (SKU HM-7781) @ $0.42 each", 12, None, "HM-7781", "0.42"),
        ("we need 5 cases of copy paper A4", 5, "cases", None, None),
        ("- 3 boxes of 12 blue pens, item# BP-100", 3, "boxes of 12", "BP-100", None),
        ("Widget Pro 3000 - qty 4", 4, None, None, None),
        ("10 Stk. Schrauben M6 Art.-Nr. 4711-06 à 0,15 €", 10, "Stk", "4711-06", "0.15"),
        ("I'd like twelve widgets", 12, None, None, None),
        ("HX-2201 x 6", 6, None, "HX-2201", None),
    ],
)
def test_prose_lines(
    text: str, qty: int, uom: str | None, code: str | None, price: str | None
) -> None:
    draft = read_prose_line(text, None)
    assert draft is not None
    assert draft.quantity == qty
    assert draft.uom == uom
    assert draft.code == code
    assert draft.unit_price == (Decimal(price) if price else None)


@pytest.mark.parametrize(
    "text",
    [
        "2 weeks lead time is fine",
        "1200 Pier Road",
        "We need delivery by 3 Nov",
        "Thanks, see you on 12 May",
    ],
)
def test_prose_ignores_sentences_that_order_nothing(text: str) -> None:
    assert read_prose_line(text, None) is None


def test_non_ascii_digits_are_not_converted() -> None:
    draft = read_prose_line("٣ x Widget W-1", None)
    assert draft is not None
    assert draft.quantity is None
    assert "non_ascii_digits" in draft.warnings


def test_undouble_fake_bold() -> None:
    assert undouble("BBLLOOCCKK,,") == "BLOCK,"
    assert undouble("IIIttteeemmm") == "Item"
    assert undouble("1100") == "1100"
    assert undouble("BOOK") == "BOOK"


def test_grid_table_with_header_row() -> None:
    table = Table(
        rows=[
            ["Pos", "Artikel-Nr", "Bezeichnung", "Menge", "Einheit", "Preis"],
            ["1", "A-17", "Dichtring 40mm", "1.000", "Stk", "0,15"],
            ["", "", "Summe", "", "", "150,00"],
        ],
        header_row=0,
    )
    drafts = read_table(table, True)
    assert len(drafts) == 1
    assert drafts[0].code == "A-17"
    assert drafts[0].quantity == 1000
    assert drafts[0].uom == "Stk"
    assert drafts[0].unit_price == Decimal("0.15")


def _word(text: str, x0: float, top: float, start: int, page: int = 1) -> Word:
    return Word(
        text=text,
        page=page,
        bbox=BBox(x0=x0, top=top, x1=x0 + 5.5 * len(text), bottom=top + 9),
        start=start,
        end=start + len(text),
    )


def _pdf_like(rows: list[list[tuple[str, float]]]) -> ParsedDocument:
    words, pos = [], 0
    for r, row in enumerate(rows):
        for text, x in row:
            words.append(_word(text, x, 100 + r * 14, pos))
            pos += len(text) + 1
    return ParsedDocument(
        document_id="att-1",
        kind=DocumentKind.PDF,
        text="x" * pos,
        words=words,
        pages=1,
        page_sizes=[(612, 792)],
    )


def test_positioned_table_with_header_columns_and_continuations() -> None:
    doc = _pdf_like(
        [
            [("Order", 40), ("No:", 75), ("77-100", 100)],
            [
                ("Item", 40),
                ("Description", 120),
                ("Qty", 330),
                ("UOM", 380),
                ("Price", 410),
                ("Amount", 480),
            ],
            [
                ("BX-1", 40),
                ("Bracket,", 120),
                ("steel", 170),
                ("4", 335),
                ("EA", 380),
                ("12.50", 410),
                ("50.00", 485),
            ],
            [("galvanised", 120)],
            [("CL-9", 40), ("Clamp", 120), ("10", 333), ("EA", 380), ("1.10", 415), ("11.00", 485)],
            [("Total", 410), ("61.00", 485)],
        ]
    )
    order = RulesExtractor().extract(ParsedMessage(documents=[doc]))
    assert [ln.customer_item_code.value for ln in order.lines] == ["BX-1", "CL-9"]
    assert order.lines[0].description.value == "Bracket, steel galvanised"
    assert order.lines[0].quantity.value == 4
    assert order.lines[1].unit_price.value == Decimal("1.10")
    assert order.customer_po_number.value == "77-100"
    assert order.total.value == Decimal("61.00")
    assert order.total.confidence > 0.9  # the lines add up to it
    ref = order.lines[0].quantity.source
    assert ref is not None and ref.page == 1 and ref.x0 is not None


def test_confusable_item_code_is_kept_raw_and_flagged() -> None:
    text = "PO: 5521\n\nPlease send 4 x widget SKU AB\u200b-100\n"
    doc = ParsedDocument(document_id="body", kind=DocumentKind.BODY_TEXT, text=text)
    order = RulesExtractor().extract(ParsedMessage(documents=[doc]))
    assert order.lines[0].customer_item_code.value == "AB\u200b-100"
    assert "confusable_chars" in order.warnings


def test_non_ascii_quantity_in_a_table_is_left_empty() -> None:
    text = "Item | Description | Qty | Price\nA-1 | Widget | ١٢ | 2.00\nA-2 | Gadget | 3 | 1.00\n"
    doc = ParsedDocument(document_id="body", kind=DocumentKind.BODY_TEXT, text=text)
    order = RulesExtractor().extract(ParsedMessage(documents=[doc]))
    assert order.lines[0].quantity.value is None
    assert "non_ascii_digits" in order.warnings


def test_nothing_stated_stays_none() -> None:
    doc = ParsedDocument(document_id="body", kind=DocumentKind.BODY_TEXT, text="Hello, call me.")
    order = RulesExtractor().extract(ParsedMessage(documents=[doc]))
    assert order.lines == []
    assert order.customer_po_number.value is None
    assert order.total.value is None
    assert order.is_order.value is False


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["Harbor Marine - Dock 4", "1200 Pier Road", "Tacoma, WA 98421"],
            ("Harbor Marine - Dock 4", "1200 Pier Road", "Tacoma", "WA", "98421", None),
        ),
        (
            ["Müller GmbH", "Hauptstraße 12", "D-80331 München", "Deutschland"],
            ("Müller GmbH", "Hauptstraße 12", "München", None, "80331", "DE"),
        ),
        (
            ["1200 So. Rogers Circle, Boca Raton, FL 33487"],
            (None, "1200 So. Rogers Circle", "Boca Raton", "FL", "33487", None),
        ),
        (
            ["Acme Ltd", "Unit 5, Riverside Park", "London SW1A 1AA", "United Kingdom"],
            ("Acme Ltd", "Unit 5, Riverside Park", "London", None, "SW1A 1AA", "GB"),
        ),
        (
            ["Plant 2", "880 Industrial Pkwy N", "Elyria, OH 44035", "U.S.A."],
            ("Plant 2", "880 Industrial Pkwy N", "Elyria", "OH", "44035", "US"),
        ),
    ],
)
def test_parse_address(lines: list[str], want: tuple[str | None, ...]) -> None:
    a = parse_address(lines)
    assert (a.name, a.street, a.city, a.region, a.postal_code, a.country) == want


def test_change_wording_in_printed_terms_is_not_a_change() -> None:
    from app.extraction.rules.classify import is_change

    terms = "PO 1234\n" + "x" * 300 + "\nTERMS AND CONDITIONS\nBuyer may cancel this order or "
    terms += "issue a change order; any cancellation of this order must be in writing."
    assert is_change([terms])[0] is False
    assert is_change(["AMENDMENT NO. 1: THIS IS NOT A NEW ORDER"])[0] is True
    assert is_change(["Hi, please cancel our PO 1234."])[0] is True

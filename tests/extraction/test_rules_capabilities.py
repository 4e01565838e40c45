"""Rules extractor capabilities on small hand-written inputs (not copies of dataset files)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.drafts.facts import document_confidence
from app.extraction.rules import RulesExtractor
from app.extraction.rules.charges import DISCOUNT, FREIGHT, SUBTOTAL, TAX, find_charge
from app.extraction.rules.classify import is_change
from app.extraction.rules.dates import find_dates
from app.extraction.rules.item_line import read_item_line
from app.extraction.rules.layout import Layout, build_layout
from app.extraction.rules.prose import read_clauses
from app.extraction.rules.vocabulary import second_quantity_is_unit
from app.extraction.schema import ExtractedOrder


def _message(body: str, subject: str = "") -> ParsedMessage:
    doc = ParsedDocument(document_id="body", kind=DocumentKind.BODY_TEXT, text=body)
    return ParsedMessage(subject=subject, documents=[doc], sent_at="2027-03-01T09:00:00+00:00")


def _layout(text: str) -> Layout:
    return build_layout(ParsedDocument(document_id="d", kind=DocumentKind.TEXT, text=text))


# ---------------------------------------------------------------- item lines without a header


def test_pipe_line_with_bare_quantity() -> None:
    draft = read_item_line("QX-4410 | Safety glasses, clear | 36", None)
    assert draft is not None
    assert (draft.code, draft.description_text, draft.quantity, draft.uom) == (
        "QX-4410",
        "Safety glasses, clear",
        Decimal(36),
        None,
    )


def test_pipe_line_with_unit_after_quantity() -> None:
    draft = read_item_line("MT88120 | Duct tape, silver | 4 CS", None)
    assert draft is not None and draft.quantity == 4 and draft.uom == "CS"


def test_at_price_notation_with_single_spaces() -> None:
    draft = read_item_line("ZK-77 Grinding disc 7 in 15 PK @ 3.25", None)
    assert draft is not None
    assert (draft.code, draft.quantity, draft.uom, draft.unit_price) == (
        "ZK-77",
        Decimal(15),
        "PK",
        Decimal("3.25"),
    )
    assert draft.description_text == "Grinding disc 7 in"


def test_qty_label_first_and_price_with_symbol() -> None:
    draft = read_item_line("Qty 7   BR-220  Wire brush, brass   $4.10", None)
    assert draft is not None
    assert (draft.code, draft.quantity, draft.unit_price) == ("BR-220", Decimal(7), Decimal("4.10"))


def test_line_number_code_quantity_price_amount() -> None:
    draft = read_item_line("3     VL-901     Ball valve 1 in      5      12.40      62.00", None)
    assert draft is not None
    assert (draft.code, draft.quantity, draft.unit_price, draft.amount) == (
        "VL-901",
        Decimal(5),
        Decimal("12.40"),
        Decimal("62.00"),
    )
    assert draft.arithmetic_ok()


def test_address_and_total_lines_are_not_items() -> None:
    assert read_item_line("77 Harbour Way  Portland  OR 97209", None) is None
    assert read_item_line("Total   1,250.00", None) is None


# ---------------------------------------------------------------- items inside sentences


def test_items_inside_a_sentence_with_and() -> None:
    drafts = read_clauses("could you ship 6 x TT-310 torch tips and a dozen GL-12 gloves", None)
    expected = [("TT-310", Decimal(6)), ("GL-12", Decimal(12))]
    assert [(d.code, d.quantity) for d in drafts] == expected


def test_quantity_words_in_spanish() -> None:
    drafts = read_clauses("necesitamos ocho brocas BR-5 y tres cajas de tornillos TN-8.", None)
    assert [(d.code, d.quantity) for d in drafts] == [("BR-5", Decimal(8)), ("TN-8", Decimal(3))]
    assert drafts[1].uom == "cajas"


def test_sentence_without_an_item_gives_nothing() -> None:
    assert read_clauses("We close at 5 pm on Fridays and open at 8.", None) == []


# ---------------------------------------------------------------- dates, labels, charges


def test_day_month_name_year_with_hyphens() -> None:
    assert find_dates("Date: 07-Mar-2027")[0].value == date(2027, 3, 7)
    assert find_dates("14.Okt.27")[0].value == date(2027, 10, 14)


def test_units_label_beside_a_quantity_label_is_the_unit() -> None:
    roles = second_quantity_is_unit(["Item", "Qty", "Units"], ["code", "quantity", "quantity"])
    assert roles == ["code", "quantity", "uom"]


def test_stated_charges_are_read_by_label() -> None:
    layout = _layout(
        "Subtotal        410.00\nSales Tax (7%)   28.70\nShipping & Handling  15.00\n"
        "Discount  -5.00\nFreight collect\nTotal  448.70\n"
    )
    assert find_charge(layout, SUBTOTAL, None, set()).value == Decimal("410.00")  # type: ignore[union-attr]
    assert find_charge(layout, TAX, None, set()).value == Decimal("28.70")  # type: ignore[union-attr]
    assert find_charge(layout, FREIGHT, None, set()).value == Decimal("15.00")  # type: ignore[union-attr]
    assert find_charge(layout, DISCOUNT, None, set()) is not None


def test_forwarded_quote_marks_are_read_as_text() -> None:
    layout = _layout("FYI\n---------- Forwarded message ---------\n> PO Number: 5521\n")
    assert layout.lines[-1].text == "PO Number: 5521"
    assert layout.lines[-1].tokens[0].x0 == 0


# ---------------------------------------------------------------- classification


def test_change_request_is_a_change_with_high_confidence() -> None:
    changed, conf = is_change(
        ["Please amend PO 8812: qty of AX-1 should be 40, not 20. This is a change order."]
    )
    assert changed and conf >= 0.93


def test_plain_order_is_not_a_change() -> None:
    changed, conf = is_change(["Please ship 4 ea AX-1 on PO 8812."])
    assert not changed and conf >= 0.9


def test_change_request_keeps_po_number_without_lines() -> None:
    order = RulesExtractor().extract(
        _message(
            "Hello,\n\nPlease change PO 66120: quantity of KV-3 should be 8, not 4.\n"
            "This is a change order.\n\nThanks"
        )
    )
    assert order.is_change.value is True and order.is_change.confidence >= 0.93
    assert order.customer_po_number.value == "66120"


def test_non_order_has_no_lines_or_fields() -> None:
    order = RulesExtractor().extract(
        _message(
            "Spring newsletter! 20 x LED-9 lamps at $4.00 each. Unsubscribe here.", "Newsletter"
        )
    )
    assert order.is_order.value is False
    assert order.lines == [] and order.total.value is None


# ---------------------------------------------------------------- whole messages and confidence


_TABLE_ORDER = """Purchase Order
PO Number: HB-3391
Order Date: 2027-02-26
Ship to: Harbour Bakery, 18 Quay Street, Bristol, ME 04539

SKU        Description                  Qty   UOM   Unit Price   Amount
QB-101     Mixing bowl, steel, 8 qt       4   EA         22.50    90.00
QB-220     Dough scraper                 10   EA          3.00    30.00

Subtotal   120.00
Tax          9.60
Total      129.60
"""


def test_text_table_with_charges_is_confident_and_consistent() -> None:
    order = RulesExtractor().extract(_message(_TABLE_ORDER))
    assert [(ln.customer_item_code.value, ln.quantity.value) for ln in order.lines] == [
        ("QB-101", Decimal(4)),
        ("QB-220", Decimal(10)),
    ]
    assert order.tax.value == Decimal("9.60") and order.total.value == Decimal("129.60")
    assert order.ship_to.value is not None and order.ship_to.value.postal_code == "04539"
    assert document_confidence(order) >= 0.93


def test_prose_order_without_checks_stays_below_auto_approval() -> None:
    order = RulesExtractor().extract(_message("Hi, please send 12 x QB-101 mixing bowls. PO 7781"))
    assert order.lines and order.lines[0].quantity.value == 12
    assert document_confidence(order) < 0.9


def test_absent_fields_carry_a_confidence_that_null_is_right() -> None:
    order = RulesExtractor().extract(_message("Hi, please send 12 x QB-101 mixing bowls."))
    assert order.total.value is None and order.total.confidence > 0.5
    assert isinstance(order, ExtractedOrder)

"""The approve form read into DraftEdits: only what changed, and readable errors."""

from __future__ import annotations

from decimal import Decimal

from app.drafts.tables import DraftLine, DraftOrder
from app.ui.forms import edits_from_form
from app.ui.views import form_defaults


def _draft() -> tuple[DraftOrder, list[DraftLine]]:
    draft = DraftOrder(
        id="dr_1",
        inbound_message_id="m",
        thread_id="m",
        customer_id="C1",
        customer_po_number="PO-1",
        extraction={"requested_delivery_date": {"value": "2026-12-01"}},
        resolution={"ship_to": {"value": "C1-1"}},
    )
    lines = [
        DraftLine(
            draft_id="dr_1", line_no=1, sku="A", quantity=Decimal("10"), unit_price=Decimal("2.5")
        ),
        DraftLine(draft_id="dr_1", line_no=2, sku=None, quantity=Decimal("1")),
    ]
    return draft, lines


def test_an_unchanged_form_is_no_edit() -> None:
    draft, lines = _draft()
    result = edits_from_form(form_defaults(draft, lines), draft, lines)
    assert not result.errors and result.edits.is_empty()


def test_changes_become_edits() -> None:
    draft, lines = _draft()
    form = {
        **form_defaults(draft, lines),
        "line-1-quantity": "12",
        "line-1-unit_price": "2.40",
        "line-1-price_reason": "agreed by phone",
        "line-2-sku": "B",
        "line-2-sku_other": "",
        "ship_to_id": "C1-2",
        "requested_delivery_date": "2026-12-05",
        "new-sku": "C",
        "new-quantity": "3",
    }
    edits = edits_from_form(form, draft, lines).edits
    assert edits.ship_to_id == "C1-2" and str(edits.requested_delivery_date) == "2026-12-05"
    first, second, added = edits.lines
    assert (first.line_no, first.quantity, first.unit_price) == (1, Decimal("12"), Decimal("2.40"))
    assert first.price_override_reason == "agreed by phone"
    assert (second.line_no, second.sku) == (2, "B")
    assert (added.line_no, added.sku, added.quantity) == (None, "C", Decimal("3"))


def test_remove_wins_and_errors_are_plain() -> None:
    draft, lines = _draft()
    removed = edits_from_form({"line-1-remove": "1", "line-1-quantity": "0"}, draft, lines)
    assert removed.edits.lines[0].remove
    bad = edits_from_form(
        {
            "line-1-quantity": "0",
            "line-2-quantity": "x",
            "new-quantity": "2",
            "requested_delivery_date": "soon",
        },
        draft,
        lines,
    )
    assert any("Line 1" in e and "greater than 0" in e for e in bad.errors)
    assert any("'x' is not a number" in e for e in bad.errors)
    assert any("New line" in e for e in bad.errors)
    assert any("not a date" in e for e in bad.errors)

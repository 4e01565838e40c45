"""Item 11: digits that are not ASCII and item codes with invisible or look-alike characters
are flagged and sent to a person, never converted silently (Decimal("١٠") == 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.extraction.factory import rules_extractor
from app.extraction.schema import ExtractedOrder
from graphs.state import OrderState
from tests.graphs.test_graph import CLEAN, FakeExtractor, email, line, order
from tests.security.conftest import ContextFactory, process


def _flags(state: OrderState) -> list[str]:
    assert state.facts is not None
    return [p for p in state.facts.parse_problems if p.startswith("suspicious_characters")]


def _in_review(state: OrderState) -> None:
    assert state.route is not None and state.route.decision == "review"
    assert "parse_failure" in state.route.reasons, state.route.reasons


def test_the_clean_order_is_approved(make_ctx: ContextFactory) -> None:
    state = process(make_ctx(), email(), FakeExtractor(CLEAN))
    assert state.route is not None and state.route.decision == "auto" and not _flags(state)


@pytest.mark.parametrize(
    "code",
    ["ABR\u200b-1015", "ABR-1015\u202e", "АBR-1015", "ＡＢＲ-1015", "ABR-1０15"],
    ids=["zero_width_space", "bidi_override", "cyrillic_A", "fullwidth", "fullwidth_digit"],
)
def test_confusable_item_codes_go_to_review_as_written(make_ctx: ContextFactory, code: str) -> None:
    extracted: ExtractedOrder = order(line(code, 10), line("CHM-1020", 12))
    state = process(make_ctx(), email(), FakeExtractor(extracted))

    _in_review(state)
    assert _flags(state) == ["suspicious_characters: confusable_chars"]
    assert state.extracted is not None
    assert state.extracted.lines[0].customer_item_code.value == code  # kept as written


@pytest.mark.parametrize(
    "digits", ["١٠", "۱۰", "१०", "１０"], ids=["arabic_indic", "persian", "devanagari", "fullwidth"]
)
def test_non_ascii_digits_in_the_message_go_to_review(
    make_ctx: ContextFactory, digits: str
) -> None:
    # Whatever the extractor made of them (here: a clean 10), the message is flagged.
    body = f"Please send {digits} x ABR-1015 and 12 x CHM-1020."
    state = process(make_ctx(), email(body=body), FakeExtractor(CLEAN))

    _in_review(state)
    assert _flags(state) == ["suspicious_characters: non_ascii_digits"]


@pytest.mark.slow
def test_the_rules_extractor_does_not_convert_non_ascii_quantities(
    make_ctx: ContextFactory,
) -> None:
    body = (
        "PO GLF-77001\n\nSKU        Description                 Qty  UOM\n"
        "ABR-1015   Chop Saw Wheel              ١٠   EA\n"
        "CHM-1020   Lithium grease cartridge    12   EA\n"
    )
    state = process(make_ctx(), email(body=body), rules_extractor())

    _in_review(state)
    assert state.extracted is not None
    quantities = {ln.customer_item_code.value: ln.quantity.value for ln in state.extracted.lines}
    assert quantities.get("ABR-1015") != Decimal(10)  # never silently 10
    assert "suspicious_characters: non_ascii_digits" in _flags(state)

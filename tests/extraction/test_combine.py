"""combine(): agreement raises confidence, disagreement lowers it, lines pair by code/text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.extraction.combine import combine, combine_field
from app.extraction.schema import Extracted, ExtractedLine, ExtractedOrder, SourceRef

SRC = SourceRef(document_id="att-1", start=0, end=5)


def _text(value: str | None, confidence: float, source: SourceRef | None = None) -> Extracted[str]:
    return Extracted[str](value=value, confidence=confidence, source=source)


def _line(
    code: str | None, description: str, quantity: int, confidence: float = 0.8
) -> ExtractedLine:
    return ExtractedLine(
        customer_item_code=_text(code, confidence),
        description=_text(description, confidence),
        quantity=Extracted[Decimal](value=Decimal(quantity), confidence=confidence),
    )


def test_agreement_raises_confidence() -> None:
    merged = combine_field(_text("HMS-20931", 0.8, SRC), _text("hms-20931 ", 0.5))

    assert merged.value == "HMS-20931"
    assert merged.confidence == pytest.approx(1 - 0.2 * 0.5)
    assert merged.source == SRC


def test_disagreement_keeps_primary_at_half_the_lower_confidence() -> None:
    merged = combine_field(_text("HMS-20931", 0.9, SRC), _text("HMS-2093", 0.6, SRC))

    assert merged.value == "HMS-20931"
    assert merged.confidence == pytest.approx(0.3)


def test_disagreement_prefers_the_value_found_in_the_document() -> None:
    merged = combine_field(_text("Acme", 0.9), _text("Harbor Marine", 0.7, SRC))

    assert merged.value == "Harbor Marine"
    assert merged.confidence == pytest.approx(0.35)


def test_lines_pair_by_item_code_then_description() -> None:
    llm = ExtractedOrder(
        extractor="llm",
        lines=[
            _line("HM-7781", "Stainless hex bolt M8x40", 200),
            _line(None, "Nylon washer 8mm pack", 50),
            _line("HM-0001", "Freight", 1),
        ],
    )
    rules = ExtractedOrder(
        extractor="rules",
        warnings=["non_ascii_digits"],
        lines=[_line(None, "nylon washer 8 mm pack", 50), _line("hm-7781", "Hex bolt", 20)],
    )

    merged = combine(llm, rules)

    assert merged.extractor == "llm+rules"
    bolt, washer, freight = merged.lines
    assert bolt.quantity.confidence == pytest.approx(0.4)  # 200 vs 20: disagree
    assert bolt.customer_item_code.confidence == pytest.approx(0.96)
    assert washer.quantity.confidence == pytest.approx(0.96)
    assert freight.quantity.confidence == pytest.approx(0.4)  # only the LLM saw it
    assert "lines_disagree" in merged.warnings and "non_ascii_digits" in merged.warnings


def test_both_null_is_agreement() -> None:
    merged = combine(ExtractedOrder(extractor="llm"), ExtractedOrder(extractor="rules"))

    assert merged.total.value is None
    assert merged.lines == [] and "lines_disagree" not in merged.warnings


def test_secondary_that_states_nothing_abstains() -> None:
    llm = ExtractedOrder(extractor="llm", lines=[_line("HM-7781", "Hex bolt", 200, 0.9)])
    llm.total.value, llm.total.confidence = Decimal("84"), 0.9

    merged = combine(llm, ExtractedOrder(extractor="rules"))

    assert merged.total.confidence == pytest.approx(0.9)
    assert merged.lines[0].quantity.confidence == pytest.approx(0.9)
    assert "lines_disagree" not in merged.warnings


def test_primary_null_against_a_sourced_secondary_value_is_disagreement() -> None:
    merged = combine_field(_text(None, 0.8), _text("USD", 0.6, SRC))

    assert merged.value == "USD"
    assert merged.confidence == pytest.approx(0.3)

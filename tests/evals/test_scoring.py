"""The scorer of eval-dataset.md v1: normalisation, null rules, line assignment, aggregates."""

from __future__ import annotations

import itertools
import random

import pytest

from evals.scoring import (
    aggregate,
    assign_lines,
    expected_calibration_error,
    hungarian,
    normalise_text,
    numbers_equal,
    score_case,
    score_failure,
    value_equal,
)


def _line(
    code: str | None,
    desc: str | None,
    qty: float | None,
    price: float | None = None,
    uom: str | None = None,
) -> dict[str, object]:
    return {
        "customer_item_code": code,
        "description": desc,
        "quantity": qty,
        "uom": uom,
        "unit_price": price,
    }


def _expected(lines: list[dict[str, object]], **fields: object) -> dict[str, object]:
    extraction: dict[str, object] = {
        "customer_name": "Harbor Marine Supply Co.",
        "customer_po_number": "HMS-20931",
        "order_date": "2026-11-03",
        "requested_delivery_date": None,
        "currency": "USD",
        "ship_to": {
            "name": "Harbor Marine - Dock 4",
            "street": "1200 Pier Road",
            "city": "Tacoma",
            "region": "WA",
            "postal_code": "98421",
            "country": "US",
        },
        "lines": lines,
        "total": 84.0,
    }
    extraction.update(fields)
    return {"extraction": extraction}


def test_normalise_text() -> None:
    assert normalise_text("  Ｈａｒｂｏｒ\tMARINE  ") == "harbor marine"
    assert value_equal("text", "HMS-20931", "hms-20931 ")


def test_numbers_and_dates() -> None:
    assert numbers_equal(84, 84.004)
    assert not numbers_equal(84, 84.01)
    assert numbers_equal("1,175.00", 1175)
    assert not numbers_equal(2, 2.001, exact=True)
    assert value_equal("date", "2026-11-03", "2026-11-03")
    assert not value_equal("date", "2026-11-03", "2026-03-11")


def test_null_rules() -> None:
    assert value_equal("text", None, None)
    assert not value_equal("text", None, "x")
    assert not value_equal("number", 5, None)


def test_fuzzy_description_and_street() -> None:
    gold = _expected([_line("HM-7781", "Stainless hex bolt M8x40", 200, 0.42)])
    pred = _expected([_line("HM-7781", "stainless HEX bolt  M8x40 (A2)", 200, 0.42)])
    pred["extraction"]["ship_to"] = {  # type: ignore[index]
        "name": "Harbor Marine Dock 4",
        "street": "1200 Pier Rd Road",
        "city": "tacoma",
        "region": "WA",
        "postal_code": "98421",
        "country": "us",
    }
    score = score_case(gold, pred)
    assert score.fields["ship_to"]
    assert score.true_positives == 1
    assert score.exact


def test_city_is_not_fuzzy() -> None:
    gold = _expected([])
    pred = _expected([])
    pred["extraction"]["ship_to"]["city"] = "Tacoma Heights"  # type: ignore[index]
    assert not score_case(gold, pred).fields["ship_to"]


def test_line_assignment_is_optimal_and_one_to_one() -> None:
    gold = [
        _line("A", "alpha widget", 1, 1.0),
        _line("B", "beta widget", 2, 2.0),
        _line("C", "gamma widget", 3, 3.0),
    ]
    pred = [_line("C", "gamma widget", 3, 3.0), _line("A", "alpha widget", 1, 1.0)]
    assert assign_lines(gold, pred) == [(0, 1), (2, 0)]
    score = score_case(_expected(gold), _expected(pred))
    assert (score.true_positives, score.gold_lines, score.predicted_lines) == (2, 3, 2)
    assert not score.exact


def test_true_positive_needs_quantity_and_identity() -> None:
    gold = [_line("A-1", "widget", 5)]
    assert score_case(_expected(gold), _expected([_line("A-1", "other", 5)])).true_positives == 1
    assert score_case(_expected(gold), _expected([_line("Z-9", "widget", 5)])).true_positives == 1
    assert score_case(_expected(gold), _expected([_line("A-1", "widget", 6)])).true_positives == 0
    assert score_case(_expected(gold), _expected([_line("Z-9", "gizmo", 5)])).true_positives == 0


def test_wrong_uom_makes_the_document_inexact_but_keeps_the_line() -> None:
    gold = _expected([_line("A-1", "widget", 5, 1.0, "EA")])
    pred = _expected([_line("A-1", "widget", 5, 1.0, "CS")])
    score = score_case(gold, pred)
    assert score.true_positives == 1
    assert not score.exact


def test_unscored_fields_are_skipped() -> None:
    gold = _expected([_line("A-1", "widget", 5, 1.0)], customer_name=None, ship_to=None)
    gold["unscored"] = ["customer_name", "ship_to", "lines.uom"]
    pred = _expected([_line("A-1", "widget", 5, 1.0, "EA")], customer_name="Someone")
    score = score_case(gold, pred)
    assert "customer_name" not in score.fields and "ship_to" not in score.fields
    assert score.exact


def test_predicted_shape_without_extraction_wrapper() -> None:
    gold = _expected([_line("A-1", "widget", 5)])
    assert score_case(gold, gold["extraction"]).exact  # type: ignore[arg-type]


def test_route_and_confidence() -> None:
    gold = _expected([])
    gold["route"] = {"decision": "review", "reasons": ["high_value"]}
    pred = _expected([])
    pred["route"] = {"decision": "review", "reasons": ["high_value", "new_customer"]}
    pred["confidence"] = {"customer_po_number": 0.9}
    score = score_case(gold, pred)
    assert score.route_correct is True
    assert score.confidence == {"customer_po_number": 0.9}


def test_aggregate() -> None:
    gold = _expected([_line("A", "a", 1), _line("B", "b", 2)])
    good = score_case(gold, gold, "c1")
    half = score_case(
        gold, _expected([_line("A", "a", 1), _line("X", "x", 9)], customer_po_number="nope"), "c2"
    )
    failed = score_failure(gold, "timeout", "c3")
    agg = aggregate([good, half, failed])
    assert agg.cases == 3 and agg.errors == 1
    assert agg.line_precision == pytest.approx(3 / 4)
    assert agg.line_recall == pytest.approx(3 / 6)
    assert agg.line_f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert agg.field_accuracy["customer_po_number"] == pytest.approx(1 / 3)
    assert agg.doc_exact_rate == pytest.approx(1 / 3)


def test_ece() -> None:
    assert expected_calibration_error([(1.0, True), (1.0, True)]) == 0.0
    assert expected_calibration_error([(0.9, False)]) == pytest.approx(0.9)


@pytest.mark.parametrize("seed", range(20))
def test_hungarian_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 5), rng.randint(5, 6)
    cost = [[rng.random() for _ in range(m)] for _ in range(n)]
    chosen = hungarian(cost)
    assert len(set(chosen)) == n
    best = min(sum(cost[i][p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))
    assert sum(cost[i][chosen[i]] for i in range(n)) == pytest.approx(best)

"""The report JSON (spec keys), the HTML page, the threshold sweep, calibration, gates, baseline."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.routing.facts import RoutingFacts
from app.routing.policy import load_policy
from evals.calibration import calibrate
from evals.gates import GateError, baseline_summary, case_changes, failed_gates, parse_gate
from evals.report import build_report, render_html
from evals.runner import CaseRun, EvalCase
from evals.scoring import score_case
from evals.sweep import SweepCase, sweep
from tests.evals.evalcases import EMPTY_GOLD, ORDER_GOLD

SPEC_KEYS = [
    "dataset",
    "cases",
    "extractor",
    "field_accuracy",
    "field_accuracy_mean",
    "line_precision",
    "line_recall",
    "line_f1",
    "doc_exact_rate",
    "route_accuracy",
    "touchless_rate",
    "false_auto_rate",
    "ece",
    "latency_ms",
    "errors",
    "per_case",
]
CONFIDENCE = {
    "customer_name": 0.9,
    "customer_po_number": 0.95,
    "order_date": 0.5,
    "requested_delivery_date": 0.5,
    "currency": 0.5,
    "ship_to": 0.5,
    "total": 0.5,
    "lines": 0.9,
}


def clean_facts(confidence: float) -> RoutingFacts:
    """Facts with nothing wrong except, perhaps, the confidence."""
    return RoutingFacts(
        is_order=True,
        document_confidence=confidence,
        order_total=Decimal("100"),
        currency="USD",
        customer_certain=True,
        items_certain=True,
        ship_to_known=True,
        atp_full_by_date=True,
        carrier_available=True,
        credit="ok",
    )


def run_of(
    case_id: str,
    gold: dict[str, Any],
    predicted: dict[str, Any] | None,
    *,
    decision: str = "review",
    gold_route: dict[str, Any] | None = None,
    confidence: float = 0.95,
    error: str | None = None,
    tags: list[str] | None = None,
) -> CaseRun:
    expected: dict[str, Any] = {"extraction": gold, "tags": tags or ["t"]}
    if gold_route is not None:
        expected["route"] = gold_route
    case = EvalCase(case_id, Path("/nonexistent") / case_id, (), expected)
    if error is not None:
        return CaseRun(case=case, error=error)
    reasons = [] if decision == "auto" else ["low_confidence"]
    return CaseRun(
        case=case,
        facts=clean_facts(confidence),
        latency_ms=10.0,
        predicted={
            "extraction": predicted,
            "route": {"decision": decision, "reasons": reasons},
            "confidence": CONFIDENCE,
        },
    )


def sample_runs() -> list[CaseRun]:
    wrong = copy.deepcopy(ORDER_GOLD)
    wrong["customer_po_number"] = "BRM-9999"
    wrong["lines"][1]["quantity"] = 5
    return [
        run_of(
            "exact-auto",
            ORDER_GOLD,
            ORDER_GOLD,
            decision="auto",
            gold_route={"decision": "auto"},
            tags=["eml", "clean"],
        ),
        run_of(
            "wrong-auto",
            ORDER_GOLD,
            wrong,
            decision="auto",
            confidence=0.92,
            gold_route={"decision": "auto"},
            tags=["eml"],
        ),
        run_of(
            "non-order",
            EMPTY_GOLD,
            EMPTY_GOLD,
            confidence=0.0,
            gold_route={"decision": "review", "reasons": ["not_a_po"]},
        ),
        run_of(
            "crashed",
            ORDER_GOLD,
            None,
            error="RuntimeError: boom",
            gold_route={"decision": "review"},
        ),
    ]


def sample_report() -> dict[str, Any]:
    return build_report(
        dataset="tiny", extractor="rules", runs=sample_runs(), policy=load_policy(), runtime_s=1.0
    )


def test_report_has_the_spec_keys_in_order_and_re_scores() -> None:
    report = sample_report()

    assert list(report)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert set(report["latency_ms"]) == {"p50", "p95"}
    assert report["cases"] == 4 and report["errors"] == 1
    assert report["touchless_rate"] == 0.5
    assert report["false_auto_rate"] == 0.5  # one of the two auto cases is not exact
    assert report["route_accuracy"] == 0.5  # non-order lacks not_a_po; the crash is wrong
    for case in report["per_case"]:
        assert {"id", "exact", "errors", "fields", "predicted"} <= set(case)
        assert set(case["predicted"]) == {"extraction", "route", "confidence"}
    exact_case = report["per_case"][0]
    assert set(exact_case["predicted"]["extraction"]) == set(ORDER_GOLD)
    assert exact_case["predicted"]["route"] == {"decision": "auto", "reasons": []}
    rescored = score_case({"extraction": ORDER_GOLD}, report["per_case"][1]["predicted"])
    assert rescored.exact is report["per_case"][1]["exact"] is False
    assert report["per_case"][3]["errors"] == ["failed: RuntimeError: boom"]


def test_report_additions() -> None:
    report = sample_report()

    assert report["by_tag"]["eml"]["cases"] == 2
    assert report["by_tag"]["eml"]["false_auto_rate"] == 0.5
    assert report["reason_recall"] == {"not_a_po": 0.0}  # predicted low_confidence instead
    assert len(report["sweep"]["rows"]) == 50
    assert len(report["calibration"]["bins"]) == 10
    assert report["calibration"]["ece"] == pytest.approx(report["ece"])


def test_html_report_is_self_contained_with_both_charts() -> None:
    page = render_html(sample_report())

    assert page.count("<svg") == 2
    assert 'aria-label="threshold sweep"' in page and 'aria-label="reliability diagram"' in page
    assert "<script" not in page
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "wrong-auto" in page and "BRM-9999" in page  # the failing case's diff
    assert 'class="bad"' in page
    assert "exact-auto</b>" not in page  # exact cases are not listed as failing


def test_sweep_is_monotonic_and_picks_the_most_touchless_safe_threshold() -> None:
    cases = [
        SweepCase(clean_facts(c), exact=ok, gold_decision="auto")
        for c, ok in [(0.55, False), (0.7, True), (0.8, True), (0.93, True), (0.99, True)]
    ]
    cases.append(SweepCase(None, exact=False, gold_decision=None))  # a failed case

    result = sweep(cases, load_policy(), max_false_auto=0.0)

    touchless = [r.touchless_rate for r in result.rows]
    assert touchless == sorted(touchless, reverse=True)
    assert result.rows[0].touchless_rate == pytest.approx(5 / 6)
    assert result.rows[0].false_auto_rate == pytest.approx(1 / 5)
    assert result.best is not None
    assert result.best.threshold == 0.70 and result.best.false_auto_rate == 0.0
    assert result.best.touchless_rate == pytest.approx(4 / 6)
    assert result.current_threshold == 0.9


def test_sweep_counts_gold_review_as_false_auto() -> None:
    result = sweep(
        [SweepCase(clean_facts(0.95), exact=True, gold_decision="review")],
        load_policy(),
        max_false_auto=0.005,
    )
    assert result.rows[0].false_auto_rate == 1.0
    assert result.best is not None and result.best.touchless_rate == 0.0  # only 0.96+ is safe


def test_ece_on_synthetic_confidences() -> None:
    calibrated = [(0.85, i < 85) for i in range(100)]
    assert calibrate(calibrated).ece == pytest.approx(0.0, abs=1e-9)

    overconfident = [(0.95, False)] * 10 + [(0.15, True)] * 10
    result = calibrate(overconfident)
    assert result.ece == pytest.approx(0.5 * 0.95 + 0.5 * 0.85)
    assert [b.count for b in result.bins] == [0, 10, 0, 0, 0, 0, 0, 0, 0, 10]
    assert result.bins[9].accuracy == 0.0 and result.bins[1].accuracy == 1.0
    assert calibrate([]).ece is None


def test_gates() -> None:
    report = sample_report()
    gates = [
        parse_gate(g)
        for g in (
            "errors<=0",
            "line_f1 >= 0.5",
            "latency_ms.p95<1000",
            "field_accuracy.customer_name>0.99",
            "cases==4",
        )
    ]
    failures = failed_gates(report, gates)
    assert len(failures) == 2
    assert failures[0].startswith("gate errors<=0 failed: errors is 1")
    assert "field_accuracy.customer_name" in failures[1]
    with pytest.raises(GateError, match="unknown metric 'line_f2'"):
        parse_gate("line_f2>=1")
    with pytest.raises(GateError, match=r"unknown metric 'by_tag\.nope\.line_f1'"):
        failed_gates(report, [parse_gate("by_tag.nope.line_f1>=1")])
    with pytest.raises(GateError, match="cannot read gate"):
        parse_gate("line_f1 ~ 3")


def test_baseline_names_cases_that_got_better_and_worse() -> None:
    baseline = sample_report()
    now = copy.deepcopy(baseline)
    now["per_case"][0]["exact"] = False
    now["per_case"][0]["errors"] = ["total"]
    now["per_case"][1]["exact"] = True
    now["line_f1"] = baseline["line_f1"] + 0.1

    changes = case_changes(now, baseline)
    assert changes["got worse"] == ["exact-auto: no longer exact (total)"]
    assert changes["got better"] == ["wrong-auto: now exact"]
    text = baseline_summary(now, baseline)
    assert "line_f1" in text and "(+0.1000)" in text and "got worse (1)" in text

"""The eval report: the spec's JSON object (plus additions), and the HTML page made from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.routing.policy import RoutingPolicy
from evals.calibration import Calibration, calibrate, reliability_svg, samples_of
from evals.runner import CaseRun
from evals.scoring import (
    HEADER_FIELDS,
    LINE_FIELDS,
    CaseScore,
    aggregate,
    score_case,
    score_failure,
)
from evals.sweep import DEFAULT_MAX_FALSE_AUTO, Sweep, SweepCase, is_false_auto, sweep, sweep_svg

JsonObject = dict[str, Any]
TEMPLATES = Path(__file__).with_name("templates")


# ---------------------------------------------------------------- scoring the runs


def score_run(run: CaseRun) -> CaseScore:
    """The case's score; a failed case is wrong everywhere."""
    case = run.case
    if run.error is not None or run.predicted is None:
        return score_failure(case.expected, run.error or "no result", case.case_id)
    return score_case(case.expected, run.predicted, case.case_id)


def gold_decision(expected: Mapping[str, Any]) -> str | None:
    route = expected.get("route")
    return str(route["decision"]) if isinstance(route, Mapping) and "decision" in route else None


def gold_reasons(expected: Mapping[str, Any]) -> list[str]:
    route = expected.get("route")
    reasons = route.get("reasons") if isinstance(route, Mapping) else None
    return [str(r) for r in reasons] if isinstance(reasons, list) else []


def predicted_decision(run: CaseRun) -> str | None:
    return str(run.predicted["route"]["decision"]) if run.predicted else None


def predicted_reasons(run: CaseRun) -> list[str]:
    return [str(r) for r in run.predicted["route"]["reasons"]] if run.predicted else []


def sweep_case(run: CaseRun, score: CaseScore) -> SweepCase:
    facts = None if run.error is not None else run.facts
    return SweepCase(facts=facts, exact=score.exact, gold_decision=gold_decision(run.case.expected))


# ---------------------------------------------------------------- figures


def headline(runs: Sequence[CaseRun], scores: Sequence[CaseScore]) -> JsonObject:
    """The spec's dataset figures for a set of cases (all of them, or one tag's)."""
    agg = aggregate(scores)
    auto = [
        (r, s)
        for r, s in zip(runs, scores, strict=True)
        if r.error is None and predicted_decision(r) == "auto"
    ]
    false_auto = sum(is_false_auto(sweep_case(r, s)) for r, s in auto)
    return {
        "cases": agg.cases,
        "field_accuracy": agg.field_accuracy,
        "field_accuracy_mean": agg.field_accuracy_mean,
        "line_precision": agg.line_precision,
        "line_recall": agg.line_recall,
        "line_f1": agg.line_f1,
        "doc_exact_rate": agg.doc_exact_rate,
        "route_accuracy": agg.route_accuracy,
        "touchless_rate": len(auto) / len(runs) if runs else 0.0,
        "false_auto_rate": false_auto / len(auto) if auto else 0.0,
        "ece": agg.ece,
        "errors": agg.errors,
    }


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def reason_counts(runs: Sequence[CaseRun]) -> dict[str, JsonObject]:
    """Per reason code: cases whose gold names it, how many of those the system gave it, and
    how often the system gave it at all."""
    out: dict[str, JsonObject] = {}
    for run in runs:
        given = set(predicted_reasons(run))
        for code in gold_reasons(run.case.expected):
            row = out.setdefault(code, {"gold": 0, "found": 0, "predicted": 0})
            row["gold"] += 1
            row["found"] += code in given
        for code in given:
            out.setdefault(code, {"gold": 0, "found": 0, "predicted": 0})["predicted"] += 1
    for row in out.values():
        row["recall"] = row["found"] / row["gold"] if row["gold"] else None
    return dict(sorted(out.items()))


def field_confidence_mean(scores: Sequence[CaseScore]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in [*HEADER_FIELDS, "lines"]:
        seen = [s.confidence[name] for s in scores if name in s.confidence and not s.failed]
        if seen:
            out[name] = sum(seen) / len(seen)
    return out


def by_tag(runs: Sequence[CaseRun], scores: Sequence[CaseScore]) -> dict[str, JsonObject]:
    tags = sorted({t for r in runs for t in r.case.tags})
    out: dict[str, JsonObject] = {}
    for tag in tags:
        picked = [i for i, r in enumerate(runs) if tag in r.case.tags]
        figures = headline([runs[i] for i in picked], [scores[i] for i in picked])
        figures.pop("field_accuracy")
        out[tag] = figures
    return out


def per_case(run: CaseRun, score: CaseScore) -> JsonObject:
    expected = run.case.expected
    predicted = run.predicted or {"extraction": None, "route": None, "confidence": {}}
    return {
        "id": run.case.case_id,
        "exact": score.exact,
        "errors": list(score.errors),
        "fields": dict(score.fields),
        "predicted": predicted,
        # additions
        "failed": score.failed,
        "error": run.error,
        "tags": run.case.tags,
        "latency_ms": run.latency_ms,
        "route_correct": score.route_correct,
        "expected": {
            "extraction": expected.get("extraction"),
            "route": expected.get("route"),
            "unscored": expected.get("unscored", []),
        },
        "lines": {
            "gold": score.gold_lines,
            "predicted": score.predicted_lines,
            "true_positives": score.true_positives,
        },
        "line_pairs": [p.model_dump() for p in score.pairs],
        "draft": run.draft,
    }


def build_report(
    *,
    dataset: str,
    extractor: str,
    runs: Sequence[CaseRun],
    policy: RoutingPolicy,
    max_false_auto: float = DEFAULT_MAX_FALSE_AUTO,
    runtime_s: float | None = None,
) -> JsonObject:
    """The eval report: the spec's keys first, in its order, then the additions."""
    scores = [score_run(r) for r in runs]
    figures = headline(runs, scores)
    latencies = [r.latency_ms for r in runs if r.latency_ms is not None]
    swept: Sweep = sweep(
        [sweep_case(r, s) for r, s in zip(runs, scores, strict=True)],
        policy,
        max_false_auto=max_false_auto,
    )
    calibration: Calibration = calibrate(samples_of(scores))
    counts = reason_counts(runs)
    return {
        "dataset": dataset,
        "cases": figures["cases"],
        "extractor": extractor,
        **{
            k: figures[k]
            for k in (
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
            )
        },
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
        "errors": figures["errors"],
        "per_case": [per_case(r, s) for r, s in zip(runs, scores, strict=True)],
        # additions
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runtime_s": runtime_s,
        "route_cases": sum(s.route_correct is not None for s in scores),
        "auto_min_confidence": policy.thresholds.auto_min_confidence,
        "field_confidence_mean": field_confidence_mean(scores),
        "reason_recall": {
            code: row["recall"] for code, row in counts.items() if row["recall"] is not None
        },
        "reason_counts": counts,
        "by_tag": by_tag(runs, scores),
        "sweep": swept.model_dump(),
        "calibration": calibration.model_dump(),
    }


# ---------------------------------------------------------------- HTML


def render_html(report: Mapping[str, Any]) -> str:
    """A self-contained page: headline, tables, sweep and reliability plots, failing cases."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["pct"] = _pct
    env.filters["num"] = _num
    swept = Sweep.model_validate(report["sweep"])
    calibration = Calibration.model_validate(report["calibration"])
    return env.get_template("report.html").render(
        r=report,
        sweep=swept,
        sweep_svg=Markup(sweep_svg(swept)),
        reliability_svg=Markup(reliability_svg(calibration)),
        calibration=calibration,
        sweep_rows=[r for r in swept.rows if round(r.threshold * 100) % 5 == 0],
        failing=[failing_case(c) for c in report["per_case"] if not c["exact"]],
        header_fields=HEADER_FIELDS,
        line_fields=LINE_FIELDS,
    )


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, int | float) else "n/a"


def _num(value: object, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "n/a"


def _shown(value: object) -> str:
    if value is None:
        return "\u2014"
    if isinstance(value, Mapping):
        return ", ".join(str(v) for v in value.values() if v not in (None, "")) or "\u2014"
    return str(value)


def failing_case(case: Mapping[str, Any]) -> JsonObject:
    """A failing case as the page shows it: field rows and paired line rows, wrong cells marked."""
    gold = (case.get("expected") or {}).get("extraction") or {}
    pred = (case.get("predicted") or {}).get("extraction") or {}
    fields = [
        {
            "name": name,
            "expected": _shown(gold.get(name)),
            "predicted": _shown(pred.get(name)),
            "ok": case["fields"][name],
        }
        for name in HEADER_FIELDS
        if name in case["fields"]
    ]
    gold_lines, pred_lines = gold.get("lines") or [], pred.get("lines") or []
    lines = []
    for pair in case.get("line_pairs", []):
        g = gold_lines[pair["gold_index"]] if pair["gold_index"] is not None else None
        p = pred_lines[pair["predicted_index"]] if pair["predicted_index"] is not None else None
        cells = []
        for name in LINE_FIELDS:
            ok = pair["fields"].get(name, g is not None and p is not None)
            cells.append(
                {
                    "expected": _shown(g.get(name)) if g else "",
                    "ok": bool(ok),
                    "predicted": _shown(p.get(name)) if p else "",
                }
            )
        lines.append(
            {
                "tp": pair["true_positive"],
                "cells": cells,
                "gold_index": pair["gold_index"],
                "predicted_index": pair["predicted_index"],
            }
        )
    route = case.get("predicted", {}).get("route") or {}
    return {
        "id": case["id"],
        "tags": case.get("tags", []),
        "errors": case["errors"],
        "error": case.get("error"),
        "fields": fields,
        "lines": lines,
        "expected_route": (case.get("expected") or {}).get("route"),
        "route": route,
        "route_correct": case.get("route_correct"),
    }

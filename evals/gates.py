"""Quality gates on a report (`line_f1>=0.9`) and the comparison with a baseline report."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_GATE = re.compile(rf"^\s*([A-Za-z_][\w.\-:]*)\s*(<=|>=|==|<|>)\s*({_NUMBER})\s*$")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "==": operator.eq,
}
HEADLINE: tuple[str, ...] = (
    "field_accuracy_mean",
    "line_precision",
    "line_recall",
    "line_f1",
    "doc_exact_rate",
    "route_accuracy",
    "touchless_rate",
    "false_auto_rate",
    "ece",
    "errors",
    "latency_ms.p50",
    "latency_ms.p95",
)


# The report's top-level figures a gate may name (nested ones by dotted path below them).
REPORT_METRICS = frozenset(
    {
        "cases",
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
        "runtime_s",
        "route_cases",
        "field_confidence_mean",
        "reason_recall",
        "by_tag",
        "sweep",
        "calibration",
    }
)


class GateError(ValueError):
    """A gate that cannot be evaluated: bad syntax or a metric the report does not have."""


@dataclass(frozen=True)
class Gate:
    metric: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


def parse_gate(text: str) -> Gate:
    """`metric<=x`, `>=`, `<`, `>` or `==`; the metric may be a dotted path (latency_ms.p95)."""
    match = _GATE.match(text)
    if match is None:
        raise GateError(
            f"cannot read gate {text!r}: write it as metric<=number "
            "(or >=, <, >, ==), e.g. 'line_f1>=0.9'"
        )
    metric = match.group(1)
    if metric.split(".", 1)[0] not in REPORT_METRICS:
        raise GateError(
            f"unknown metric {metric!r} in gate {text!r}; known: "
            + ", ".join(sorted(REPORT_METRICS))
        )
    return Gate(metric, match.group(2), float(match.group(3)))


def metric_value(report: Mapping[str, Any], metric: str) -> float | None:
    """A numeric figure of the report by dotted path; GateError when there is no such number."""
    node: Any = report
    for part in metric.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise GateError(f"unknown metric {metric!r} (not in the report)")
        node = node[part]
    if node is None:
        return None
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise GateError(f"metric {metric!r} is not a number")
    return float(node)


def failed_gates(report: Mapping[str, Any], gates: Sequence[Gate]) -> list[str]:
    """One message per gate the report does not pass (a missing value fails its gate)."""
    failures = []
    for gate in gates:
        value = metric_value(report, gate.metric)
        if value is None:
            failures.append(f"gate {gate} failed: {gate.metric} has no value in this run")
        elif not _OPS[gate.op](value, gate.value):
            failures.append(f"gate {gate} failed: {gate.metric} is {value:.4g}")
    return failures


# ---------------------------------------------------------------- baseline


def _optional(report: Mapping[str, Any], metric: str) -> float | None:
    try:
        return metric_value(report, metric)
    except GateError:
        return None


def metric_deltas(report: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[str]:
    """One line per headline metric: baseline -> now (delta)."""
    lines = []
    for metric in HEADLINE:
        now, before = _optional(report, metric), _optional(baseline, metric)
        if now is None and before is None:
            continue
        delta = f"{now - before:+.4f}" if now is not None and before is not None else "n/a"
        lines.append(f"  {metric:<22} {_fmt(before):>10} -> {_fmt(now):>10}  ({delta})")
    return lines


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def case_changes(report: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, list[str]]:
    """Cases that got better or worse (exactness, route), and cases only one run has."""
    now = {str(c["id"]): c for c in report.get("per_case", [])}
    before = {str(c["id"]): c for c in baseline.get("per_case", [])}
    out: dict[str, list[str]] = {"got better": [], "got worse": [], "new": [], "gone": []}
    for case_id in sorted(now.keys() | before.keys()):
        if case_id not in before:
            out["new"].append(case_id)
        elif case_id not in now:
            out["gone"].append(case_id)
        else:
            better, worse = _compare_case(now[case_id], before[case_id])
            if better:
                out["got better"].append(f"{case_id}: {', '.join(better)}")
            if worse:
                out["got worse"].append(f"{case_id}: {', '.join(worse)}")
    return out


def _compare_case(now: Mapping[str, Any], before: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    better: list[str] = []
    worse: list[str] = []
    if bool(now.get("exact")) != bool(before.get("exact")):
        (better if now.get("exact") else worse).append(
            "now exact" if now.get("exact") else f"no longer exact ({', '.join(now['errors'])})"
        )
    r_now, r_before = now.get("route_correct"), before.get("route_correct")
    if r_now is not None and r_before is not None and r_now != r_before:
        (better if r_now else worse).append("route now right" if r_now else "route now wrong")
    fixed = [
        f
        for f, ok in now.get("fields", {}).items()
        if ok and before.get("fields", {}).get(f) is False
    ]
    broken = [
        f
        for f, ok in now.get("fields", {}).items()
        if not ok and before.get("fields", {}).get(f) is True
    ]
    if fixed and not (now.get("exact") and not before.get("exact")):
        better.append("fields right: " + ", ".join(fixed))
    if broken and not (before.get("exact") and not now.get("exact")):
        worse.append("fields wrong: " + ", ".join(broken))
    return better, worse


def baseline_summary(report: Mapping[str, Any], baseline: Mapping[str, Any]) -> str:
    """The printed comparison: metric deltas, then per-case changes."""
    out = [
        f"compared with baseline {baseline.get('dataset', '?')} "
        f"({baseline.get('cases', '?')} cases, extractor {baseline.get('extractor', '?')}):",
        *metric_deltas(report, baseline),
    ]
    for label, cases in case_changes(report, baseline).items():
        if cases:
            out.append(f"{label} ({len(cases)}):")
            out += [f"  {c}" for c in cases]
    return "\n".join(out)

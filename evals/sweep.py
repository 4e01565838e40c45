"""The routing confidence threshold swept: touchless rate against false-auto rate per threshold.

Every case is routed again from its stored facts under a copy of the policy whose
`thresholds.auto_min_confidence` is the swept value; nothing else is re-run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pydantic import BaseModel

from app.routing.facts import RoutingFacts
from app.routing.policy import RoutingPolicy
from app.routing.route import route

DEFAULT_MAX_FALSE_AUTO = 0.005


@dataclass(frozen=True)
class SweepCase:
    """What the sweep needs of one case: its facts (None when it failed) and its correctness."""

    facts: RoutingFacts | None
    exact: bool
    gold_decision: str | None  # the gold route's decision, when the case has one


class SweepRow(BaseModel):
    threshold: float
    auto_cases: int
    false_auto_cases: int
    touchless_rate: float
    false_auto_rate: float


class Sweep(BaseModel):
    current_threshold: float
    max_false_auto: float
    rows: list[SweepRow]
    best: SweepRow | None  # most touchless under the false-auto ceiling (the higher on ties)


def default_grid() -> list[float]:
    """0.50, 0.51, ..., 0.99."""
    return [round(0.50 + i / 100, 2) for i in range(50)]


def policy_at(policy: RoutingPolicy, threshold: float) -> RoutingPolicy:
    """A copy of `policy` with another auto-approval confidence threshold."""
    thresholds = policy.thresholds.model_copy(update={"auto_min_confidence": threshold})
    return policy.model_copy(update={"thresholds": thresholds})


def is_false_auto(case: SweepCase) -> bool:
    """An auto-routed case is a false auto when it is not exact or its gold route is review."""
    return not case.exact or case.gold_decision == "review"


def row_at(cases: Sequence[SweepCase], policy: RoutingPolicy, threshold: float) -> SweepRow:
    """Touchless and false-auto rates of all cases routed under `threshold`."""
    candidate = policy_at(policy, threshold)
    auto = [
        c for c in cases if c.facts is not None and route(c.facts, candidate).decision == "auto"
    ]
    false_auto = sum(is_false_auto(c) for c in auto)
    return SweepRow(
        threshold=threshold,
        auto_cases=len(auto),
        false_auto_cases=false_auto,
        touchless_rate=len(auto) / len(cases) if cases else 0.0,
        false_auto_rate=false_auto / len(auto) if auto else 0.0,
    )


def sweep(
    cases: Sequence[SweepCase],
    policy: RoutingPolicy,
    *,
    max_false_auto: float = DEFAULT_MAX_FALSE_AUTO,
    grid: Sequence[float] | None = None,
) -> Sweep:
    """The table over `grid`, and the threshold that keeps false autos under the ceiling."""
    rows = [row_at(cases, policy, t) for t in (grid or default_grid())]
    allowed = [r for r in rows if r.false_auto_rate <= max_false_auto]
    best = max(allowed, key=lambda r: (r.touchless_rate, r.threshold)) if allowed else None
    return Sweep(
        current_threshold=policy.thresholds.auto_min_confidence,
        max_false_auto=max_false_auto,
        rows=rows,
        best=best,
    )


# ---------------------------------------------------------------- the plot

_W, _H, _PAD = 640, 300, 44


def _x(threshold: float, lo: float, hi: float) -> float:
    return _PAD + (threshold - lo) / (hi - lo or 1.0) * (_W - 2 * _PAD)


def _y(rate: float) -> float:
    return _H - _PAD + -rate * (_H - 2 * _PAD)


def sweep_svg(result: Sweep) -> str:
    """Touchless and false-auto rate against the threshold, as an inline SVG."""
    if not result.rows:
        return ""
    lo, hi = result.rows[0].threshold, result.rows[-1].threshold
    touchless = " ".join(
        f"{_x(r.threshold, lo, hi):.1f},{_y(r.touchless_rate):.1f}" for r in result.rows
    )
    false_auto = " ".join(
        f"{_x(r.threshold, lo, hi):.1f},{_y(r.false_auto_rate):.1f}" for r in result.rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart sweep" viewBox="0 0 {_W} {_H}"'
        f' width="{_W}" height="{_H}" role="img" aria-label="threshold sweep">',
        *_axes(lo, hi),
        f'<line x1="{_PAD}" x2="{_W - _PAD}" y1="{_y(result.max_false_auto):.1f}" '
        f'y2="{_y(result.max_false_auto):.1f}" stroke="#c0392b" stroke-dasharray="2 3"/>',
        _marker(result.current_threshold, lo, hi, "#7f8c8d", "current"),
        f'<polyline fill="none" stroke="#2471a3" stroke-width="2" points="{touchless}"/>',
        f'<polyline fill="none" stroke="#c0392b" stroke-width="2" points="{false_auto}"/>',
        f'<text x="{_W - _PAD}" y="16" text-anchor="end" font-size="12">'
        '<tspan fill="#2471a3">touchless</tspan>  <tspan fill="#c0392b">false auto</tspan>'
        f'  <tspan fill="#1e8449">best under {result.max_false_auto:.1%}</tspan></text>',
    ]
    if result.best is not None:
        parts.append(_marker(result.best.threshold, lo, hi, "#1e8449", "best"))
    parts.append("</svg>")
    return "\n".join(parts)


def _marker(threshold: float, lo: float, hi: float, colour: str, label: str) -> str:
    if not lo <= threshold <= hi:
        return ""
    x = _x(threshold, lo, hi)
    right = x > _W / 2  # the label goes inside the plot
    anchor, dx = ("end", -3) if right else ("start", 3)
    y = _PAD + (10 if label == "current" else 24)
    return (
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_PAD}" y2="{_H - _PAD}" stroke="{colour}" '
        f'stroke-dasharray="4 3"/><text x="{x + dx:.1f}" y="{y}" font-size="11" '
        f'text-anchor="{anchor}" fill="{colour}">{escape(label)} {threshold:.2f}</text>'
    )


def _axes(lo: float, hi: float) -> list[str]:
    out = [
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="white"/>',
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#333"/>',
        f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_H - _PAD}" stroke="#333"/>',
    ]
    for i in range(6):
        rate = i / 5
        out.append(
            f'<text x="{_PAD - 6}" y="{_y(rate) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{rate:.0%}</text>'
        )
        out.append(
            f'<line x1="{_PAD}" x2="{_W - _PAD}" y1="{_y(rate):.1f}" y2="{_y(rate):.1f}" '
            'stroke="#eee"/>'
        )
    ticks = [t / 10 for t in range(11) if lo <= t / 10 <= hi]
    for t in ticks:
        out.append(
            f'<text x="{_x(t, lo, hi):.1f}" y="{_H - _PAD + 16}" font-size="11" '
            f'text-anchor="middle">{t:.2f}</text>'
        )
    out.append(
        f'<text x="{_W / 2:.0f}" y="{_H - 6}" font-size="12" text-anchor="middle">'
        "auto_min_confidence</text>"
    )
    return out

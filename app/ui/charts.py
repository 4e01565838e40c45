"""Tiny server-side SVG charts: bars and lines, styled by CSS classes, no script."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 30
MAX_SERIES_CLASSES = 6


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


Formatter = Callable[[float], str]


def plain(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` whose quarters are round too (1, 2, 4 or 8
    times a power of ten)."""
    if value <= 0:
        return 1.0
    power = float(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 4, 8, 10):
        if value <= step * power:
            return float(step * power)
    return 10.0 * power


def _frame(labels: Sequence[str], top: float, fmt: Formatter, title: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(fmt(top * i / 4))}</text>"
        )
    step = max(1, math.ceil(len(labels) / 8))
    last = len(labels) - 1
    for i, label in enumerate(labels):
        if i == last or (i % step == 0 and last - i >= step / 2):
            parts.append(
                f'<text class="axis" x="{_x(i, len(labels)):.1f}" y="{HEIGHT - 10}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return parts


def _no_data(parts: list[str]) -> None:
    parts.append(
        f'<text class="no-data" x="{(LEFT + WIDTH - RIGHT) / 2}" '
        f'y="{(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle">'
        "No data in this period</text>"
    )


def _x(i: int, n: int) -> float:
    slot = (WIDTH - LEFT - RIGHT) / max(n, 1)
    return LEFT + slot * (i + 0.5)


def _y(value: float, top: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h - plot_h * min(value, top) / top


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    fmt: Formatter = plain,
    y_max: float | None = None,
) -> Markup:
    """One bar per label; None draws nothing (no data that day)."""
    top = y_max or nice_max(max((v for v in values if v is not None), default=0.0))
    parts = _frame(labels, top, fmt, title)
    if all(v is None for v in values):
        _no_data(parts)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = max(slot * 0.7, 1.0)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        if value is None:
            continue
        y = _y(value, top)
        parts.append(
            f'<rect class="bar" x="{_x(i, len(labels)) - width / 2:.1f}" y="{y:.1f}" '
            f'width="{width:.1f}" height="{HEIGHT - BOTTOM - y:.1f}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    fmt: Formatter = plain,
    y_max: float | None = None,
) -> Markup:
    """One line per series, broken where a value is None; each point has a tooltip."""
    everything = [v for s in series for v in s.values if v is not None]
    top = y_max or nice_max(max(everything, default=0.0))
    parts = _frame(labels, top, fmt, title)
    if not everything:
        _no_data(parts)
    dots: list[str] = []
    for k, s in enumerate(series):
        css = f"series-{k % MAX_SERIES_CLASSES}"
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            point = (_x(i, len(labels)), _y(value, top))
            runs[-1].append(point)
            dots.append(
                f'<circle class="dot {css}" cx="{point[0]:.1f}" cy="{point[1]:.1f}" '
                f'r="2.5"><title>{escape(s.name)} {escape(labels[i])}: '
                f"{escape(fmt(value))}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline class="line {css}" points="{points}"/>')
    parts += dots
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """The series names with their colours, as an HTML list beside the chart."""
    items = "".join(
        f'<li><span class="swatch series-{k % MAX_SERIES_CLASSES}"></span>{escape(s.name)}</li>'
        for k, s in enumerate(series)
    )
    return Markup(f'<ul class="legend">{items}</ul>')

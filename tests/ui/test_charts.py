"""The SVG chart helper: scales, gaps and escaping."""

from __future__ import annotations

from app.ui import charts
from app.ui.charts import Series


def test_nice_max_rounds_up_to_quarterable_values() -> None:
    assert [charts.nice_max(v) for v in (0, 0.7, 3, 5, 9, 37)] == [1, 0.8, 4, 8, 10, 40]


def test_bar_chart_draws_one_bar_per_value_and_escapes_labels() -> None:
    svg = str(charts.bar_chart(["<b>", "2"], [1.0, None], title="a & b"))
    assert svg.count('<rect class="bar"') == 1
    assert "&lt;b&gt;" in svg and "<b>" not in svg and "a &amp; b" in svg
    assert "style=" not in svg


def test_line_chart_breaks_at_gaps_and_says_when_empty() -> None:
    svg = str(
        charts.line_chart(["1", "2", "3", "4"], [Series("s", [1.0, 2.0, None, 3.0])], title="t")
    )
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    empty = str(charts.line_chart(["1"], [Series("s", [None])], title="t"))
    assert "No data in this period" in empty


def test_legend_escapes_names() -> None:
    assert "&lt;x&gt;" in str(charts.legend([Series("<x>", [])]))

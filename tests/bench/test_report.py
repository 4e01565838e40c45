"""The figures every benchmark prints and writes."""

from __future__ import annotations

import json
from pathlib import Path

from app.bench.report import percentile, write_json


def test_percentiles_interpolate_between_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 100) == 4.0
    assert percentile([], 95) == 0.0


def test_the_json_file_holds_the_result(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    write_json(path, {"n": 3, "ratio": 1.25})
    assert json.loads(path.read_text()) == {"n": 3, "ratio": 1.25}

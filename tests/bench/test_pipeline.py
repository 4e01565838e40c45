"""`intake bench pipeline` on a handful of messages: every stage timed, the floor measured."""

from __future__ import annotations

import pytest

from app.bench import pipeline
from app.bench.corpus import KINDS, load_samples, mixed

pytestmark = pytest.mark.slow


def test_the_mixed_corpus_takes_every_kind_in_turn() -> None:
    picked = mixed(load_samples(), 8)
    assert [s.kind for s in picked] == [*KINDS, *KINDS]


def test_a_short_run_times_every_stage_against_the_floor() -> None:
    result = pipeline.run(4, warmup=1)
    assert result["n"] == 4
    assert set(result["stages"]) == set(pipeline.STAGES)
    assert all(v["p50_ms"] > 0 for k, v in result["stages"].items() if k != "tools")
    assert result["floor_s"] > 0 and result["pipeline_floor_ratio"] > 0
    # The parse children's CPU counts: the pipeline can never cost less CPU than its parsing.
    assert result["pipeline_cpu_s"] > result["stages"]["parse"]["total_s"] * 0.5
    assert result["floor_cpu_s"] > 0 and result["cpu_ratio"] > 0
    assert {k["n"] for k in result["kinds"].values()} == {1}


def test_repeated_rounds_report_the_median_round(capsys: pytest.CaptureFixture[str]) -> None:
    result = pipeline.run(2, warmup=1, repeat=3)
    ratios = sorted(r["pipeline_floor_ratio"] for r in result["rounds"])
    assert len(ratios) == 3 and result["pipeline_floor_ratio"] == ratios[1]
    pipeline.show(result)
    out = capsys.readouterr().out
    assert "round" in out and "pipeline/floor (target <= 1.5)" in out
    assert "pipeline/floor in CPU time" in out

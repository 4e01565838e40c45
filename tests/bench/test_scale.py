"""`intake bench scale`: rounds of worker counts in turn on PostgreSQL, summarised by medians."""

from __future__ import annotations

import pytest

from app.bench import scale
from app.bench.cpu import CpuSamples
from app.cli import main
from tests.support import PG_SKIP_REASON, postgres_base_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_rounds_alternate_the_counts_and_the_summary_takes_medians() -> None:
    base = postgres_base_url()
    if base is None:
        pytest.skip(PG_SKIP_REASON)
    result = scale.run(base, [1, 2], n=6, repeat=2)
    runs = result["runs"]
    assert result["pinned"] is True  # worker i on CPU i mod CPUs, as the README advises
    assert [(r["round"], r["workers"]) for r in runs] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert all(r["done"] == 6 and r["failed"] == 0 and r["msgs_per_s"] > 0 for r in runs)
    assert all(r["cpu_busy_pct"] is None or 0 <= r["cpu_busy_pct"] <= 100 for r in runs)
    assert all(0 < r["job_ms_median"] < 1000 * r["seconds"] for r in runs)
    assert [r["speedup"] for r in runs if r["workers"] == 1] == [1.0, 1.0]
    two = next(s for s in result["summary"] if s["workers"] == 2)
    speedups = sorted(r["speedup"] for r in runs if r["workers"] == 2)
    assert two["rounds"] == 2
    assert two["min_speedup"] == speedups[0] and two["max_speedup"] == speedups[-1]
    assert two["median_speedup"] == round(sum(speedups) / 2, 2)


def test_scale_refuses_sqlite_and_a_zero_repeat(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="needs a PostgreSQL"):
        main(["bench", "scale", "--database-url", "sqlite:///x.db", "--repeat", "1"])
    with pytest.raises(SystemExit, match="at least 1"):
        main(["bench", "scale", "--database-url", "sqlite:///x.db", "--repeat", "0"])


def test_cpu_busy_share_over_a_window_uses_the_samples_inside_it() -> None:
    cpu = CpuSamples(samples=[(0.0, 0, 0), (1.0, 50, 200), (2.0, 230, 400), (3.0, 400, 600)])
    assert cpu.busy_pct(0.5, 2.5) == 90.0  # (230 - 50) / (400 - 200)
    assert cpu.busy_pct(0.0, 3.0) == round(100 * 400 / 600, 1)
    assert cpu.busy_pct(1.5, 2.5) is None  # one sample inside: no stretch to measure
    live = CpuSamples()
    live.take()
    live.take()
    assert len(live.samples) in (0, 2)  # none where there is no /proc/stat

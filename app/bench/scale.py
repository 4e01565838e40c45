"""`intake bench scale`: PostgreSQL throughput with 1..k `intake worker` processes.

Each count gets a fresh schema with the demo company and the same n small text orders;
throughput is n over the span from the first job start to the last job end (procrastinate's
events), so process start-up is not counted. With --repeat, the counts run in turn that many
rounds (1, 2, 1, 2, ...) and each round's speedup is against its own first count, so a shared
machine's slow minutes fall on both sides of a ratio; the summary gives medians. Each run also
reports how busy the machine's CPUs were over its window (PostgreSQL and the bench included):
near 100% with two workers, the ratio is bounded by the cores, not by the workers; and the
median job's own time, which grows when the workers get in each other's way. Worker i runs
pinned to CPU i mod CPUs (`intake worker --cpus`, see app/jobs/affinity.py) unless --no-pin.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from statistics import median
from typing import Any

from sqlalchemy import text

from app.bench.cpu import CpuSamples
from app.bench.fleet import start_workers, stop_workers, wait_until_done
from app.bench.orders import demo_orders
from app.bench.report import print_table
from app.core.db import temporary_schema


def run(
    base_url: str, counts: list[int], *, n: int, repeat: int = 1, pin: bool = True
) -> dict[str, Any]:
    if not base_url.startswith("postgresql"):
        raise SystemExit("intake bench scale needs a PostgreSQL --database-url")
    pin = pin and hasattr(os, "sched_setaffinity")  # Linux: elsewhere the workers float
    rows: list[dict[str, Any]] = []
    for number in range(1, repeat + 1):
        round_rows = [_one(base_url, count, n, pin) for count in counts]
        base = round_rows[0]["msgs_per_s"]
        for row in round_rows:
            row["round"] = number
            row["speedup"] = round(row["msgs_per_s"] / base, 2) if base else 0.0
        rows += round_rows
    return {
        "n": n,
        "repeat": repeat,
        "pinned": pin,
        "runs": rows,
        "summary": _summary(rows, counts),
    }


def _summary(rows: list[dict[str, Any]], counts: list[int]) -> list[dict[str, Any]]:
    """Per worker count: median throughput and median, lowest and highest round speedup."""
    out = []
    for count in counts:
        mine = [r for r in rows if r["workers"] == count]
        speedups = [r["speedup"] for r in mine]
        out.append(
            {
                "workers": count,
                "rounds": len(mine),
                "median_msgs_per_s": round(median(r["msgs_per_s"] for r in mine), 2),
                "median_speedup": round(median(speedups), 2),
                "min_speedup": min(speedups),
                "max_speedup": max(speedups),
            }
        )
    return out


# A job's own time, from its start to its success: with the CPUs to spare, two workers'
# jobs should take as long as one worker's; longer means the workers get in each other's way.
JOB_SECONDS = """
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM done.at - began.at))
FROM procrastinate_events began
JOIN procrastinate_events done ON done.job_id = began.job_id AND done.type = 'succeeded'
WHERE began.type = 'started'
"""


def _one(base_url: str, workers: int, n: int, pin: bool) -> dict[str, Any]:
    from app.bench.setup import bench_settings, demo_context
    from app.core.db import session_scope
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource

    with temporary_schema(base_url, prefix="bench_") as url, tempfile.TemporaryDirectory() as tmp:
        ctx, _ = demo_context(bench_settings(url, Path(tmp)))
        for raw in demo_orders(n, tag=f"scale{workers}"):
            with session_scope(ctx.engine) as session:
                store_inbound(session, raw=raw, source=MessageSource.RFC822)
        cpu = CpuSamples()
        fleet = start_workers(url, workers, pin=pin)
        try:
            state = wait_until_done(
                ctx.engine, n, timeout_s=60 + 6 * n, poll_s=0.25, on_poll=cpu.take
            )
        finally:
            stop_workers(fleet)
        with ctx.engine.connect() as conn:
            first, last = conn.execute(
                text(
                    "SELECT extract(epoch FROM min(at) FILTER (WHERE type = 'started')), "
                    "extract(epoch FROM max(at) FILTER (WHERE type = 'succeeded')) "
                    "FROM procrastinate_events"
                )
            ).one()
            job_s = conn.execute(text(JOB_SECONDS)).scalar()
        ctx.engine.dispose()
    span_s = float(last - first) if first is not None and last is not None else 0.0
    return {
        "workers": workers,
        "done": state.succeeded,
        "failed": state.failed,
        "seconds": round(span_s, 2),
        "msgs_per_s": round(n / span_s, 2) if span_s else 0.0,
        "cpu_busy_pct": cpu.busy_pct(float(first), float(last)) if span_s else None,
        "job_ms_median": round(float(job_s) * 1000, 1) if job_s is not None else None,
    }


def show(result: dict[str, Any]) -> None:
    print_table(
        f"PostgreSQL, {result['n']} messages per run, workers "
        + ("pinned one per CPU (--cpus)" if result["pinned"] else "not pinned"),
        [
            [
                r["round"],
                r["workers"],
                r["done"],
                r["failed"],
                r["seconds"],
                r["msgs_per_s"],
                r["speedup"],
                "-" if r["cpu_busy_pct"] is None else r["cpu_busy_pct"],
                "-" if r.get("job_ms_median") is None else r["job_ms_median"],
            ]
            for r in result["runs"]
        ],
        [
            "round",
            "workers",
            "done",
            "failed",
            "seconds",
            "msgs/s",
            "speedup",
            "CPUs busy %",
            "job p50 ms",
        ],
    )
    print_table(
        f"medians of {result['repeat']} round(s) (target: 2 workers >= 1.7x)",
        [
            [
                r["workers"],
                r["median_msgs_per_s"],
                r["median_speedup"],
                f"{r['min_speedup']}-{r['max_speedup']}",
            ]
            for r in result["summary"]
        ],
        ["workers", "msgs/s", "speedup", "range"],
    )

"""`intake bench pipeline`: the mixed corpus through the whole offline pipeline, in-process.

Per message: store_inbound (one transaction), then GraphRunner.process. Stage times come from
the `graph.node` spans; "persist" is what process() spends outside the nodes (draft row,
checkpoint writes) plus the review/commit/finish nodes. The floor is the same documents read
into words with the same libraries, measured in the same run. Both are also given in CPU
seconds (the pipeline's with its parse children), which a busy machine moves less than it
moves wall time.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bench.corpus import Sample, load_samples, mixed
from app.bench.cpu import tree_cpu_s
from app.bench.floor import read_words
from app.bench.report import peak_rss_mb, percentile, print_table
from app.bench.setup import bench_settings, demo_context
from app.core.db import session_scope
from app.lifecycle import freeze_heap

STAGE_OF_NODE = {
    "parse": "parse",
    "extract": "extract",
    "resolve": "resolve",
    "enrich": "tools",
    "tools": "tools",
    "validate": "tools",
    "route": "route",
    "review": "persist",
    "commit": "persist",
    "finish": "persist",
    "apply_edits": "persist",
}
STAGES = ("store", "parse", "extract", "resolve", "tools", "route", "persist")


@dataclass
class PipelineRun:
    seconds: float = 0.0
    floor_seconds: float = 0.0
    cpu_seconds: float = 0.0
    floor_cpu_seconds: float = 0.0
    stage_s: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    per_kind_s: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def run(n: int, *, warmup: int = 3, repeat: int = 1) -> dict[str, Any]:
    """Run n mixed messages (after `warmup` untimed ones) `repeat` times, each round on a
    fresh database with its own floor; the figures of the round with the median ratio, and
    every round's pipeline, floor and ratio."""
    samples = mixed(load_samples(), n + warmup)
    rounds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
            rounds.append(_measure(samples[:warmup], samples[warmup:], Path(tmp)))
    ratios = sorted(r["pipeline_floor_ratio"] for r in rounds)
    middle = ratios[(len(ratios) - 1) // 2]
    result = next(r for r in rounds if r["pipeline_floor_ratio"] == middle)
    result["rounds"] = [
        {k: r[k] for k in ("pipeline_s", "floor_s", "pipeline_floor_ratio", "cpu_ratio")}
        for r in rounds
    ]
    return result


def _measure(warm: list[Sample], timed: list[Sample], tmp: Path) -> dict[str, Any]:
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource
    from app.pipeline import GraphRunner

    settings = bench_settings(f"sqlite:///{tmp / 'bench.db'}", tmp)
    ctx, exporter = demo_context(settings)
    runner = GraphRunner.for_context(ctx)
    figures = PipelineRun()
    cpu_start = 0.0
    for number, sample in enumerate([*warm, *timed]):
        if number == len(warm):
            freeze_heap()  # as `intake worker` does once started
            cpu_start = tree_cpu_s()
        raw = _unique(sample.raw, number)
        exporter.clear()
        start = time.perf_counter()
        with session_scope(ctx.engine) as session:
            message, _ = store_inbound(session, raw=raw, source=MessageSource.RFC822)
            message_id = message.id
        stored = time.perf_counter()
        runner.process(message_id)
        done = time.perf_counter()
        if number < len(warm):
            continue
        figures.seconds += done - start
        figures.per_kind_s[sample.kind].append(done - start)
        _add_stages(
            figures, exporter.get_finished_spans(), store_s=stored - start, process_s=done - stored
        )
    figures.cpu_seconds = tree_cpu_s() - cpu_start
    freeze_heap()  # nor does the floor's collector walk what the pipeline left alive
    floor_start, floor_cpu = time.perf_counter(), time.process_time()
    for sample in timed:
        read_words(sample.raw)
    figures.floor_seconds = time.perf_counter() - floor_start
    figures.floor_cpu_seconds = time.process_time() - floor_cpu
    ctx.engine.dispose()
    return _summary(figures, len(timed))


def _unique(raw: bytes, number: int) -> bytes:
    """The message with a Message-ID of its own, so repeats are stored, not deduplicated."""
    return f"Message-ID: <bench-{number}-{time.time_ns()}@bench.local>\r\n".encode() + raw


def _add_stages(figures: PipelineRun, spans: Any, *, store_s: float, process_s: float) -> None:
    per_stage: dict[str, float] = defaultdict(float)
    in_nodes = 0.0
    for span in spans:
        if not span.name.startswith("graph.node "):
            continue
        seconds = (span.end_time - span.start_time) / 1e9
        per_stage[STAGE_OF_NODE.get(span.name.removeprefix("graph.node "), "persist")] += seconds
        in_nodes += seconds
    per_stage["persist"] += max(0.0, process_s - in_nodes)
    per_stage["store"] = store_s
    for stage in STAGES:
        figures.stage_s[stage].append(per_stage.get(stage, 0.0))


def _summary(figures: PipelineRun, n: int) -> dict[str, Any]:
    stages = {
        s: {
            "p50_ms": round(percentile(v, 50) * 1000, 2),
            "p95_ms": round(percentile(v, 95) * 1000, 2),
            "total_s": round(sum(v), 3),
        }
        for s, v in figures.stage_s.items()
    }
    kinds = {
        k: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1)}
        for k, v in figures.per_kind_s.items()
    }
    return {
        "n": n,
        "pipeline_s": round(figures.seconds, 3),
        "docs_per_s": round(n / figures.seconds, 2) if figures.seconds else 0.0,
        "floor_s": round(figures.floor_seconds, 3),
        "floor_docs_per_s": round(n / figures.floor_seconds, 2),
        "pipeline_floor_ratio": round(figures.seconds / figures.floor_seconds, 2),
        "pipeline_cpu_s": round(figures.cpu_seconds, 3),
        "floor_cpu_s": round(figures.floor_cpu_seconds, 3),
        "cpu_ratio": round(figures.cpu_seconds / figures.floor_cpu_seconds, 2),
        "stages": stages,
        "kinds": kinds,
        "peak_rss": peak_rss_mb(),
    }


def show(result: dict[str, Any]) -> None:
    rounds = result["rounds"]
    print_table(
        f"rounds (below: the round with the median ratio, {result['pipeline_floor_ratio']})",
        [
            [i, r["pipeline_s"], r["floor_s"], r["pipeline_floor_ratio"], r["cpu_ratio"]]
            for i, r in enumerate(rounds, 1)
        ],
        ["round", "pipeline s", "floor s", "ratio", "CPU ratio"],
    )
    print_table(
        "pipeline stages (per message)",
        [[s, v["p50_ms"], v["p95_ms"], v["total_s"]] for s, v in result["stages"].items()],
        ["stage", "p50 ms", "p95 ms", "total s"],
    )
    print_table(
        "by document kind",
        [[k, v["n"], v["p50_ms"]] for k, v in result["kinds"].items()],
        ["kind", "n", "p50 ms"],
    )
    rss = result["peak_rss"]
    print_table(
        "pipeline vs floor",
        [
            ["messages", result["n"]],
            ["pipeline s", result["pipeline_s"]],
            ["documents/s", result["docs_per_s"]],
            ["floor s", result["floor_s"]],
            ["floor documents/s", result["floor_docs_per_s"]],
            ["pipeline/floor (target <= 1.5)", result["pipeline_floor_ratio"]],
            ["pipeline CPU s (with parse children)", result["pipeline_cpu_s"]],
            ["floor CPU s", result["floor_cpu_s"]],
            ["pipeline/floor in CPU time", result["cpu_ratio"]],
            ["peak RSS self MB", rss["self_mb"]],
            ["peak RSS children MB", rss["children_mb"]],
        ],
        ["figure", "value"],
    )

"""Plan, judge, render and write a whole generated dataset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from evals.generator.cases import render_case
from evals.generator.catalog import Catalog
from evals.generator.gold import expected
from evals.generator.planner import Planner
from evals.generator.route import judge

CASE_PREFIX = "gen-"


def generate(seed: int, count: int, out_dir: Path, masterdata: Path) -> int:
    """Write `count` cases into `out_dir` (replacing earlier generated cases); return the count."""
    catalog = Catalog.load(masterdata)
    planner = Planner(catalog, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(out_dir.glob(f"{CASE_PREFIX}*")):
        shutil.rmtree(old)
    for index in range(1, count + 1):
        plan = planner.plan(index)
        plan.reasons, plan.blockers = judge(plan, catalog)
        files = render_case(plan, catalog, seed)
        case_dir = out_dir / plan.case_id
        case_dir.mkdir()
        for name, data in sorted(files.items()):
            (case_dir / name).write_bytes(data)
        gold = json.dumps(expected(plan, seed), indent=2, ensure_ascii=False)
        (case_dir / "expected.json").write_text(gold + "\n", encoding="utf-8")
    return count

"""`intake eval run|shadow|export`: measure the pipeline on datasets and on real traffic."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.cli import CliError, settings_from
from app.core.config import Settings
from app.extraction.base import Extractor
from app.routing.policy import PolicyError, RoutingPolicy, load_policy
from evals.sweep import DEFAULT_MAX_FALSE_AUTO


def register(sub: Any) -> None:
    """Add the `eval` command and its sub-commands."""
    ev = sub.add_parser("eval", help="evaluate extraction and routing")
    evsub = ev.add_subparsers(dest="eval_command", required=True, metavar="COMMAND")
    _register_run(evsub)
    _register_shadow(evsub)
    _register_export(evsub)


def _extractor_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--extractor",
        choices=("offline", "llm"),
        default="offline",
        help="offline: the rules extractor; llm: the configured model (INTAKE_LLM_*)",
    )
    parser.add_argument("--record", type=Path, metavar="DIR", help="save the model's answers here")
    parser.add_argument(
        "--replay", type=Path, metavar="DIR", help="replay saved model answers (no network)"
    )


def _register_run(evsub: Any) -> None:
    run = evsub.add_parser("run", help="run a dataset through the graph and score it")
    run.add_argument("--dataset", type=Path, required=True, metavar="DIR")
    _extractor_args(run)
    run.add_argument("--policy", type=Path, default=None, help="routing policy (default: settings)")
    run.add_argument("--json", type=Path, dest="json_file", metavar="FILE")
    run.add_argument("--html", type=Path, dest="html_file", metavar="FILE")
    run.add_argument(
        "--gate",
        action="append",
        default=[],
        metavar="EXPR",
        help="e.g. 'line_f1>=0.9' or 'false_auto_rate<=0.005'; exit 1 when one fails",
    )
    run.add_argument("--baseline", type=Path, metavar="REPORT.json")
    run.add_argument("--limit", type=int, default=None, metavar="N")
    run.add_argument("--workers", type=int, default=1, metavar="N")
    run.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds per case before it counts as an error",
    )
    run.add_argument(
        "--max-false-auto",
        type=float,
        default=DEFAULT_MAX_FALSE_AUTO,
        help="false-auto ceiling for the threshold sweep's pick",
    )
    run.add_argument("--quiet", action="store_true", help="no per-case progress on stderr")
    run.set_defaults(func=_run)


def _register_shadow(evsub: Any) -> None:
    shadow = evsub.add_parser(
        "shadow",
        help="re-run stored messages with a candidate policy/prompt/model in a "
        "throwaway copy and report what would have changed",
    )
    shadow.add_argument("--since", type=_date, required=True, metavar="DATE")
    shadow.add_argument("--policy", type=Path, required=True, metavar="FILE")
    _extractor_args(shadow)
    shadow.add_argument("--database-url", default=None)
    shadow.add_argument("--json", type=Path, dest="json_file", metavar="FILE")
    shadow.add_argument("--limit", type=int, default=None, metavar="N")
    shadow.set_defaults(func=_shadow)


def _register_export(evsub: Any) -> None:
    export = evsub.add_parser("export", help="write approved orders as eval cases")
    export.add_argument("--since", type=_date, required=True, metavar="DATE")
    export.add_argument("directory", type=Path, metavar="DIR")
    export.add_argument("--database-url", default=None)
    export.set_defaults(func=_export)


def _date(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# ---------------------------------------------------------------- shared


def make_extractor(
    kind: str, settings: Settings, *, record: Path | None, replay: Path | None
) -> Extractor:
    """The offline (rules) extractor, or the configured LLM with rules, recording or replaying."""
    from app.extraction.factory import build_extractor, rules_extractor

    if record is not None and replay is not None:
        raise CliError("--record and --replay exclude each other")
    if kind == "offline":
        if record is not None or replay is not None:
            raise CliError("--record/--replay need --extractor llm")
        return rules_extractor()
    if not settings.llm_enabled:
        raise CliError(
            "--extractor llm needs a model: set INTAKE_LLM_MODEL (and _BASE_URL, _API_KEY)"
        )
    if record is not None:
        record.mkdir(parents=True, exist_ok=True)
    if replay is not None and not replay.is_dir():
        raise CliError(f"--replay {replay}: not a directory")
    return build_extractor(settings, None, record_dir=record, replay_dir=replay)


def read_policy(path: Path | None) -> RoutingPolicy:
    try:
        return load_policy(path)
    except PolicyError as exc:
        raise CliError("invalid policy: " + "; ".join(exc.problems)) from exc


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- run


def _run(args: argparse.Namespace) -> int:
    from evals.gates import GateError, baseline_summary, failed_gates, parse_gate
    from evals.report import build_report, render_html
    from evals.runner import CaseRun, case_environment, load_cases, run_cases

    try:
        gates = [parse_gate(g) for g in args.gate]
    except GateError as exc:
        raise CliError(str(exc)) from exc
    baseline = _read_json(args.baseline) if args.baseline else None
    settings = settings_from(args)
    extractor = make_extractor(args.extractor, settings, record=args.record, replay=args.replay)
    policy = read_policy(args.policy or settings.policy_file)
    try:
        cases = load_cases(args.dataset, limit=args.limit)
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from exc
    if not cases:
        raise CliError(f"{args.dataset}: no cases (sub-folders with expected.json)")

    done = [0]

    def progress(run: CaseRun) -> None:
        done[0] += 1
        if not args.quiet:
            state = run.error or (run.predicted or {}).get("route", {}).get("decision")
            ms = f"{run.latency_ms:.0f} ms" if run.latency_ms is not None else ""
            print(f"[{done[0]}/{len(cases)}] {run.case.case_id}: {state} {ms}", file=sys.stderr)

    started = time.perf_counter()
    with case_environment(args.dataset, settings, extractor, policy) as env:
        runs = run_cases(
            env, cases, workers=args.workers, timeout_s=args.timeout, progress=progress
        )
    report = build_report(
        dataset=str(args.dataset),
        extractor=getattr(extractor, "name", "?"),
        runs=runs,
        policy=policy,
        max_false_auto=args.max_false_auto,
        runtime_s=time.perf_counter() - started,
    )
    if args.json_file:
        _write(args.json_file, json.dumps(report, indent=1, default=str) + "\n")
    if args.html_file:
        _write(args.html_file, render_html(report))
    print(summary(report))
    if baseline is not None:
        print(baseline_summary(report, baseline))
    try:
        failures = failed_gates(report, gates)
    except GateError as exc:
        raise CliError(str(exc)) from exc
    for failure in failures:
        print(f"intake: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CliError(f"{path}: not a report (a JSON object)")
    return data


def _fig(value: object, pct: bool = False) -> str:
    if not isinstance(value, int | float):
        return "n/a"
    return f"{value:.1%}" if pct else f"{value:.3f}"


def summary(report: dict[str, Any]) -> str:
    """The headline figures, one screen."""
    sweep = report["sweep"]
    best = sweep.get("best")
    lat = report["latency_ms"]
    lines = [
        f"{report['dataset']}: {report['cases']} cases, extractor {report['extractor']}, "
        f"{report['errors']} errors, {report.get('runtime_s') or 0:.1f} s",
        f"  field accuracy (mean) {_fig(report['field_accuracy_mean'], True)}   "
        f"lines P/R/F1 {_fig(report['line_precision'])}/{_fig(report['line_recall'])}/"
        f"{_fig(report['line_f1'])}   exact {_fig(report['doc_exact_rate'], True)}",
        f"  route accuracy {_fig(report['route_accuracy'], True)}   touchless "
        f"{_fig(report['touchless_rate'], True)}   false auto "
        f"{_fig(report['false_auto_rate'], True)}"
        f"   ECE {_fig(report['ece'])}   latency p50/p95 {_fig(lat['p50'])}/{_fig(lat['p95'])} ms",
        "  " + "  ".join(f"{k} {_fig(v, True)}" for k, v in report["field_accuracy"].items()),
    ]
    if best:
        lines.append(
            f"  sweep: threshold {best['threshold']} gives touchless "
            f"{_fig(best['touchless_rate'], True)} at false auto "
            f"{_fig(best['false_auto_rate'], True)} (policy: "
            f"{sweep['current_threshold']})"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- shadow and export


def _shadow(args: argparse.Namespace) -> int:
    from evals.shadow import run_shadow, shadow_summary

    settings = settings_from(args)
    extractor = make_extractor(args.extractor, settings, record=args.record, replay=args.replay)
    policy = read_policy(args.policy)
    result = run_shadow(
        settings, since=args.since, extractor=extractor, policy=policy, limit=args.limit
    )
    if args.json_file:
        _write(args.json_file, json.dumps(result, indent=1, default=str) + "\n")
    print(shadow_summary(result))
    return 0


def _export(args: argparse.Namespace) -> int:
    from evals.export import export_cases

    settings = settings_from(args)
    written = export_cases(settings, since=args.since, directory=args.directory)
    print(f"wrote {len(written)} cases to {args.directory}")
    for path in written:
        print(f"  {path.name}")
    return 0

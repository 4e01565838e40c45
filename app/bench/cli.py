"""`intake bench pipeline|http|scale|memory`: each prints a table; --json FILE keeps it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.bench.report import write_json


def register(sub: Any) -> None:
    bench = sub.add_parser("bench", help="benchmarks: where the time goes")
    which = bench.add_subparsers(dest="bench_command", required=True)

    pipeline = which.add_parser("pipeline", help="mixed corpus through the offline pipeline")
    pipeline.add_argument("--n", type=int, default=60)
    pipeline.add_argument(
        "--repeat", type=int, default=3, help="rounds, each with its own floor; median shown"
    )
    _json_option(pipeline)
    pipeline.set_defaults(func=_pipeline)

    http = which.add_parser("http", help="HTTP intake latency against a uvicorn server")
    http.add_argument("--n", type=int, default=1000)
    http.add_argument("--concurrency", type=int, default=50)
    http.add_argument(
        "--processes",
        type=int,
        default=1,
        help="HTTP processes of the server (intake serve --workers)",
    )
    http.add_argument(
        "--worker",
        action="store_true",
        help="with the embedded worker processing the messages meanwhile, as `intake serve` runs",
    )
    _json_option(http)
    http.set_defaults(func=_http)

    scale = which.add_parser("scale", help="PostgreSQL throughput with 1..k worker processes")
    scale.add_argument("--workers", default="1,2", help="comma-separated process counts")
    scale.add_argument("--n", type=int, default=300)
    scale.add_argument(
        "--database-url", default=None, help="PostgreSQL URL (default: INTAKE_DATABASE_URL)"
    )
    scale.add_argument(
        "--repeat", type=int, default=3, help="rounds of the counts in turn; medians reported"
    )
    scale.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="leave the workers unpinned (default: worker i runs with --cpus i mod CPUs)",
    )
    _json_option(scale)
    scale.set_defaults(func=_scale)

    memory = which.add_parser("memory", help="a 50-page PDF order through the pipeline")
    memory.add_argument("--pages", type=int, default=50)
    _json_option(memory)
    memory.set_defaults(func=_memory)


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", type=Path, default=None, metavar="FILE")


def _pipeline(args: argparse.Namespace) -> int:
    from app.bench import pipeline

    if args.repeat < 1:
        raise SystemExit("intake bench pipeline: --repeat must be at least 1")
    result = pipeline.run(args.n, repeat=args.repeat)
    pipeline.show(result)
    write_json(args.json, result)
    return 0


def _http(args: argparse.Namespace) -> int:
    from app.bench import http

    result = http.run(
        n=args.n, concurrency=args.concurrency, processes=args.processes, worker=args.worker
    )
    http.show(result)
    write_json(args.json, result)
    return 0 if result["stored_exactly_once"] else 1


def _scale(args: argparse.Namespace) -> int:
    from app.bench import scale
    from app.cli import settings_from

    counts = [int(c) for c in args.workers.split(",") if c.strip()]
    if args.repeat < 1:
        raise SystemExit("intake bench scale: --repeat must be at least 1")
    result = scale.run(
        settings_from(args).database_url, counts, n=args.n, repeat=args.repeat, pin=args.pin
    )
    scale.show(result)
    write_json(args.json, result)
    return 0


def _memory(args: argparse.Namespace) -> int:
    from app.bench import memory

    result = memory.run(pages=args.pages)
    memory.show(result)
    write_json(args.json, result)
    return 0

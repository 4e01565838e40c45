"""`intake worker`: the job worker in a process of its own (procrastinate on PostgreSQL)."""

from __future__ import annotations

import argparse
import signal
from types import FrameType
from typing import Any


def register(sub: Any) -> None:
    worker = sub.add_parser("worker", help="run the job worker (no HTTP)")
    worker.add_argument("--database-url", default=None)
    worker.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="worker threads (default: INTAKE_WORKER_CONCURRENCY)",
    )
    worker.add_argument(
        "--kinds", default=None, help="comma-separated job kinds to take (default: every kind)"
    )
    worker.add_argument(
        "--lease-s",
        type=float,
        default=None,
        help="seconds before a silent worker's jobs run elsewhere (default: INTAKE_JOB_LEASE_S)",
    )
    worker.set_defaults(func=_worker)


def _worker(args: argparse.Namespace) -> int:
    from app.cli import settings_from
    from app.core.context import AppContext
    from app.core.logging import configure_logging
    from app.core.telemetry import install_global
    from app.jobs.backend import make_worker
    from app.jobs.handlers import handlers_for
    from app.lifecycle import freeze_heap
    from app.pipeline import GraphRunner

    settings = settings_from(args)
    configure_logging(settings.log_level, settings.log_json)
    ctx = AppContext.create(settings)
    install_global(ctx.tracer_provider)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    worker = make_worker(
        ctx,
        registry=handlers_for(ctx),
        concurrency=args.concurrency,
        kinds=kinds,
        lease_s=args.lease_s,
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        worker.request_stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    GraphRunner.for_context(ctx)  # the graph, extractor and policy, before the heap is frozen
    freeze_heap()
    worker.start()
    worker.wait()
    worker.stop()
    ctx.tracer_provider.shutdown()
    ctx.engine.dispose()
    return 0

"""`intake worker`: the job worker in a process of its own (procrastinate on PostgreSQL)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from functools import partial
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
    worker.add_argument(
        "--cpus",
        default=None,
        help='pin the process to CPUs: "auto" (a free core of this host) or a list such as '
        '"0,2-3" (default: INTAKE_WORKER_CPUS; empty: not pinned)',
    )
    worker.set_defaults(func=_worker)


def _worker(args: argparse.Namespace) -> int:
    from app.cli import settings_from
    from app.core.context import AppContext
    from app.core.db import migrations_current
    from app.core.logging import configure_logging
    from app.core.telemetry import install_global
    from app.jobs.affinity import CpuSpecError, pin_process
    from app.jobs.backend import make_worker
    from app.jobs.handlers import handlers_for
    from app.lifecycle import freeze_heap
    from app.pipeline import GraphRunner

    settings = settings_from(args)
    configure_logging(settings.log_level, settings.log_json)
    try:  # first: every thread and child started from here on inherits it
        cpus = pin_process(settings.worker_cpus if args.cpus is None else args.cpus)
    except CpuSpecError as exc:
        print(f"intake worker: --cpus: {exc}", file=sys.stderr)
        return 2
    if cpus is not None:
        logging.getLogger(__name__).info("worker pinned", extra={"cpus": sorted(cpus)})
    ctx = AppContext.create(settings)
    if not migrations_current(ctx.engine):
        print(
            "intake worker: the database is not at this release's migration: "
            "run `intake db upgrade` first",
            file=sys.stderr,
        )
        ctx.engine.dispose()
        return 2
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
    runner = GraphRunner.for_context(ctx)  # graph, extractor, policy: before the heap freezes
    worker.warm_up = partial(runner.warm_up, worker.concurrency)
    freeze_heap()
    worker.start()
    worker.wait()
    worker.stop()
    ctx.tracer_provider.shutdown()
    ctx.engine.dispose()
    return 0

"""`intake worker` processes on one PostgreSQL queue, and what the queue says about them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

REPO = Path(__file__).resolve().parents[2]


def start_workers(
    database_url: str,
    count: int,
    *,
    concurrency: int = 1,
    lease_s: float = 6.0,
    pin: bool = False,
) -> list[subprocess.Popen[bytes]]:
    """`count` worker processes, output discarded (they log JSON to stderr); with `pin`, the
    i-th on the i-th CPU this process may use (round robin)."""
    env = {
        **os.environ,
        "INTAKE_OTEL_EXPORTER": "none",
        "INTAKE_LOG_LEVEL": "WARNING",
        "INTAKE_WORKER_EMBEDDED": "false",
    }
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "worker",
        "--database-url",
        database_url,
        "--concurrency",
        str(concurrency),
        "--lease-s",
        str(lease_s),
    ]
    cpus = sorted(os.sched_getaffinity(0)) if pin else []
    return [
        subprocess.Popen(
            [*command, *(["--cpus", str(cpus[i % len(cpus)])] if cpus else [])],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]], timeout_s: float = 30.0) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout_s)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@dataclass(frozen=True)
class QueueState:
    todo: int
    doing: int
    succeeded: int
    failed: int


def queue_state(engine: Engine) -> QueueState:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")
        ).all()
    counts: dict[str, int] = {str(status): int(count) for status, count in rows}
    return QueueState(
        todo=counts.get("todo", 0),
        doing=counts.get("doing", 0),
        succeeded=counts.get("succeeded", 0),
        failed=counts.get("failed", 0),
    )


def wait_until_done(
    engine: Engine,
    total: int,
    *,
    timeout_s: float,
    poll_s: float = 0.5,
    on_poll: Callable[[], None] | None = None,
) -> QueueState:
    """Poll until `total` jobs succeeded or failed, or the timeout passes; `on_poll` runs
    at every poll (a CPU sample, say)."""
    deadline = time.monotonic() + timeout_s
    state = queue_state(engine)
    while state.succeeded + state.failed < total and time.monotonic() < deadline:
        time.sleep(poll_s)
        if on_poll is not None:
            on_poll()
        state = queue_state(engine)
    return state

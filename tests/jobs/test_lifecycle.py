"""The embedded worker inside the app, and `intake worker` as a process of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import Session, select

from app.core.context import AppContext
from app.core.db import session_scope
from app.intake.service import PROCESS_MESSAGE_JOB
from app.intake.tables import InboundMessage
from app.jobs import service
from app.jobs.handlers import JOB_HANDLERS, HandlerRegistry
from app.jobs.tables import Job, JobStatus
from app.jobs.worker import Worker
from app.lifecycle import WORKER
from app.main import create_app

from .databases import make_context, settings_for, sqlite_url

RAW = (
    b"From: Buyer <buyer@acme-industrial.com>\r\nTo: orders@example.com\r\n"
    b"Subject: PO 77\r\nMessage-ID: <po-77@acme-industrial.com>\r\n\r\n12 x WIDGET-40\r\n"
)


def test_embedded_worker_processes_a_posted_message_in_the_same_trace(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    settings = settings_for(sqlite_url(tmp_path), worker_concurrency=1)
    ctx = make_context(settings, provider)
    handled = threading.Event()
    seen: list[dict[str, Any]] = []

    def process_message(c: AppContext, payload: dict[str, Any]) -> None:
        seen.append(payload)
        handled.set()

    handlers = HandlerRegistry()
    handlers.register(PROCESS_MESSAGE_JOB, process_message)
    ctx.extras[JOB_HANDLERS] = handlers
    app = create_app(settings, context=ctx, migrate=False, start_worker=True)
    with TestClient(app) as client:
        worker = ctx.extras[WORKER]
        assert isinstance(worker, Worker) and worker.running
        posted = client.post(
            "/v1/intake/messages", content=RAW, headers={"Content-Type": "message/rfc822"}
        )
        assert posted.status_code == 202
        assert handled.wait(10)
    assert WORKER not in ctx.extras and not worker.running  # stopped at shutdown
    message_id = posted.json()["id"]
    assert seen == [{"message_id": message_id}]
    with Session(ctx.engine) as s:
        message = s.get(InboundMessage, message_id)
        [job] = s.exec(select(Job)).all()
    assert message is not None and job.status == JobStatus.DONE
    [job_span] = [s for s in exporter.get_finished_spans() if s.name == "job process_message"]
    assert job_span.context is not None
    assert format(job_span.context.trace_id, "032x") == message.trace_id
    ctx.engine.dispose()


def test_worker_command_runs_until_sigterm(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    ctx = make_context(settings_for(url))
    with session_scope(ctx.engine) as s:
        job_id = service.enqueue(s, "no_such_kind", {}, max_attempts=1).id
    env = {**os.environ, "INTAKE_OTEL_EXPORTER": "none", "INTAKE_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker", "--database-url", url, "--concurrency", "1"],
        env=env,
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            with Session(ctx.engine) as s:
                job = s.get(Job, job_id)
                status = job.status if job else None
            if status == JobStatus.DEAD:
                break
            time.sleep(0.2)
        assert status == JobStatus.DEAD, proc.communicate()[1] if proc.poll() else status
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    with Session(ctx.engine) as s:
        job = s.get(Job, job_id)
        assert job is not None and "no handler registered" in (job.last_error or "")
    ctx.engine.dispose()


def test_the_worker_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "worker", "--database-url", url],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "run `intake db upgrade` first" in done.stderr

"""Queue depth and job age on PostgreSQL, where jobs are procrastinate's."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from app.core.context import AppContext
from app.core.db import session_scope
from app.core.time import utcnow
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.metrics.repository import read_snapshot


def _raw(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "buyer@example.com"
    msg["Message-ID"] = f"<metrics-{n}@example.com>"
    msg["Subject"] = "PO"
    msg.set_content("Please send 2 x ABR-1015")
    return bytes(msg)


@pytest.mark.postgres
def test_waiting_jobs_are_counted_from_the_procrastinate_queue(pg_demo_ctx: AppContext) -> None:
    with session_scope(pg_demo_ctx.engine) as session:
        for n in range(3):
            store_inbound(session, raw=_raw(n), source=MessageSource.CLI)
    with session_scope(pg_demo_ctx.engine) as session:
        snapshot = read_snapshot(session, now=utcnow())
    assert snapshot.jobs == {("process_message", "queued"): 3}
    assert snapshot.oldest_waiting_s["process_message"] >= 0

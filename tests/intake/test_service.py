"""store_inbound directly: the unique dedup key is what decides, not the look-up before it."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from app.core.context import AppContext
from app.core.db import session_scope
from app.intake import repository, service
from app.intake.tables import InboundMessage, MessageSource

from .payloads import jobs, messages, po_email


def test_the_unique_key_catches_what_the_look_up_missed(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(ctx.engine) as s:
        first, dup = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
    assert not dup
    real = repository.get_by_dedup_key
    calls = 0

    def blind_first_look(session: Session, key: str) -> InboundMessage | None:
        nonlocal calls
        calls += 1
        return None if calls == 1 else real(session, key)  # as if the winner had not committed

    monkeypatch.setattr(repository, "get_by_dedup_key", blind_first_look)
    with session_scope(ctx.engine) as s:
        again, dup = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
        s.flush()  # the failed insert was rolled back to its savepoint; the session works
    assert dup and again.id == first.id and calls == 2
    assert len(messages(ctx)) == 1 and len(jobs(ctx)) == 1


@pytest.mark.postgres
def test_postgres_second_writer_waits_then_sees_a_duplicate(pg_ctx: AppContext) -> None:
    outcome: list[tuple[str, bool]] = []
    with session_scope(pg_ctx.engine) as first:
        winner, dup = service.store_inbound(first, raw=po_email(), source=MessageSource.CLI)
        assert not dup

        def second_writer() -> None:
            with session_scope(pg_ctx.engine) as s:
                msg, d = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
                outcome.append((msg.id, d))

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # blocked on the uncommitted unique key
    thread.join(10)  # the first commit releases it
    assert outcome == [(winner.id, True)]
    assert len(messages(pg_ctx)) == 1 and len(jobs(pg_ctx)) == 1


@pytest.mark.postgres
def test_postgres_twenty_threads_calling_the_service(pg_ctx: AppContext) -> None:
    start = threading.Barrier(20)
    results: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def deliver() -> None:
        start.wait()
        with session_scope(pg_ctx.engine) as s:
            msg, dup = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
        with lock:
            results.append((msg.id, dup))

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len({r[0] for r in results}) == 1
    assert sorted(r[1] for r in results) == [False] + [True] * 19
    assert len(messages(pg_ctx)) == 1 and len(jobs(pg_ctx)) == 1

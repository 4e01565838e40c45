"""store_inbound directly: the unique dedup key is what decides, not the look-up before it."""

from __future__ import annotations

import threading
from dataclasses import fields

import pytest
from sqlmodel import Session

from app.core.context import AppContext
from app.core.db import session_scope
from app.core.errors import TooManyRequests
from app.intake import repository, service
from app.intake.schemas import StoredMessage
from app.intake.tables import InboundMessage, MessageSource

from .payloads import jobs, messages, po_email, raw_of


def test_the_unique_key_catches_what_the_look_up_missed(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(ctx.engine) as s:
        first, dup = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
    assert not dup
    calls = 0

    def blind_look(session: Session, keys: set[str]) -> set[str]:
        nonlocal calls
        calls += 1
        return set()  # as if the winner had not committed yet

    monkeypatch.setattr(repository, "stored_dedup_keys", blind_look)
    with session_scope(ctx.engine) as s:
        again, dup = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
        s.flush()  # the insert that lost wrote nothing; the session still works
    assert dup and again.id == first.id and calls == 1
    assert len(messages(ctx)) == 1 and len(jobs(ctx)) == 1


def test_one_batch_with_a_duplicate_inside_and_a_sender_over_its_rate(ctx: AppContext) -> None:
    other = po_email(message_id="<PO-4712.cd34@mail.acme-industrial.com>")
    third = po_email(message_id="<PO-4713.ef56@mail.acme-industrial.com>")
    batch = [
        service.prepare(raw, MessageSource.CLI) for raw in (po_email(), other, po_email(), third)
    ]
    with session_scope(ctx.engine) as s:
        outcomes = service.store_many(s, batch, sender_rate_per_minute=2)
    first, second, again, over = outcomes
    assert isinstance(first, tuple) and isinstance(second, tuple) and isinstance(again, tuple)
    assert first[1] is False and second[1] is False
    assert again == (again[0], True) and again[0].id == first[0].id
    assert isinstance(over, TooManyRequests)  # the same sender's third distinct message
    assert len(messages(ctx)) == 2 and len(jobs(ctx)) == 2


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


def test_the_stored_record_has_every_column_of_the_message_row(ctx: AppContext) -> None:
    """The store path inserts a StoredMessage's values as the row: a column missing from it
    would be written NULL."""
    assert {f.name for f in fields(StoredMessage)} == set(InboundMessage.__table__.columns.keys())
    with session_scope(ctx.engine) as s:
        stored, _ = service.store_inbound(s, raw=po_email(), source=MessageSource.CLI)
    with session_scope(ctx.engine) as s:
        assert StoredMessage.of(service.get_message(s, stored.id)) == stored


def test_two_deliveries_of_one_message_in_a_batch_keep_the_first_ones_bytes(
    ctx: AppContext,
) -> None:
    """The row and the stored bytes come from the same delivery (the first), even when a
    second delivery of the same Message-ID arrives with other bytes in the same batch."""
    first = po_email(subject="first copy")
    second = po_email(subject="second copy, other bytes")
    batch = [service.prepare(raw, MessageSource.CLI) for raw in (first, second)]
    with session_scope(ctx.engine) as s:
        outcomes = service.store_many(s, batch, sender_rate_per_minute=None)
    (stored, dup1), (again, dup2) = outcomes
    assert (dup1, dup2) == (False, True) and again.id == stored.id
    assert raw_of(ctx, stored.id) == first and stored.size_bytes == len(first)

"""The SQLite group commit: many requests' messages in one transaction, each answered after it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import Session

from app.core.context import AppContext
from app.core.errors import TooManyRequests, Unavailable
from app.intake import group_commit, service
from app.intake.group_commit import GroupCommitWriter
from app.intake.tables import MessageSource

from .payloads import jobs, messages, po_email


def _writer(ctx: AppContext, rate: int | None = None) -> GroupCommitWriter:
    return GroupCommitWriter(ctx.engine, sender_rate_per_minute=rate)


def _delivery(n: int, sender: str = "Buyer <buyer@acme-industrial.com>") -> service.Delivery:
    raw = po_email(message_id=f"<gc-{n}@acme-industrial.com>", sender=sender)
    return service.prepare(raw, MessageSource.RFC822)


async def _store_all(writer: GroupCommitWriter, deliveries: list[service.Delivery]) -> list[Any]:
    return await asyncio.gather(*(writer.store(d) for d in deliveries), return_exceptions=True)


def test_concurrent_requests_share_commits_and_each_gets_its_own_answer(ctx: AppContext) -> None:
    writer = _writer(ctx)
    commits = 0
    real = service.store_many

    def counting(session: Session, deliveries: Any, **kw: Any) -> Any:
        nonlocal commits
        commits += 1
        return real(session, deliveries, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(group_commit, "store_many", counting)
    try:
        batch = [_delivery(n) for n in range(40)] + [_delivery(3)]  # one duplicate inside
        results = asyncio.run(_store_all(writer, batch))
    finally:
        writer.stop()
        mp.undo()
    assert all(isinstance(r, tuple) for r in results)
    assert [dup for _, dup in results] == [False] * 40 + [True]
    assert results[40][0].id == results[3][0].id
    assert commits < len(batch)  # requests that waited together were stored together
    assert len(messages(ctx)) == 40 and len(jobs(ctx)) == 40


def test_a_sender_over_its_rate_is_refused_without_failing_the_batch(ctx: AppContext) -> None:
    writer = _writer(ctx, rate=3)
    try:
        results = asyncio.run(_store_all(writer, [_delivery(n) for n in range(5)]))
    finally:
        writer.stop()
    stored = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, TooManyRequests)]
    assert len(stored) == 3 and len(refused) == 2
    assert len(messages(ctx)) == 3


def test_a_batch_that_fails_is_stored_one_by_one(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message whose storing raises must not cost the other requests of its batch."""
    real = service.store_many

    def fails_on_poison(session: Session, deliveries: Any, **kw: Any) -> Any:
        if any(d.key == "mid:gc-poison@acme-industrial.com" for d in deliveries):
            raise ValueError("cannot store this one")
        return real(session, deliveries, **kw)

    monkeypatch.setattr(group_commit, "store_many", fails_on_poison)
    writer = _writer(ctx)
    poison = service.prepare(
        po_email(message_id="<gc-poison@acme-industrial.com>"), MessageSource.RFC822
    )
    try:
        results = asyncio.run(_store_all(writer, [_delivery(1), poison, _delivery(2)]))
    finally:
        writer.stop()
    assert isinstance(results[0], tuple) and isinstance(results[2], tuple)
    assert isinstance(results[1], ValueError)
    assert len(messages(ctx)) == 2


def test_an_unavailable_database_answers_every_waiting_request_503(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def down(*_: Any, **__: Any) -> Any:
        raise OperationalError("BEGIN", {}, Exception("disk I/O error"))

    monkeypatch.setattr(group_commit, "store_many", down)
    writer = _writer(ctx)
    try:
        results = asyncio.run(_store_all(writer, [_delivery(n) for n in range(3)]))
    finally:
        writer.stop()
    assert all(isinstance(r, Unavailable) for r in results)


def test_stop_stores_what_is_queued_and_a_later_request_starts_it_again(ctx: AppContext) -> None:
    writer = _writer(ctx)

    async def scenario() -> None:
        pending = [asyncio.ensure_future(writer.store(_delivery(n))) for n in range(5)]
        await asyncio.sleep(0)
        await asyncio.to_thread(writer.stop)
        await asyncio.gather(*pending)
        await writer.store(_delivery(99))

    try:
        asyncio.run(scenario())
    finally:
        writer.stop()
    assert len(messages(ctx)) == 6

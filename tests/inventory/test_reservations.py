"""Reservations: idempotent per order line, and stock is never promised twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from app.core.db import session_scope
from app.core.errors import NotFound, Unprocessable
from app.inventory import service
from app.inventory.service import InsufficientStock, ReservationMismatch
from app.inventory.tables import Reservation, ReservationStatus
from app.masterdata.tables import StockRow

from .conftest import add_receipt, add_stock


def reserve(engine: Engine, key: str, quantity: int, sku: str = "SKU-1") -> Reservation:
    with session_scope(engine) as session:
        return service.reserve(
            session,
            order_line_key=key,
            sku=sku,
            warehouse_id="CHI",
            quantity=Decimal(quantity),
            actor="tester",
            reason="order",
        )


def release(engine: Engine, key: str) -> Reservation | None:
    with session_scope(engine) as session:
        return service.release(session, order_line_key=key, actor="tester", reason="cancelled")


def allocated(engine: Engine, sku: str = "SKU-1") -> Decimal:
    with session_scope(engine) as session:
        row = session.get(StockRow, (sku, "CHI"))
        assert row is not None
        return row.allocated


def test_reserve_is_idempotent_per_order_line(db: Engine) -> None:
    add_stock(db, on_hand=10)
    first = reserve(db, "SO-1/1", 4)
    again = reserve(db, "SO-1/1", 4)
    assert again.id == first.id
    assert again.status == ReservationStatus.RESERVED
    assert again.created_at.tzinfo is not None
    assert allocated(db) == 4
    with pytest.raises(ReservationMismatch):
        reserve(db, "SO-1/1", 5)


def test_release_is_idempotent_and_gives_stock_back(db: Engine) -> None:
    add_stock(db, on_hand=10, allocated=2)
    reserve(db, "SO-1/1", 4)
    released = release(db, "SO-1/1")
    assert released is not None and released.status == ReservationStatus.RELEASED
    assert released.released_by == "tester"
    assert allocated(db) == 2
    assert release(db, "SO-1/1") is not None
    assert allocated(db) == 2
    assert release(db, "SO-unknown/1") is None
    assert reserve(db, "SO-1/1", 4).status == ReservationStatus.RELEASED  # a key is used once


def test_only_what_is_available_now_can_be_reserved(db: Engine) -> None:
    add_stock(db, on_hand=10, allocated=3, safety_stock=2)
    with pytest.raises(InsufficientStock) as info:
        reserve(db, "SO-1/1", 6)
    assert info.value.status_code == 409
    assert info.value.details["available"] == "5"
    assert reserve(db, "SO-1/2", 5).quantity == 5
    with pytest.raises(NotFound):
        reserve(db, "SO-1/3", 1, sku="SKU-404")
    with pytest.raises(Unprocessable):
        reserve(db, "SO-1/4", 0)


def test_backorders_promise_a_receipt_at_most_once(db: Engine) -> None:
    add_stock(db, on_hand=0)
    add_receipt(db, quantity=20)

    def backorder(key: str, quantity: int) -> Reservation:
        with session_scope(db) as session:
            return service.backorder(
                session,
                order_line_key=key,
                receipt_id="PO-1",
                quantity=Decimal(quantity),
                actor="tester",
                reason="order",
            )

    assert backorder("SO-1/1", 15).status == ReservationStatus.BACKORDER
    assert backorder("SO-1/1", 15).receipt_id == "PO-1"
    with pytest.raises(InsufficientStock):
        backorder("SO-2/1", 6)
    release(db, "SO-1/1")
    assert backorder("SO-2/1", 6).quantity == 6
    assert allocated(db) == 0


def run_together(callers: list[Callable[[], None]]) -> None:
    start = threading.Barrier(len(callers))

    def run(call: Callable[[], None]) -> None:
        start.wait()
        call()

    threads = [threading.Thread(target=run, args=(call,)) for call in callers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)


def test_concurrent_reservations_never_promise_stock_twice(db: Engine) -> None:
    add_stock(db, on_hand=10)
    outcomes: list[str] = []

    def caller(n: int) -> Callable[[], None]:
        def call() -> None:
            try:
                reserve(db, f"SO-{n}/1", 3)
                outcomes.append("reserved")
            except InsufficientStock:
                outcomes.append("short")

        return call

    run_together([caller(n) for n in range(6)])
    assert sorted(outcomes) == ["reserved"] * 3 + ["short"] * 3
    assert allocated(db) == 9


def test_concurrent_retries_of_one_line_reserve_once(db: Engine) -> None:
    add_stock(db, on_hand=10)
    ids: list[int | None] = []
    run_together([lambda: ids.append(reserve(db, "SO-9/1", 3).id) for _ in range(4)])
    assert len(ids) == 4 and len(set(ids)) == 1
    assert allocated(db) == 3

"""Property: whatever the order of reserves and releases, stock is never promised twice."""

from __future__ import annotations

from contextlib import suppress
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import select

from app.core.db import make_engine, session_scope
from app.inventory import service
from app.inventory.service import InsufficientStock
from app.inventory.tables import Reservation, ReservationStatus
from app.masterdata.tables import StockRow

from .conftest import create_tables

ENGINE = make_engine("sqlite://")
create_tables(ENGINE)

operations = st.lists(
    st.tuples(st.sampled_from(["reserve", "release"]), st.integers(0, 5), st.integers(1, 6)),
    max_size=25,
)


def apply(kind: str, line: int, quantity: int) -> None:
    with session_scope(ENGINE) as session:
        if kind == "release":
            service.release(session, order_line_key=f"L{line}", actor="p", reason="p")
            return
        with suppress(InsufficientStock, service.ReservationMismatch):
            service.reserve(
                session,
                order_line_key=f"L{line}",
                sku="S",
                warehouse_id="W",
                quantity=Decimal(quantity),
                actor="p",
                reason="p",
            )


@settings(max_examples=40, deadline=None)
@given(
    on_hand=st.integers(0, 15), taken=st.integers(0, 4), safety=st.integers(0, 3), ops=operations
)
def test_held_stock_never_exceeds_what_was_available(
    on_hand: int, taken: int, safety: int, ops: list[tuple[str, int, int]]
) -> None:
    with session_scope(ENGINE) as session:
        session.execute(delete(Reservation))
        session.execute(delete(StockRow))
        session.add(
            StockRow(
                sku="S",
                warehouse_id="W",
                on_hand=Decimal(on_hand),
                allocated=Decimal(taken),
                safety_stock=Decimal(safety),
            )
        )
    for op in ops:
        apply(*op)
        with session_scope(ENGINE) as session:
            stock = session.exec(select(StockRow)).one()
            held = sum(
                (
                    r.quantity
                    for r in session.exec(select(Reservation)).all()
                    if r.status == ReservationStatus.RESERVED
                ),
                Decimal(0),
            )
        assert stock.allocated == taken + held
        assert held <= max(on_hand - taken - safety, 0)

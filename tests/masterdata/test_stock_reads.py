"""A graph run reads the stock of the SKUs its tools ask about, once, fresh from the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from app.core.context import AppContext
from app.core.db import session_scope
from app.inventory import service as inventory
from app.masterdata.tables import StockRow
from app.pipeline import RunMasterData


def _stocked(ctx: AppContext) -> tuple[str, str]:
    with session_scope(ctx.engine) as session:
        rows = session.exec(select(StockRow).order_by(StockRow.sku, StockRow.warehouse_id))
        row = next(r for r in rows if r.on_hand - r.allocated > 5)
        return row.sku, row.warehouse_id


def _reserve(ctx: AppContext, key: tuple[str, str], quantity: int) -> None:
    with session_scope(ctx.engine) as session:
        inventory.reserve(
            session,
            order_line_key=f"SO-9/{quantity}",
            sku=key[0],
            warehouse_id=key[1],
            quantity=Decimal(quantity),
            actor="test",
            reason="order",
        )


def test_a_run_reads_only_the_skus_asked_for(demo_ctx: AppContext) -> None:
    sku, _ = _stocked(demo_ctx)
    run = RunMasterData(demo_ctx.engine, "USD")
    assert run().stock == {}
    assert run().products  # the rest of master data is all there
    stock = run([sku]).stock
    assert stock and {s for s, _ in stock} == {sku}


def test_a_run_keeps_its_figures_and_the_next_run_sees_a_reservation(
    demo_ctx: AppContext,
) -> None:
    key = _stocked(demo_ctx)
    run = RunMasterData(demo_ctx.engine, "USD")
    before = run([key[0]]).stock[key]
    _reserve(demo_ctx, key, 3)
    assert run([key[0]]).stock[key] == before  # one run, one set of figures
    other = next(
        sku for sku in run().products if sku != key[0] and run([sku]).stock
    )  # a SKU asked for later is read then, and the first keeps its figures
    assert run().stock[key] == before and any(s == other for s, _ in run().stock)
    after = RunMasterData(demo_ctx.engine, "USD")([key[0]]).stock[key]
    assert after.allocated == before.allocated + 3


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_hand_edit_is_seen_by_the_next_run(
    database: str, demo_ctx: AppContext, request: pytest.FixtureRequest
) -> None:
    ctx: AppContext = demo_ctx if database == "sqlite" else request.getfixturevalue("pg_demo_ctx")
    key = _stocked(ctx)
    before = RunMasterData(ctx.engine, "USD")([key[0]]).stock[key]
    with session_scope(ctx.engine) as session:  # not through the service: as a hand edit
        row = session.exec(
            select(StockRow).where(StockRow.sku == key[0], StockRow.warehouse_id == key[1])
        ).one()
        row.on_hand += 7
        session.add(row)
    after = RunMasterData(ctx.engine, "USD")([key[0]]).stock[key]
    assert after.on_hand == before.on_hand + 7

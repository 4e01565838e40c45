"""Each graph run reads every stock level; on SQLite that read is reused until md_stock changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from app.core.context import AppContext
from app.core.db import session_scope
from app.inventory import service as inventory
from app.masterdata.service import current_stock
from app.pipeline import current_masterdata
from tools.masterdata import StockLevel


def _stock(ctx: AppContext) -> dict[tuple[str, str], StockLevel]:
    with session_scope(ctx.engine) as session:
        return dict(current_stock(session))


def test_a_reservation_shows_in_the_next_read_and_nothing_else_rereads(
    demo_ctx: AppContext,
) -> None:
    md = current_masterdata(demo_ctx.engine, "USD")
    assert current_masterdata(demo_ctx.engine, "USD").stock is md.stock  # unchanged: reused
    key = next(k for k, level in md.stock.items() if level.on_hand - level.allocated > 5)
    with session_scope(demo_ctx.engine) as session:
        inventory.reserve(
            session,
            order_line_key="SO-9/1",
            sku=key[0],
            warehouse_id=key[1],
            quantity=Decimal(3),
            actor="test",
            reason="order",
        )
    after = current_masterdata(demo_ctx.engine, "USD")
    assert after.stock is not md.stock
    assert after.stock[key].allocated == md.stock[key].allocated + 3


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE md_stock SET on_hand = on_hand + 7 WHERE sku = :sku AND warehouse_id = :wh",
        "DELETE FROM md_stock WHERE sku = :sku AND warehouse_id = :wh",
    ],
)
def test_any_write_to_md_stock_is_seen(demo_ctx: AppContext, statement: str) -> None:
    """Writes the service does not make (a hand edit, another process) count too."""
    before = _stock(demo_ctx)
    sku, wh = next(iter(before))
    with session_scope(demo_ctx.engine) as session:
        session.execute(text(statement), {"sku": sku, "wh": wh})
    after = _stock(demo_ctx)
    assert after != before
    assert (sku, wh) not in after or after[(sku, wh)].on_hand == before[(sku, wh)].on_hand + 7


def test_postgres_reads_stock_each_time(pg_demo_ctx: AppContext) -> None:
    """No change counter on PostgreSQL (it would serialise workers): a fresh read every run."""
    first = current_masterdata(pg_demo_ctx.engine, "USD")
    again = current_masterdata(pg_demo_ctx.engine, "USD")
    assert again.stock is not first.stock and again.stock == first.stock

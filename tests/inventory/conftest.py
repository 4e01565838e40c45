"""Databases for reservation tests: a SQLite file, and PostgreSQL when configured.

PostgreSQL tests run in a schema of their own (t_<random>), dropped afterwards, so engineers
sharing the database do not collide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Table, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from app.core.db import make_engine, session_scope
from app.inventory.tables import Reservation
from app.masterdata.tables import ScheduledReceiptRow, StockRow

PG_URL_VARIABLE = "INTAKE_TEST_DATABASE_URL"
TABLES: list[Table] = [
    SQLModel.metadata.tables[name]
    for name in (
        StockRow.__tablename__,
        ScheduledReceiptRow.__tablename__,
        Reservation.__tablename__,
    )
]


def create_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine, tables=TABLES)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'inventory.db'}")
    create_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_db() -> Iterator[Engine]:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(f"{PG_URL_VARIABLE} is not set: PostgreSQL reservation tests need it")
    schema = f"t_{uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, pool_size=10, connect_args={"options": f"-csearch_path={schema}"})
    try:
        create_tables(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Engine:
    """Each backend in turn."""
    engine: Engine = request.getfixturevalue(f"{request.param}_db")
    return engine


def add_stock(
    engine: Engine,
    *,
    sku: str = "SKU-1",
    warehouse_id: str = "CHI",
    on_hand: int = 10,
    allocated: int = 0,
    safety_stock: int = 0,
) -> None:
    with session_scope(engine) as session:
        session.add(
            StockRow(
                sku=sku,
                warehouse_id=warehouse_id,
                on_hand=Decimal(on_hand),
                allocated=Decimal(allocated),
                safety_stock=Decimal(safety_stock),
            )
        )


def add_receipt(
    engine: Engine, *, receipt_id: str = "PO-1", sku: str = "SKU-1", quantity: int = 20
) -> None:
    with session_scope(engine) as session:
        session.add(
            ScheduledReceiptRow(
                receipt_id=receipt_id,
                sku=sku,
                warehouse_id="CHI",
                expected_date=date(2027, 1, 15),
                quantity=Decimal(quantity),
            )
        )

"""A fresh SQLite file database with the master-data and reservation tables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import Table, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from app.core.db import make_engine
from app.inventory.tables import Reservation
from app.masterdata import service
from app.masterdata.tables import ROW_TYPES, MasterDataVersion

MY_MODELS: tuple[type[SQLModel], ...] = (*ROW_TYPES.values(), MasterDataVersion, Reservation)
MY_TABLES: list[Table] = [SQLModel.metadata.tables[str(m.__tablename__)] for m in MY_MODELS]
DEMO_DIR = Path(str(resources.files("app.masterdata") / "demo"))


def create_tables(engine: Engine) -> None:
    """What the migrations will create for these modules."""
    SQLModel.metadata.create_all(engine, tables=MY_TABLES)


def sqlite_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    create_tables(engine)
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = sqlite_engine(tmp_path / "md.db")
    yield eng
    eng.dispose()
    service.clear_cache()


@pytest.fixture
def demo_dir() -> Path:
    return DEMO_DIR


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A PostgreSQL engine on a schema of its own, dropped afterwards."""
    url = os.environ.get("INTAKE_TEST_DATABASE_URL")
    if not url:
        pytest.skip("INTAKE_TEST_DATABASE_URL is not set: PostgreSQL master-data tests need it")
    schema = f"t_{uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        create_tables(eng)
        yield eng
    finally:
        eng.dispose()
        service.clear_cache()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

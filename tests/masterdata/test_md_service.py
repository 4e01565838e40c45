"""Loading, exporting and caching master data in the database."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from app.core.db import session_scope
from app.inventory import service as inventory
from app.masterdata import repository, service
from app.masterdata.csvio import RECORD_BY_FILE, MasterDataInvalid, write_directory
from app.masterdata.demo_generator import build

from .conftest import sqlite_engine


def load(engine: Engine, directory: Path) -> service.LoadSummary:
    with session_scope(engine) as session:
        return service.load_directory(session, directory)


def export(engine: Engine, directory: Path) -> None:
    with session_scope(engine) as session:
        service.export_directory(session, directory)


def assert_same_files(left: Path, right: Path) -> None:
    assert sorted(p.name for p in left.iterdir()) == sorted(RECORD_BY_FILE)
    for name in RECORD_BY_FILE:
        assert (left / name).read_bytes() == (right / name).read_bytes(), name


def test_demo_company_figures(engine: Engine, demo_dir: Path) -> None:
    summary = load(engine, demo_dir)
    counts = summary.counts
    assert summary.version == 1
    assert counts["products.csv"] >= 150
    assert counts["customers.csv"] == 25
    assert counts["warehouses.csv"] == 3
    assert counts["carriers.csv"] == 4
    assert counts["fx_rates.csv"] == 2
    with session_scope(engine) as session:
        md = service.load_masterdata(session)
    assert {p.category for p in md.products.values()} >= {
        "Fasteners",
        "Abrasives",
        "Safety & PPE",
        "Lubricants & Chemicals",
        "Electrical",
        "Power Tools",
        "Hand Tools",
        "Plumbing",
    }
    assert {p.hazmat_class for p in md.products.values()} >= {"2.1", "3", "8"}
    assert any(p.discontinued for p in md.products.values())
    assert [c.customer_id for c in md.customers.values() if c.credit_hold] == ["C1020"]
    assert {c.currency for c in md.customers.values()} == {"USD", "CAD", "EUR"}
    assert [w.warehouse_id for w in md.warehouses.values() if w.hazmat_certified] == ["CHI"]
    assert any(s.hazmat_allowed for s in md.services.values())
    promotions = [a for a in md.agreements.values() if a.kind == "promotion"]
    assert any(
        a.valid_to is not None and a.valid_to.isoformat() == "2027-12-31" for a in promotions
    )
    assert any(a.valid_to is not None and a.valid_to.year == 2026 for a in promotions)
    assert any(s.on_hand - s.allocated - s.safety_stock <= 0 for s in md.stock.values())
    assert all("2026-12-01" <= r.expected_date.isoformat() <= "2027-03-31" for r in md.receipts)


def test_generator_reproduces_the_shipped_files(tmp_path: Path, demo_dir: Path) -> None:
    write_directory(tmp_path, build())
    assert_same_files(tmp_path, demo_dir)


def test_export_load_export_is_byte_for_byte(
    engine: Engine, demo_dir: Path, tmp_path: Path
) -> None:
    load(engine, demo_dir)
    first = tmp_path / "first"
    export(engine, first)
    assert_same_files(first, demo_dir)
    other = sqlite_engine(tmp_path / "other.db")
    try:
        load(other, first)
        export(other, tmp_path / "second")
    finally:
        other.dispose()
    assert_same_files(tmp_path / "second", first)


@pytest.mark.postgres
def test_round_trip_on_postgres(postgres_engine: Engine, demo_dir: Path, tmp_path: Path) -> None:
    load(postgres_engine, demo_dir)
    export(postgres_engine, tmp_path / "out")
    assert_same_files(tmp_path / "out", demo_dir)


def test_a_bad_row_imports_nothing(engine: Engine, demo_dir: Path, tmp_path: Path) -> None:
    load(engine, demo_dir)
    bad = tmp_path / "bad"
    shutil.copytree(demo_dir, bad)
    (bad / "carriers.csv").write_text("carrier_id,name\nONLY,Only Carrier\n")
    with pytest.raises(MasterDataInvalid) as info:
        load(engine, bad)
    assert any(str(e).startswith("carrier_services.csv:") for e in info.value.errors)
    with session_scope(engine) as session:
        assert repository.count_rows(session)["carriers.csv"] == 4
        assert service.stamp(session).version == 1


def test_load_replaces_everything(engine: Engine, demo_dir: Path, tmp_path: Path) -> None:
    load(engine, demo_dir)
    small = tmp_path / "small"
    small.mkdir()
    for name, rows in (("customers.csv", 2), ("ship_tos.csv", 4), ("products.csv", 2)):
        lines = (demo_dir / name).read_text().splitlines(keepends=True)
        (small / name).write_text("".join(lines[: rows + 1]))
    summary = load(engine, small)
    assert summary.version == 2
    assert summary.counts["customers.csv"] == 2
    assert summary.counts["stock.csv"] == 0


def test_reservations_survive_a_reload_and_stay_out_of_the_export(
    engine: Engine, demo_dir: Path, tmp_path: Path
) -> None:
    load(engine, demo_dir)
    with session_scope(engine) as session:
        before = service.load_masterdata(session).stock[("PWT-1001", "CHI")]
        inventory.reserve(
            session,
            order_line_key="SO-1/1",
            sku="PWT-1001",
            warehouse_id="CHI",
            quantity=Decimal(1),
            actor="test",
            reason="order",
        )
    load(engine, demo_dir)
    with session_scope(engine) as session:
        after = service.load_masterdata(session).stock[("PWT-1001", "CHI")]
    assert after.allocated == before.allocated + 1
    export(engine, tmp_path / "out")
    assert_same_files(tmp_path / "out", demo_dir)


def test_master_data_is_cached_until_the_next_load(engine: Engine, demo_dir: Path) -> None:
    load(engine, demo_dir)
    with session_scope(engine) as session:
        first = service.load_masterdata(session)
        assert service.load_masterdata(session) is first
    load(engine, demo_dir)
    with session_scope(engine) as session:
        reloaded = service.load_masterdata(session)
    assert reloaded is not first
    assert reloaded.products == first.products


def test_search_helpers(engine: Engine, demo_dir: Path) -> None:
    load(engine, demo_dir)
    with session_scope(engine) as session:
        by_name = repository.find_customers(session, text="great lakes")
        by_alias = repository.find_customers(session, text="KVA")
        by_address = repository.customers_by_sender(session, "redwoodpm.maint@gmail.com")
        by_domain = repository.customers_by_sender(session, "Someone@PVMFG.com")
        unknown = repository.customers_by_sender(session, "someone@gmail.com")
        products = repository.find_products(session, text="nitrile large")
        exact = repository.find_products(session, text="fas-1001")
    assert [c.customer_id for c in by_name] == ["C1001"]
    assert [c.customer_id for c in by_alias] == ["C1023"]
    assert [c.customer_id for c in by_address] == ["C1016"]
    assert [c.customer_id for c in by_domain] == ["C1004"]
    assert unknown == []
    assert [p.sku for p in products] == ["PPE-1003", "PPE-1004"]  # Large, X-Large
    assert exact[0].sku == "FAS-1001"

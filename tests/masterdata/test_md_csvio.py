"""Reading and writing the master-data CSV files."""

from __future__ import annotations

import shutil
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from app.masterdata.csvio import (
    MasterDataInvalid,
    format_value,
    read_directory,
    write_directory,
)
from tools.masterdata import Customer, Product


def copy_demo(demo_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "md"
    shutil.copytree(demo_dir, target)
    return target


def replace_line(path: Path, line_number: int, text: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    lines[line_number - 1] = text + "\n"
    path.write_text("".join(lines))


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(MasterDataInvalid) as info:
        read_directory(directory)
    return [str(e) for e in info.value.errors]


def test_demo_reads_cleanly(demo_dir: Path) -> None:
    records = read_directory(demo_dir)
    assert sum(isinstance(r, Product) for r in records) >= 150
    assert sum(isinstance(r, Customer) for r in records) == 25


def test_bad_rows_report_file_line_and_reason_all_at_once(demo_dir: Path, tmp_path: Path) -> None:
    md = copy_demo(demo_dir, tmp_path)
    customers = (md / "customers.csv").read_text().splitlines()
    replace_line(md / "customers.csv", 3, customers[2].replace(",80000,", ",eighty,"))
    products = (md / "products.csv").read_text().splitlines()
    replace_line(md / "products.csv", 5, products[4].replace(",false,", ",maybe,", 1))
    errors = errors_of(md)
    assert "customers.csv:3: credit_limit: Input should be a valid decimal (got 'eighty')" in errors
    assert any(e.startswith("products.csv:5: discontinued:") and "'maybe'" in e for e in errors)
    assert len(errors) == 2


def test_missing_required_value_unknown_file_and_missing_file(
    demo_dir: Path, tmp_path: Path
) -> None:
    md = copy_demo(demo_dir, tmp_path)
    (md / "customers.csv").unlink()
    (md / "prices.csv").write_text("sku,price\n")
    replace_line(
        md / "products.csv", 2, "ABR-1001,,Abrasives,EA,25,0.05,11.4,11.4,0.2,,false,2.35,USD"
    )
    errors = errors_of(md)
    assert "customers.csv: required file is missing" in errors
    assert any(e.startswith("prices.csv: unknown file") for e in errors)
    assert "products.csv:2: description: Field required" in errors
    assert len(errors) == 3  # no echo from rows that refer to the missing customers


def test_duplicate_keys_and_broken_references(demo_dir: Path, tmp_path: Path) -> None:
    md = copy_demo(demo_dir, tmp_path)
    with (md / "stock.csv").open("a") as f:
        f.write("ABR-1001,ATL,1,0,0\n")
        f.write("NOPE-1,ATL,1,0,0\n")
    errors = errors_of(md)
    last = len((md / "stock.csv").read_text().splitlines())
    assert f"stock.csv:{last - 1}: duplicate key (ABR-1001, ATL), first on line 2" in errors
    assert f"stock.csv:{last}: sku: 'NOPE-1' is not in products.csv" in errors


def test_header_problems_and_business_rules(tmp_path: Path) -> None:
    md = tmp_path / "md"
    md.mkdir()
    (md / "customers.csv").write_text("customer_id,name,colour\nC1,Acme,red\n")
    (md / "products.csv").write_text(
        "sku,description,category,weight_kg,length_cm,width_cm,height_cm,list_price\n"
        "P1,Thing,Misc,1,1,1,1,-5\n"
    )
    (md / "price_agreements.csv").write_text(
        "agreement_id,kind,sku,unit_price,valid_from,valid_to\n"
        "A1,contract,P1,4,2027-01-01,2026-01-01\n"
    )
    errors = errors_of(md)
    assert "customers.csv:1: unknown column 'colour'" in errors
    assert "customers.csv:1: missing required column 'credit_limit'" in errors
    assert "products.csv:2: list_price: must be a finite number >= 0 (got -5)" in errors
    assert "price_agreements.csv:2: customer_id: a contract needs a customer" in errors
    assert "price_agreements.csv:2: valid_to: is before valid_from" in errors


def test_canonical_values() -> None:
    assert format_value(Decimal("12.500")) == "12.5"
    assert format_value(Decimal("1E+3")) == "1000"
    assert format_value(Decimal("-0.00")) == "0"
    assert format_value(True) == "true"
    assert format_value(None) == ""
    assert format_value(date(2027, 1, 2)) == "2027-01-02"
    assert format_value(time(15, 0)) == "15:00"


def test_write_sorts_by_key_quotes_when_needed_and_uses_lf(tmp_path: Path) -> None:
    rows = [
        Customer(customer_id=cid, name=name, credit_limit=Decimal("100.0"))
        for cid, name in (("C2", 'Bolt, "Nut" & Co'), ("C10", "Acme"), ("C1", "Zed"))
    ]
    counts = write_directory(tmp_path, rows)
    assert counts["customers.csv"] == 3 and counts["products.csv"] == 0
    data = (tmp_path / "customers.csv").read_bytes()
    assert b"\r" not in data
    lines = data.decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["C1", "C10", "C2"]
    assert lines[3] == 'C2,"Bolt, ""Nut"" & Co",,,,USD,NET30,100,0,false,'
    assert (tmp_path / "products.csv").read_text().count("\n") == 1

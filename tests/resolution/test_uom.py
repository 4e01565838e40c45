"""Units of measure: synonyms, pack sizes, conversions and mismatches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.resolution import parse_unit, resolve_uom
from tools.masterdata import MasterData


@pytest.mark.parametrize(
    ("written", "code", "pack"),
    [
        ("EA", "EA", None),
        ("each", "EA", None),
        ("Pcs", "EA", None),
        ("PCE", "EA", None),
        ("Stück", "EA", None),
        ("stk", "EA", None),
        ("unit", "EA", None),
        ("cs", "CS", None),
        ("CASES", "CS", None),
        ("box", "BX", None),
        ("BX", "BX", None),
        ("box of 12", "BX", Decimal(12)),
        ("12/box", "BX", Decimal(12)),
        ("12-pack", "PK", Decimal(12)),
        ("pack", "PK", None),
        ("dozen", "DZ", None),
        ("feet", "FT", None),
        ("bogus", None, None),
    ],
)
def test_parse_unit(written: str, code: str | None, pack: Decimal | None) -> None:
    unit = parse_unit(written)
    assert (unit.code, unit.pack) == (code, pack)


def test_base_unit(master: MasterData) -> None:
    r = resolve_uom(written="pcs", product=master.products["FAS-HB-M8-40-SS"], master=master)
    assert (r.value, r.factor, r.method, r.certain) == ("EA", Decimal(1), "base", True)


def test_case_conversion(master: MasterData) -> None:
    r = resolve_uom(written="cs", product=master.products["FAS-HB-M8-40-SS"], master=master)
    assert (r.value, r.factor, r.method) == ("CS", Decimal(144), "conversion")


def test_box_of_12_uses_the_bx_conversion(master: MasterData) -> None:
    r = resolve_uom(written="box of 12", product=master.products["FAS-HB-M8-40-SS"], master=master)
    assert (r.value, r.factor, r.reason) == ("BX", Decimal(12), None)


def test_box_of_wrong_size_is_a_mismatch(master: MasterData) -> None:
    r = resolve_uom(written="box of 50", product=master.products["GLV-NIT-L"], master=master)
    assert r.reason == "uom_mismatch"
    assert r.factor is None


def test_dozen_by_definition(master: MasterData) -> None:
    r = resolve_uom(written="DZ", product=master.products["FAS-HN-M8-SS"], master=master)
    assert r.factor == Decimal(12)
    assert r.certain


def test_unit_the_product_is_not_sold_in(master: MasterData) -> None:
    r = resolve_uom(written="CS", product=master.products["GLV-NIT-L"], master=master)
    assert r.reason == "uom_mismatch"


def test_unknown_unit(master: MasterData) -> None:
    r = resolve_uom(written="flurbs", product=master.products["GLV-NIT-L"], master=master)
    assert (r.reason, r.value, r.as_written) == ("uom_mismatch", None, "flurbs")


def test_missing_unit_is_base_with_lower_confidence(master: MasterData) -> None:
    only_base = resolve_uom(written=None, product=master.products["FAS-HN-M8-SS"], master=master)
    several = resolve_uom(written="", product=master.products["FAS-HB-M8-40-SS"], master=master)
    assert only_base.value == several.value == "EA"
    assert only_base.method == several.method == "missing"
    assert several.confidence < only_base.confidence
    assert not several.certain


def test_non_ea_base_unit(master: MasterData) -> None:
    r = resolve_uom(written="feet", product=master.products["ROPE-NYL-12"], master=master)
    assert (r.value, r.factor) == ("FT", Decimal(1))

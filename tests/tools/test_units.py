from decimal import Decimal as D

import pytest

from tools.masterdata import MasterData
from tools.units import to_base_units


@pytest.mark.parametrize(
    ("sku", "uom", "factor"),
    [
        ("BOLT", "CS", 12),
        ("BOLT", "cs", 12),
        ("BOLT", "Case", 12),
        ("BOLT", "cases", 12),
        ("BOLT", "EA", 1),
        ("BOLT", "each", 1),
        ("BOLT", "pcs.", 1),
        ("BOLT", "Stk", 1),
        ("BOLT", "box", 100),
        ("BOLT", "Box of 100", 100),
        ("BOLT", "dozen", 12),
        ("GLOVE", "pack", 6),
        ("GLOVE", "PK", 6),
        ("ROPE", "m", 1),
    ],
)
def test_known_units_convert(md: MasterData, sku: str, uom: str, factor: int) -> None:
    result = to_base_units(md, sku, D(3), uom)
    assert not result.uom_mismatch
    assert result.factor == factor
    assert result.base_quantity == 3 * factor


@pytest.mark.parametrize(
    ("sku", "uom"), [("BOLT", "PALLET"), ("BOLT", "PK"), ("ROPE", "dozen"), ("BOLT", "box of 50")]
)
def test_unknown_or_conflicting_unit_is_a_flag(md: MasterData, sku: str, uom: str) -> None:
    result = to_base_units(md, sku, D(3), uom)
    assert result.uom_mismatch
    assert result.base_quantity is None
    assert [i.code for i in result.issues] == ["uom_mismatch"]


def test_missing_unit_assumes_base(md: MasterData) -> None:
    result = to_base_units(md, "BOLT", D(7), None)
    assert result.base_quantity == 7
    assert [i.code for i in result.issues] == ["uom_assumed"]


def test_unknown_sku(md: MasterData) -> None:
    result = to_base_units(md, "NOPE", D(1), "EA")
    assert [i.code for i in result.issues] == ["unknown_sku"]
    assert not result.uom_mismatch

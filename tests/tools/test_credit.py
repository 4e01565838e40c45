from decimal import Decimal as D

from tools.credit import ExistingPo, check_credit, find_duplicate_po, normalise_po_number
from tools.masterdata import MasterData


def test_credit_ok_over_limit_and_on_hold(md: MasterData) -> None:
    ok = check_credit(md, "C1", D(5000))
    assert ok.status == "ok"
    assert ok.headroom_before is not None and ok.headroom_before.amount == D(8000)
    over = check_credit(md, "C1", D(7000), open_orders_total=D(2000))
    assert over.status == "over_limit"
    assert over.headroom_after is not None and over.headroom_after.amount == D(-1000)
    assert check_credit(md, "C3", D(1)).status == "on_hold"
    assert check_credit(md, "C9", D(1)).status == "unknown_customer"


def test_po_number_normalisation() -> None:
    for written in ("PO-000123", "po 123", "#123", "P.O. No. 00123", "PO#123", " 123 "):
        assert normalise_po_number(written) == "123", written
    assert normalise_po_number("POLY-12") == "POLY12"
    assert normalise_po_number("hms 20931") == normalise_po_number("HMS-20931")


def test_find_duplicate_po() -> None:
    existing = [
        ExistingPo("C1", "PO-000123", "D1"),
        ("C2", "123", "D2"),
        ("C1", "HMS-20931", "D3"),
    ]
    found = find_duplicate_po(existing, "C1", "po 123")
    assert found.is_duplicate and [m.order_id for m in found.matches] == ["D1"]
    assert [m.order_id for m in find_duplicate_po(existing, "c1", "hms20931").matches] == ["D3"]
    assert not find_duplicate_po(existing, "C1", "124").is_duplicate
    assert not find_duplicate_po(existing, "C1", "PO").is_duplicate

from collections.abc import Callable
from datetime import date
from decimal import Decimal as D

from tools.availability import available_to_promise
from tools.masterdata import MasterData, ScheduledReceipt, StockLevel
from tools.results import has_issue

TODAY = date(2026, 11, 18)


def test_single_warehouse_now(md: MasterData) -> None:
    atp = available_to_promise(md, "BOLT", D(800), date(2026, 11, 20), today=TODAY)
    chicago = next(w for w in atp.warehouses if w.warehouse_id == "W-CHI")
    assert chicago.available_now == 850  # 1000 on hand - 100 allocated - 50 safety
    assert atp.single_warehouse_by_need_by == ("W-CHI",)
    assert (atp.earliest_full_date, atp.earliest_warehouse_id) == (TODAY, "W-CHI")
    assert atp.can_meet_need_by and not atp.split_options


def test_split_when_no_warehouse_holds_it(md: MasterData) -> None:
    atp = available_to_promise(md, "BOLT", D(1000), date(2026, 11, 20), today=TODAY)
    assert atp.can_meet_need_by and not atp.single_warehouse_by_need_by
    first = atp.split_options[0]
    assert [(a.warehouse_id, a.quantity) for a in first.allocations] == [
        ("W-CHI", D(850)),
        ("W-NJ", D(150)),
    ]


def test_scheduled_receipt_dates_availability(md: MasterData) -> None:
    atp = available_to_promise(
        md, "BOLT", D(400), date(2026, 11, 24), ["W-NJ", "W-LA"], today=TODAY
    )
    assert atp.single_warehouse_by_need_by == ("W-LA",)
    assert atp.earliest_full_date == date(2026, 11, 23)
    too_early = available_to_promise(
        md, "BOLT", D(400), date(2026, 11, 20), ["W-NJ", "W-LA"], today=TODAY
    )
    assert not too_early.can_meet_need_by


def test_receipts_first_refill_allocations(make_md: Callable[..., MasterData]) -> None:
    md = make_md(
        StockLevel(sku="BOLT", warehouse_id="W-LA", on_hand=D(10), allocated=D(30)),
        ScheduledReceipt(
            receipt_id="R0",
            sku="BOLT",
            warehouse_id="W-LA",
            expected_date=date(2026, 11, 1),
            quantity=D(5),
        ),
    )
    atp = available_to_promise(md, "BOLT", D(480), None, ["W-LA"], today=TODAY)
    position = atp.warehouses[0]
    assert position.available_now == 0
    assert position.receipts[0].expected_date == TODAY  # overdue counts from today
    assert [r.available_after for r in position.receipts] == [0, 485]
    assert atp.earliest_full_date == date(2026, 11, 23)


def test_not_available_and_unknown_warehouse(md: MasterData) -> None:
    atp = available_to_promise(md, "BOLT", D(5000), None, ["W-CHI", "W-XX"], today=TODAY)
    assert not atp.can_meet_need_by and atp.earliest_full_date is None
    assert has_issue(atp.issues, "unknown_warehouse")
    assert "not available" in atp.explanation

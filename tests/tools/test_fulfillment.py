from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.masterdata.csvio import read_directory
from tools.carriers import Destination
from tools.fulfillment import FulfillmentOrder, OrderLine, plan_fulfillment
from tools.masterdata import MasterData
from tools.results import has_issue

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
DEMO = Path(__file__).resolve().parents[2] / "app" / "masterdata" / "demo"
NEWARK = Destination(postal_code="07102")
CHICAGO = Destination(postal_code="60611")


def _order(
    ship_to: Destination, *lines: tuple[str, int], need_by: date | None = None
) -> FulfillmentOrder:
    return FulfillmentOrder(
        customer_id="C1",
        ship_to=ship_to,
        need_by=need_by,
        lines=tuple(
            OrderLine(line_no=i, sku=s, quantity=D(q)) for i, (s, q) in enumerate(lines, 1)
        ),
    )


def test_single_shipment_from_nearest_stock(md: MasterData) -> None:
    plan = plan_fulfillment(md, _order(CHICAGO, ("BOLT", 200), need_by=date(2026, 11, 25)), now=NOW)
    assert [(s.warehouse_id, s.carrier.service_id) for s in plan.shipments] == [("W-CHI", "GRND")]
    assert plan.meets_need_by and not plan.unmet
    assert plan.total_cost.amount == D(17)  # 10 kg, 20 kg bracket, zone 2


def test_hazmat_line_only_from_certified_warehouse_and_single_beats_split(
    md: MasterData,
) -> None:
    order = _order(NEWARK, ("BOLT", 300), ("SOLV", 6), need_by=date(2026, 11, 25))
    plan = plan_fulfillment(md, order, now=NOW)
    # Chicago ships both (21 kg, hazmat, zone 8: Overnight 94) rather than
    # Newark Ground 17 + Chicago Overnight 64 + 15 split penalty = 96.
    assert [s.warehouse_id for s in plan.shipments] == ["W-CHI"]
    assert plan.shipments[0].hazmat_class == "3"
    assert plan.total_cost.amount == D(94)


def test_split_wins_when_the_penalty_is_small(md: MasterData) -> None:
    order = _order(NEWARK, ("BOLT", 300), ("SOLV", 6), need_by=date(2026, 11, 25))
    plan = plan_fulfillment(md, order, now=NOW, split_penalty=D(5))
    by_warehouse = {s.warehouse_id: [ln.sku for ln in s.lines] for s in plan.shipments}
    assert by_warehouse == {"W-CHI": ["SOLV"], "W-NJ": ["BOLT"]}
    assert (plan.shipping_cost.amount, plan.split_penalty.amount) == (D(81), D(5))
    assert plan.total_cost.amount == D(86)


def test_line_split_across_warehouses_when_no_single_one_holds_it(md: MasterData) -> None:
    plan = plan_fulfillment(
        md, _order(CHICAGO, ("BOLT", 1000), need_by=date(2026, 11, 25)), now=NOW
    )
    shipped = {s.warehouse_id: s.lines[0].quantity for s in plan.shipments}
    assert shipped == {"W-CHI": 850, "W-NJ": 150}
    assert plan.split_penalty.amount == D(15)


def test_unmet_lines_with_reasons(md: MasterData) -> None:
    order = _order(CHICAGO, ("BOLT", 10), ("BOLT", 5000), ("NOPE", 1), ("FOAM", 30))
    plan = plan_fulfillment(md, order, now=NOW)
    reasons = {u.line_no: [r.code for r in u.reasons] for u in plan.unmet}
    assert reasons == {2: ["insufficient_stock"], 3: ["unknown_sku"], 4: ["insufficient_stock"]}
    assert len(plan.shipments) == 1 and not plan.meets_need_by


def test_two_lines_of_one_sku_never_promise_the_same_stock_twice(md: MasterData) -> None:
    plan = plan_fulfillment(md, _order(CHICAGO, ("BOLT", 800), ("BOLT", 300)), now=NOW)
    shipped: dict[str, D] = {}
    for shipment in plan.shipments:
        for line in shipment.lines:
            shipped[shipment.warehouse_id] = (
                shipped.get(shipment.warehouse_id, D(0)) + line.quantity
            )
    assert shipped["W-CHI"] <= 850 and sum(shipped.values()) == 1100


def test_late_plan_when_no_carrier_makes_the_date(md: MasterData) -> None:
    plan = plan_fulfillment(md, _order(CHICAGO, ("BOLT", 10), need_by=date(2026, 11, 18)), now=NOW)
    assert not plan.meets_need_by
    assert has_issue(plan.issues, "late")
    assert plan.shipments[0].delivery_date == date(2026, 11, 19)


def test_stock_from_a_receipt_ships_after_it_arrives(md: MasterData) -> None:
    plan = plan_fulfillment(md, _order(CHICAGO, ("BOLT", 1300), need_by=date(2026, 12, 4)), now=NOW)
    assert plan.meets_need_by
    la = next(s for s in plan.shipments if s.warehouse_id == "W-LA")
    assert la.stock_ready_date == date(2026, 11, 23)
    assert la.ship_date >= date(2026, 11, 23)


def test_no_carrier_serves_the_destination(md: MasterData) -> None:
    abroad = Destination(postal_code="75001", country="FR")
    plan = plan_fulfillment(md, _order(abroad, ("BOLT", 10)), now=NOW)
    assert not plan.shipments
    assert plan.unmet[0].reasons[0].code == "no_carrier"


def test_naive_now_is_refused(md: MasterData) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_fulfillment(md, _order(CHICAGO, ("BOLT", 1)), now=datetime(2026, 11, 18))


def test_without_a_date_the_cheapest_service_wins(md: MasterData) -> None:
    plan = plan_fulfillment(md, _order(CHICAGO, ("BOLT", 10)), now=NOW)
    assert plan.shipments[0].carrier.service_id == "GRND" and plan.meets_need_by


def test_a_ten_line_order_stocked_everywhere_searches_in_full_and_plans() -> None:
    """Ten lines stocked in every demo warehouse, due today: both searches run in full.
    (Its speed is measured by `intake bench pipeline`, the tools stage, not here.)"""
    demo = MasterData.from_records(list(read_directory(DEMO, base_currency="USD")))
    everywhere = sorted(
        sku
        for sku, product in demo.products.items()
        if not product.hazmat_class
        and all(
            (level := demo.stock.get((sku, w))) is not None and level.on_hand > 150
            for w in demo.warehouses
        )
    )[:10]
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code="07102"),
        need_by=date(2026, 11, 23),
        lines=tuple(
            OrderLine(line_no=i, sku=sku, quantity=D(10)) for i, sku in enumerate(everywhere, 1)
        ),
    )
    plan = plan_fulfillment(demo, order, now=datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    assert len(everywhere) == 10 and plan.combinations_evaluated > 1000
    assert plan.shipments and not plan.unmet

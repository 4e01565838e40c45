"""Properties of the deterministic core: money, tiers, carriers and stock."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from tools.availability import available_to_promise
from tools.carriers import Destination, select_carrier
from tools.fulfillment import FulfillmentOrder, OrderLine, plan_fulfillment
from tools.masterdata import (
    MasterData,
    PriceAgreement,
    PriceTier,
    Product,
    ScheduledReceipt,
    StockLevel,
    Warehouse,
)
from tools.pricing import agreement_unit_price, quote_price
from tools.results import to_cents

FAST = settings(max_examples=60, deadline=None)
money = st.decimals(min_value=D("0.01"), max_value=D(500), places=2)
quantities = st.integers(min_value=1, max_value=3000).map(D)
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 2, 1))


@FAST
@given(
    customer=st.sampled_from(["C1", "C2", "C9"]),
    sku=st.sampled_from(["BOLT", "GLOVE", "SOLV", "ROPE"]),
    quantity=quantities,
    uom=st.sampled_from(["EA", "cs", "box", "dozen", "PK", None]),
    on=days,
)
def test_prices_are_never_negative_and_extend_exactly(
    md: MasterData, customer: str, sku: str, quantity: D, uom: str | None, on: date
) -> None:
    quote = quote_price(md, customer, sku, quantity, uom, on)
    if quote.unit_price_base is None:
        return
    assert quote.unit_price_base.amount >= 0
    base_qty = quote.conversion.base_quantity
    assert base_qty is not None and quote.extended_price is not None
    assert quote.unit_price_ordered is not None
    assert quote.extended_price.amount == to_cents(quote.unit_price_base.amount * base_qty)
    assert quote.extended_price.amount == to_cents(quote.unit_price_ordered.amount * quantity)


@FAST
@given(
    base=money,
    tiers=st.dictionaries(quantities, money, max_size=5),
    smaller=quantities,
    extra=st.integers(min_value=0, max_value=3000).map(D),
)
def test_more_quantity_never_raises_the_unit_price(
    base: D, tiers: dict[D, D], smaller: D, extra: D
) -> None:
    agreement = PriceAgreement(
        agreement_id="A", kind="contract", customer_id="C1", sku="BOLT", unit_price=base
    )
    md = MasterData.from_records(
        [
            agreement,
            *(PriceTier(agreement_id="A", min_quantity=q, unit_price=p) for q, p in tiers.items()),
        ]
    )
    assert agreement_unit_price(md, agreement, smaller + extra) <= agreement_unit_price(
        md, agreement, smaller
    )


@FAST
@given(
    origin=st.sampled_from(["W-CHI", "W-NJ", "W-LA"]),
    zip_code=st.sampled_from(["07102", "60611", "94105", "33101", "M5V 2T6"]),
    weight=st.decimals(min_value=D("0.1"), max_value=D(120), places=1),
    side=st.integers(min_value=0, max_value=120),
    hazmat=st.sampled_from([None, "3", "8"]),
    minutes=st.integers(min_value=0, max_value=14 * 24 * 60),
    need_in=st.integers(min_value=0, max_value=10) | st.none(),
)
def test_the_chosen_carrier_meets_every_constraint(
    md: MasterData,
    origin: str,
    zip_code: str,
    weight: D,
    side: int,
    hazmat: str | None,
    minutes: int,
    need_in: int | None,
) -> None:
    ready = datetime(2026, 11, 16, tzinfo=UTC) + timedelta(minutes=minutes)
    need_by = ready.date() + timedelta(days=need_in) if need_in is not None else None
    country = "CA" if " " in zip_code else "US"
    sel = select_carrier(
        md,
        origin_warehouse_id=origin,
        ship_to=Destination(postal_code=zip_code, country=country),
        weight_kg=weight,
        volume_cm3=D(side**3),
        hazmat_class=hazmat,
        ready_at=ready,
        need_by=need_by,
    )
    for option in sel.options:
        service = md.services[option.service_id]
        assert max(weight, D(side**3) / 5000) <= service.max_weight_kg
        assert service.hazmat_allowed or hazmat is None
        assert need_by is None or option.delivery_date <= need_by
        assert option.ship_date >= ready.date() - timedelta(days=1)
        assert option.cost.amount >= 0
    assert sel.best == (sel.options[0] if sel.options else None)


stock_levels = st.tuples(st.integers(0, 500), st.integers(0, 200), st.integers(0, 100)).map(
    lambda t: tuple(D(x) for x in t)
)
receipts = st.lists(st.tuples(st.integers(-5, 20), st.integers(1, 300)), max_size=3)


@FAST
@given(
    levels=st.lists(stock_levels, min_size=3, max_size=3),
    planned=st.lists(receipts, min_size=3, max_size=3),
    quantity=st.integers(1, 1500).map(D),
    need_in=st.integers(0, 25),
)
def test_atp_never_promises_more_than_is_available(
    levels: list[tuple[D, D, D]],
    planned: list[list[tuple[int, int]]],
    quantity: D,
    need_in: int,
) -> None:
    today = date(2026, 11, 18)
    md = _stock_world(levels, planned, today)
    need_by = today + timedelta(days=need_in)
    atp = available_to_promise(md, "X", quantity, need_by, today=today)
    by_id = {w.warehouse_id: w for w in atp.warehouses}
    for position in atp.warehouses:
        level = md.stock[("X", position.warehouse_id)]
        incoming = sum(
            (r.quantity for r in md.receipts if r.warehouse_id == position.warehouse_id), D(0)
        )
        assert position.available_on(date.max) <= max(
            level.on_hand - level.allocated - level.safety_stock + incoming, D(0)
        )
    for warehouse_id in atp.single_warehouse_by_need_by:
        assert by_id[warehouse_id].available_on(need_by) >= quantity
    for option in atp.split_options:
        assert sum(a.quantity for a in option.allocations) == quantity
        for part in option.allocations:
            assert 0 < part.quantity <= by_id[part.warehouse_id].available_on(part.available_date)
            assert part.available_date <= need_by
    total = sum((w.available_on(need_by) for w in atp.warehouses), D(0))
    assert atp.can_meet_need_by == (total >= quantity)


@settings(max_examples=25, deadline=None)
@given(
    levels=st.lists(stock_levels, min_size=3, max_size=3),
    planned=st.lists(receipts, min_size=3, max_size=3),
    lines=st.lists(st.integers(1, 600).map(D), min_size=1, max_size=3),
)
def test_a_plan_never_ships_stock_twice(
    md: MasterData,
    levels: list[tuple[D, D, D]],
    planned: list[list[tuple[int, int]]],
    lines: list[D],
) -> None:
    today = date(2026, 11, 18)
    world = _stock_world(levels, planned, today, carriers=md)
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code="60611"),
        lines=tuple(OrderLine(line_no=i, sku="X", quantity=q) for i, q in enumerate(lines)),
    )
    plan = plan_fulfillment(world, order, now=datetime(2026, 11, 18, 15, tzinfo=UTC))
    atp = {
        w.warehouse_id: w for w in available_to_promise(world, "X", D(1), today=today).warehouses
    }
    shipped_per_line: dict[int, D] = {}
    for shipment in plan.shipments:
        taken = sum((ln.quantity for ln in shipment.lines), D(0))
        assert taken <= atp[shipment.warehouse_id].available_on(shipment.stock_ready_date)
        for ln in shipment.lines:
            shipped_per_line[ln.line_no] = shipped_per_line.get(ln.line_no, D(0)) + ln.quantity
    unmet = {u.line_no for u in plan.unmet}
    for i, quantity in enumerate(lines):
        assert i in unmet or shipped_per_line[i] == quantity


def _stock_world(
    levels: list[tuple[D, D, D]],
    planned: list[list[tuple[int, int]]],
    today: date,
    carriers: MasterData | None = None,
) -> MasterData:
    """Master data with SKU X at three warehouses (plus the fixture's carriers, if given)."""
    kept = carriers.records() if carriers else []
    records = [r for r in kept if not isinstance(r, (StockLevel, ScheduledReceipt))]
    if not carriers:
        records += [
            Warehouse(warehouse_id=w, name=w, street="", city="", postal_code="60601")
            for w in ("W-CHI", "W-NJ", "W-LA")
        ]
    records.append(
        Product(
            sku="X",
            description="x",
            category="x",
            weight_kg=D("0.01"),
            length_cm=D(1),
            width_cm=D(1),
            height_cm=D(1),
            list_price=D(1),
        )
    )
    for w, (on_hand, allocated, safety), incoming in zip(
        ("W-CHI", "W-NJ", "W-LA"), levels, planned, strict=True
    ):
        records.append(
            StockLevel(
                sku="X", warehouse_id=w, on_hand=on_hand, allocated=allocated, safety_stock=safety
            )
        )
        records += [
            ScheduledReceipt(
                receipt_id=f"{w}-{i}",
                sku="X",
                warehouse_id=w,
                expected_date=today + timedelta(days=offset),
                quantity=D(qty),
            )
            for i, (offset, qty) in enumerate(incoming)
        ]
    return MasterData.from_records(records)

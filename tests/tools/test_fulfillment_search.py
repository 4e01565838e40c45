"""The fulfilment search gives exactly the plan the plain enumeration of its choices gives.

The reference below prices every combination from scratch (exact carrier selection, no
memoising, no pruning), so any shortcut in tools/fulfillment.py that changed an answer, a
tie-break or the count of combinations shows up here.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from functools import cache
from itertools import product as cartesian
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.masterdata.csvio import read_directory
from tools.carriers import CarrierOption, Destination, costs_never_fall, select_carrier
from tools.fulfillment import (
    FulfillmentOrder,
    FulfillmentPlan,
    OrderLine,
    _Planner,
    _prune,
    plan_fulfillment,
)
from tools.masterdata import MasterData

DEMO = Path(__file__).resolve().parents[2] / "app" / "masterdata" / "demo"
PENALTY = D("15.00")


@cache
def demo() -> MasterData:
    return MasterData.from_records(list(read_directory(DEMO, base_currency="USD")))


def _with_costs(md: MasterData, costs: Callable[[list[D]], list[D]]) -> MasterData:
    """The master data with each service zone's bracket costs (lightest first) remapped."""
    rates = defaultdict(list)
    for service_id, table in md.rates.items():
        by_zone = defaultdict(list)
        for rate in table:
            by_zone[rate.zone].append(rate)
        for brackets in by_zone.values():
            brackets.sort(key=lambda r: r.max_weight_kg)
            for rate, cost in zip(brackets, costs([r.cost for r in brackets]), strict=True):
                rates[service_id].append(rate.model_copy(update={"cost": cost}))
    return replace(md, rates=rates)


@cache
def dented() -> MasterData:
    """Heavier is cheaper (each zone's costs reversed): a partial load's cost bounds nothing."""
    return _with_costs(demo(), lambda costs: costs[::-1])


@cache
def flat() -> MasterData:
    """Every shipment costs the same: plans tie on cost and the tie-breaks decide."""
    return _with_costs(demo(), lambda costs: [D("10.00")] * len(costs))


RATES = {"demo": demo, "dented": dented, "flat": flat}


def test_the_demo_rates_allow_the_bound_and_dented_ones_do_not() -> None:
    assert costs_never_fall(demo()) and costs_never_fall(flat())
    assert not costs_never_fall(dented())


def reference(md: MasterData, order: FulfillmentOrder, now: datetime) -> tuple[object, ...]:
    """(shipments, unmet line numbers, total cost, meets need-by, combinations tried)."""
    planner = _Planner(md, order, now, PENALTY)
    best, unmet, tried = _plain_search(planner, order.need_by)
    late = False
    if best is None and order.need_by is not None:
        best, unmet, tried = _plain_search(planner, None)
        late = best is not None
    legs = best[1] if best else ()
    total = best[0] if best else D(0)
    return (
        tuple((w, parts, o.service_id, o.cost.amount, o.delivery_date) for w, parts, o in legs),
        tuple(sorted(unmet)),
        total,
        bool(legs) and not unmet and not late,
        tried,
    )


def _plain_search(planner: _Planner, need_by: date | None) -> tuple[object, list[int], int]:
    choices, unmet = [], []
    for line in planner.order.lines:
        options, _ = planner._choices(line, need_by)
        if options:
            choices.append((line, options))
        else:
            unmet.append(line.line_no)
    _prune(choices)
    soonest = need_by is None and planner.order.need_by is not None
    best, best_rank, tried = None, None, 0
    for combo in cartesian(*(options for _, options in choices)) if choices else ():
        tried += 1
        priced = _plain_price(planner, [line for line, _ in choices], combo, need_by, soonest)
        if priced is None:
            continue
        cost, legs = priced
        arrival = max(o.delivery_date for _, _, o in legs)
        rank = (
            arrival if soonest else date.min,
            cost,
            len(legs),
            arrival,
            tuple(w for w, _, _ in legs),
        )
        if best_rank is None or rank < best_rank:
            best, best_rank = (cost, legs), rank
    if best is None:
        unmet += [line.line_no for line, _ in choices]
    return best, unmet, tried


def _plain_price(
    planner: _Planner,
    lines: list[OrderLine],
    combo: tuple[tuple[tuple[str, D], ...], ...],
    need_by: date | None,
    soonest: bool,
) -> tuple[D, list[tuple[str, tuple[tuple[int, str, D], ...], CarrierOption]]] | None:
    md = planner.md
    by_warehouse: dict[str, list[tuple[int, str, D]]] = defaultdict(list)
    for line, sourcing in zip(lines, combo, strict=True):
        for warehouse_id, quantity in sourcing:
            by_warehouse[warehouse_id].append((line.line_no, line.sku, quantity))
    legs = []
    for warehouse_id in sorted(by_warehouse):
        parts = tuple(by_warehouse[warehouse_id])
        needed: dict[str, D] = defaultdict(D)
        for _, sku, quantity in parts:
            needed[sku] += quantity
        dates = [planner._position(sku, warehouse_id).date_for(q) for sku, q in needed.items()]
        if any(d is None for d in dates):
            return None
        ready = max(d for d in dates if d)
        if need_by is not None and ready > need_by:
            return None
        products = [md.products[sku] for _, sku, _ in parts]
        selection = select_carrier(
            md,
            origin_warehouse_id=warehouse_id,
            ship_to=planner.order.ship_to,
            weight_kg=sum(
                (p.weight_kg * q for p, (_, _, q) in zip(products, parts, strict=True)), D(0)
            ),
            volume_cm3=sum(
                (
                    p.length_cm * p.width_cm * p.height_cm * q
                    for p, (_, _, q) in zip(products, parts, strict=True)
                ),
                D(0),
            ),
            hazmat_class=min((p.hazmat_class for p in products if p.hazmat_class), default=None),
            ready_at=planner._ready_at(warehouse_id, ready),
            need_by=need_by,
        )
        option = (
            min(selection.options, key=lambda o: (o.delivery_date, o.cost.amount), default=None)
            if soonest
            else selection.best
        )
        if option is None:
            return None
        legs.append((warehouse_id, parts, option))
    return sum((o.cost.amount for _, _, o in legs), D(0)) + PENALTY * (len(legs) - 1), legs


def summary(plan: FulfillmentPlan) -> tuple[object, ...]:
    return (
        tuple(
            (
                s.warehouse_id,
                tuple((ln.line_no, ln.sku, ln.quantity) for ln in s.lines),
                s.carrier.service_id,
                s.cost.amount,
                s.delivery_date,
            )
            for s in plan.shipments
        ),
        tuple(u.line_no for u in plan.unmet),
        plan.total_cost.amount,
        plan.meets_need_by,
        plan.combinations_evaluated,
    )


skus = st.sampled_from(sorted(demo().products))
order_lines = st.lists(
    st.tuples(skus, st.sampled_from([1, 5, 12, 40, 90, 150, 400, 1200])), min_size=1, max_size=7
)
destinations = st.sampled_from(["07102", "60611", "94105", "30301", "98101", "75201"])


@settings(max_examples=60, deadline=None)
@given(
    lines=order_lines,
    postal_code=destinations,
    hour=st.integers(0, 23),
    days_ahead=st.one_of(st.none(), st.integers(0, 12)),
    rates=st.sampled_from(sorted(RATES)),
)
@example(  # dented rates: a bound taken from a partial load would drop the winning branch
    lines=[("PLB-1008", 12), ("ABR-1014", 400), ("FAS-1005", 1)],
    postal_code="07102",
    hour=2,
    days_ahead=None,
    rates="dented",
)
def test_search_gives_the_plain_enumerations_plan(
    lines: list[tuple[str, int]],
    postal_code: str,
    hour: int,
    days_ahead: int | None,
    rates: str,
) -> None:
    now = datetime(2026, 11, 18, hour, 0, tzinfo=UTC)
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code=postal_code),
        need_by=None if days_ahead is None else now.date() + timedelta(days=days_ahead),
        lines=tuple(
            OrderLine(line_no=i, sku=sku, quantity=D(q)) for i, (sku, q) in enumerate(lines, 1)
        ),
    )
    md = RATES[rates]()
    assert summary(plan_fulfillment(md, order, now=now)) == reference(md, order, now)


def test_a_long_order_cut_to_the_combination_cap_gives_the_plain_enumerations_plan() -> None:
    """Fourteen lines with choices: the cap drops choices and the walk goes deep."""
    md = demo()
    stocked = sorted(
        sku
        for sku, product in md.products.items()
        if not product.hazmat_class
        and sum(1 for w in md.warehouses if (s := md.stock.get((sku, w))) and s.on_hand > 100) > 1
    )[:14]
    now = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code="30301"),
        need_by=date(2026, 11, 24),
        lines=tuple(
            OrderLine(line_no=i, sku=sku, quantity=D(20)) for i, sku in enumerate(stocked, 1)
        ),
    )
    plan = plan_fulfillment(md, order, now=now)
    assert plan.combinations_evaluated > 1000 and plan.shipments
    assert summary(plan) == reference(md, order, now)


def _heavy_goods() -> MasterData:
    """The hand-built data with 15 kg units stocked five to a warehouse, so a split order's
    loads cross the express service's 50 kg limit."""
    from tests.tools.conftest import _product, base_records
    from tools.masterdata import StockLevel

    records = [*base_records(), _product("CRATE", weight_kg=D(15), length_cm=D(1))]
    records += [
        StockLevel(sku="CRATE", warehouse_id=w, on_hand=D(5)) for w in ("W-CHI", "W-NJ", "W-LA")
    ]
    return MasterData.from_records(records)


def test_a_late_order_whose_heavier_load_ships_cheaper_gives_the_plain_enumerations_plan() -> None:
    """Arriving soonest first: adding goods can move a load from express to a cheaper service
    that arrives no later than the plan as a whole, so only the arrival bounds the search."""
    md = _heavy_goods()
    now = datetime(2026, 11, 18, 0, 0, tzinfo=UTC)
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code="07102"),
        need_by=now.date() - timedelta(days=1),  # already past: the plan arriving first wins
        lines=(
            OrderLine(line_no=1, sku="CRATE", quantity=D(6)),
            OrderLine(line_no=2, sku="CRATE", quantity=D(3)),
        ),
    )
    plan = plan_fulfillment(md, order, now=now)
    assert plan.shipments and not plan.meets_need_by
    assert summary(plan) == reference(md, order, now)


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(st.tuples(st.just("CRATE"), st.integers(1, 9)), min_size=1, max_size=5),
    postal_code=destinations,
    hour=st.integers(0, 23),
    days_ahead=st.one_of(st.none(), st.integers(-1, 6)),
)
def test_heavy_split_orders_give_the_plain_enumerations_plan(
    lines: list[tuple[str, int]], postal_code: str, hour: int, days_ahead: int | None
) -> None:
    now = datetime(2026, 11, 18, hour, 0, tzinfo=UTC)
    md = _heavy_goods()
    order = FulfillmentOrder(
        customer_id="C1",
        ship_to=Destination(postal_code=postal_code),
        need_by=None if days_ahead is None else now.date() + timedelta(days=days_ahead),
        lines=tuple(
            OrderLine(line_no=i, sku=sku, quantity=D(q)) for i, (sku, q) in enumerate(lines, 1)
        ),
    )
    assert summary(plan_fulfillment(md, order, now=now)) == reference(md, order, now)

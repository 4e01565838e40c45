"""Plan an order's shipments: which warehouses ship which lines, by which service, at least cost.

The search is exhaustive over each line's sourcing choices (one warehouse that holds the whole
line, or a minimal split across warehouses), capped at MAX_COMBINATIONS by dropping each line's
least promising choices. Cost = carrier cost of every shipment + `split_penalty` for each
shipment beyond the first. A plan that meets the need-by date is preferred; when none can, the
plan that arrives soonest (then cheapest) is returned and marked late.

The search stays exhaustive but avoids repeated work, so the answer is the one the plain
enumeration gives (tests/tools/test_fulfillment_search.py holds it to that): it walks the
combinations depth first in the enumeration's order, keeping each warehouse's load (weight,
volume, hazard class, quantity per SKU, stock date) as lines are added and taken back, so a
combination costs only its warehouses' carrier look-ups; carrier answers come from a RateCard
(select_carrier's best option, rates indexed once per plan) and are shared between loads whose
billable weight falls in the same rate bracket; and a branch whose stock cannot be ready (by the
date) is dropped whole, since more quantity never makes stock earlier. When the rate tables of
the plan's zones never make a heavier shipment cheaper (`RateCard.costs_never_fall`, checked
once per plan), a branch is also dropped once its loads as they stand rank no better than the
best plan found (see _Walk): adding goods to a load never lowers its cost or brings its
delivery forward, and never removes a shipment or its penalty.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from math import prod

from tools.availability import WarehouseAvailability, project_warehouse, split_options
from tools.carriers import (
    CarrierOption,
    CarrierSelection,
    Destination,
    RateCard,
    dimensional_weight,
    local_time,
    select_carrier,
)
from tools.masterdata import MasterData, Product
from tools.results import Issue, Money, Result

# Handling, packing and the buyer's extra receiving work for each shipment beyond the first.
DEFAULT_SPLIT_PENALTY = Decimal("15.00")
MAX_COMBINATIONS = 2048
# Goods from a scheduled receipt are assumed put away and ready to ship by noon local time.
RECEIPT_READY_TIME = time(12, 0)

Sourcing = tuple[tuple[str, Decimal], ...]  # (warehouse_id, quantity) parts of one line
Part = tuple[int, str, Decimal]  # (line_no, sku, quantity) of one line in one shipment
Rank = tuple[date, Decimal, int, date, tuple[str, ...]]


class OrderLine(Result):
    line_no: int
    sku: str
    quantity: Decimal  # base units


class FulfillmentOrder(Result):
    """What plan_fulfillment needs of an order."""

    customer_id: str
    ship_to: Destination
    lines: tuple[OrderLine, ...]
    need_by: date | None = None  # delivery date asked for


class ShipmentLine(Result):
    line_no: int
    sku: str
    quantity: Decimal


class PlannedShipment(Result):
    """One parcel leaving one warehouse with one carrier service."""

    warehouse_id: str
    lines: tuple[ShipmentLine, ...]
    weight_kg: Decimal
    volume_cm3: Decimal
    hazmat_class: str | None
    stock_ready_date: date
    carrier: CarrierOption
    cost: Money
    ship_date: date
    delivery_date: date
    on_time: bool


class UnmetLine(Result):
    line_no: int
    sku: str
    quantity: Decimal
    reasons: tuple[Issue, ...]


class FulfillmentPlan(Result):
    """Shipments at least cost, lines that cannot be served, and the cost breakdown."""

    customer_id: str
    need_by: date | None
    shipments: tuple[PlannedShipment, ...]
    unmet: tuple[UnmetLine, ...]
    shipping_cost: Money
    split_penalty: Money
    total_cost: Money
    meets_need_by: bool
    combinations_evaluated: int
    issues: tuple[Issue, ...] = ()
    explanation: str


@dataclass(frozen=True)
class _Leg:
    """A shipment while the search runs; a PlannedShipment is built only for the winner."""

    warehouse_id: str
    parts: tuple[Part, ...]
    weight_kg: Decimal
    volume_cm3: Decimal
    hazmat_class: str | None
    stock_ready_date: date
    carrier: CarrierOption
    on_time: bool

    @property
    def delivery_date(self) -> date:
        return self.carrier.delivery_date

    def planned(self) -> PlannedShipment:
        return PlannedShipment(
            warehouse_id=self.warehouse_id,
            lines=tuple(ShipmentLine(line_no=n, sku=s, quantity=q) for n, s, q in self.parts),
            weight_kg=self.weight_kg,
            volume_cm3=self.volume_cm3,
            hazmat_class=self.hazmat_class,
            stock_ready_date=self.stock_ready_date,
            carrier=self.carrier,
            cost=self.carrier.cost,
            ship_date=self.carrier.ship_date,
            delivery_date=self.carrier.delivery_date,
            on_time=self.on_time,
        )


@dataclass(frozen=True)
class _Candidate:
    """A priced assignment of lines to warehouses."""

    cost: Decimal
    shipments: tuple[_Leg, ...]


@dataclass(frozen=True)
class _CarrierQuery:
    """What select_carrier is asked for one shipment (the order's destination aside)."""

    warehouse_id: str
    weight_kg: Decimal
    volume_cm3: Decimal
    hazmat_class: str | None
    ready_at: datetime
    need_by: date | None


def plan_fulfillment(
    md: MasterData,
    order: FulfillmentOrder,
    *,
    now: datetime,
    split_penalty: Decimal = DEFAULT_SPLIT_PENALTY,
) -> FulfillmentPlan:
    """Allocate every line to warehouses and carriers meeting the date at least total cost."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    planner = _Planner(md, order, now, split_penalty)
    found = planner.search(order.need_by)
    if not found[0].shipments and order.need_by is not None:
        return planner.plan(*planner.search(None), late=True)
    return planner.plan(*found, late=False)


class _Planner:
    """The search state for one order: stock projections and carrier answers, memoised."""

    def __init__(
        self, md: MasterData, order: FulfillmentOrder, now: datetime, penalty: Decimal
    ) -> None:
        self.md, self.order, self.now, self.penalty = md, order, now, penalty
        self.positions: dict[tuple[str, str], WarehouseAvailability] = {}
        self.rate_card = RateCard(md, order.ship_to)
        self.carriers: dict[tuple[object, ...], CarrierOption | None] = {}
        self.ready_times: dict[tuple[str, date], datetime] = {}
        self.weight_limits = _weight_limits(md)
        self.last_carrier_failure: _CarrierQuery | None = None

    def search(self, need_by: date | None) -> tuple[_Candidate, list[UnmetLine], int]:
        """Best assignment by `need_by` (None: any date), lines left out, combinations tried."""
        choices: list[tuple[OrderLine, list[Sourcing]]] = []
        unmet: list[UnmetLine] = []
        for line in self.order.lines:
            options, reasons = self._choices(line, need_by)
            if options:
                choices.append((line, options))
            else:
                unmet.append(_unmet(line, reasons))
        _prune(choices)
        combo = _Walk(self, choices, need_by).best() if choices else None
        if combo is None:
            unmet += [_unmet(line, self._no_carrier_reasons()) for line, _ in choices]
            best = _Candidate(Decimal(0), ())
        else:
            best = self._price([line for line, _ in choices], combo, need_by)
        return best, unmet, prod(len(options) for _, options in choices) if choices else 0

    def plan(
        self, best: _Candidate, unmet: list[UnmetLine], tried: int, *, late: bool
    ) -> FulfillmentPlan:
        """The answer, explaining a late or an empty plan."""
        currency = self.md.base_currency
        shipments = tuple(leg.planned() for leg in best.shipments)
        issues: list[Issue] = []
        if late and shipments:
            latest = max(s.delivery_date for s in shipments)
            detail = f"cannot deliver by {self.order.need_by}; best plan arrives {latest}"
            issues.append(Issue(code="late", detail=detail))
        shipping = sum((s.cost.amount for s in shipments), Decimal(0))
        penalty = self.penalty * max(len(shipments) - 1, 0)
        return FulfillmentPlan(
            customer_id=self.order.customer_id,
            need_by=self.order.need_by,
            shipments=shipments,
            unmet=tuple(sorted(unmet, key=lambda u: u.line_no)),
            shipping_cost=Money(amount=shipping, currency=currency),
            split_penalty=Money(amount=penalty, currency=currency),
            total_cost=Money(amount=shipping + penalty, currency=currency),
            meets_need_by=bool(shipments) and not unmet and not late,
            combinations_evaluated=tried,
            issues=tuple(issues),
            explanation=_explain(shipments, unmet, shipping + penalty, currency),
        )

    def _choices(self, line: OrderLine, need_by: date | None) -> tuple[list[Sourcing], list[Issue]]:
        """Ways to source one line by `need_by`, or why there are none."""
        product = self.md.products.get(line.sku)
        if product is None:
            return [], [Issue(code="unknown_sku", detail=f"SKU {line.sku!r} unknown")]
        if line.quantity <= 0:
            return [], [Issue(code="invalid_quantity", detail=f"quantity {line.quantity}")]
        eligible = self._eligible(product)
        if not eligible:
            detail = f"class {product.hazmat_class} needs a hazmat-certified warehouse; none"
            return [], [Issue(code="no_hazmat_warehouse", detail=detail)]
        positions = [self._position(line.sku, w) for w in eligible]
        horizon = need_by or date.max
        singles: list[Sourcing] = [
            ((p.warehouse_id, line.quantity),)
            for p in positions
            if (d := p.date_for(line.quantity)) is not None and d <= horizon
        ]
        singles.sort(key=lambda s: self._distance(s[0][0]))
        splits = [
            tuple((a.warehouse_id, a.quantity) for a in option.allocations)
            for option in split_options(tuple(positions), line.quantity, horizon)
        ]
        if singles or splits:
            return singles + splits, []
        return [], [_shortage(line, positions, need_by)]

    def _eligible(self, product: Product) -> list[str]:
        hazmat = bool(product.hazmat_class)
        return sorted(
            w.warehouse_id for w in self.md.warehouses.values() if w.hazmat_certified or not hazmat
        )

    def _position(self, sku: str, warehouse_id: str) -> WarehouseAvailability:
        key = (sku, warehouse_id)
        if key not in self.positions:
            today = self._local_now(warehouse_id).date()
            self.positions[key] = project_warehouse(
                self.md, sku, warehouse_id, Decimal(0), None, today
            )
        return self.positions[key]

    def _local_now(self, warehouse_id: str) -> datetime:
        return local_time(self.md.warehouses[warehouse_id], self.now)[0]

    def _distance(self, warehouse_id: str) -> tuple[int, str]:
        """Sort key: warehouses in the destination's country and ZIP region first."""
        warehouse = self.md.warehouses[warehouse_id]
        ship_to = self.order.ship_to
        same_country = warehouse.country.upper() == ship_to.country.upper()
        a, b = warehouse.postal_code[:1], ship_to.postal_code[:1]
        gap = abs(int(a) - int(b)) if a.isdigit() and b.isdigit() else 9
        return (gap if same_country else 10, warehouse_id)

    def _price(
        self, lines: list[OrderLine], combo: Sequence[Sourcing], need_by: date | None
    ) -> _Candidate:
        """The shipments of the assignment the walk chose (every one of them can ship)."""
        by_warehouse: dict[str, list[Part]] = defaultdict(list)
        for line, sourcing in zip(lines, combo, strict=True):
            for warehouse_id, quantity in sourcing:
                by_warehouse[warehouse_id].append((line.line_no, line.sku, quantity))
        shipments: list[_Leg] = []
        for warehouse_id in sorted(by_warehouse):
            shipment = self._ship(warehouse_id, tuple(by_warehouse[warehouse_id]), need_by)
            assert shipment is not None, "the walk only chooses assignments that ship"
            shipments.append(shipment)
        cost = sum((s.carrier.cost.amount for s in shipments), Decimal(0))
        return _Candidate(cost + self.penalty * (len(shipments) - 1), tuple(shipments))

    def _ship(
        self, warehouse_id: str, parts: tuple[Part, ...], need_by: date | None
    ) -> _Leg | None:
        """One warehouse's shipment: stock date (same SKU lines added up) and best carrier."""
        ready = self._ready_date(warehouse_id, parts)
        if ready is None or (need_by is not None and ready > need_by):
            return None
        products = [self.md.products[sku] for _, sku, _ in parts]
        weight = sum(
            (p.weight_kg * q for p, (_, _, q) in zip(products, parts, strict=True)), Decimal(0)
        )
        volume = sum(
            (
                p.length_cm * p.width_cm * p.height_cm * q
                for p, (_, _, q) in zip(products, parts, strict=True)
            ),
            Decimal(0),
        )
        hazmat = min((p.hazmat_class for p in products if p.hazmat_class), default=None)
        ready_at = self._ready_at(warehouse_id, ready)
        query = _CarrierQuery(warehouse_id, weight, volume, hazmat, ready_at, need_by)
        best = self._carrier(query, soonest=self._is_late(need_by))
        if best is None:
            return None
        on_time = self.order.need_by is None or best.delivery_date <= self.order.need_by
        return _Leg(warehouse_id, parts, weight, volume, hazmat, ready, best, on_time)

    def _ready_date(self, warehouse_id: str, parts: tuple[Part, ...]) -> date | None:
        needed: dict[str, Decimal] = defaultdict(Decimal)
        for _, sku, quantity in parts:
            needed[sku] += quantity
        dates = [self._position(sku, warehouse_id).date_for(qty) for sku, qty in needed.items()]
        return None if any(d is None for d in dates) else max(d for d in dates if d)

    def _ready_at(self, warehouse_id: str, ready: date) -> datetime:
        """When stock ready on `ready` can leave: now if it is there, else noon that day."""
        key = (warehouse_id, ready)
        if key not in self.ready_times:
            local_now = self._local_now(warehouse_id)
            self.ready_times[key] = (
                local_now
                if ready <= local_now.date()
                else datetime.combine(ready, RECEIPT_READY_TIME, local_now.tzinfo)
            )
        return self.ready_times[key]

    def _carrier(self, query: _CarrierQuery, *, soonest: bool) -> CarrierOption | None:
        """select_carrier's best option for the query (its soonest with `soonest`), shared per
        weight bracket.

        A selection's options (services, costs, dates) depend on the billable weight only
        through the rate brackets and service limits it falls under, so one answer holds for
        every weight between the same two limits.
        """
        billable = max(query.weight_kg, dimensional_weight(query.volume_cm3))
        bracket = bisect_left(self.weight_limits, billable)
        key = (
            query.warehouse_id,
            bracket,
            query.hazmat_class,
            query.ready_at,
            query.need_by,
            soonest,
        )
        if key not in self.carriers:
            self.carriers[key] = self.rate_card.option(
                query.warehouse_id,
                weight_kg=query.weight_kg,
                volume_cm3=query.volume_cm3,
                hazmat_class=query.hazmat_class,
                ready_at=query.ready_at,
                need_by=query.need_by,
                soonest=soonest,
            )
        return self.carriers[key]

    def _select(self, query: _CarrierQuery) -> CarrierSelection:
        """The full selection, with its wording and exclusions, for the exact query."""
        return select_carrier(
            self.md,
            origin_warehouse_id=query.warehouse_id,
            ship_to=self.order.ship_to,
            weight_kg=query.weight_kg,
            volume_cm3=query.volume_cm3,
            hazmat_class=query.hazmat_class,
            ready_at=query.ready_at,
            need_by=query.need_by,
        )

    @cached_property
    def costs_never_fall(self) -> bool:
        return self.rate_card.costs_never_fall()

    def _is_late(self, need_by: date | None) -> bool:
        """Searching without the order's date: then the soonest arrival matters most."""
        return need_by is None and self.order.need_by is not None

    def _no_carrier_reasons(self) -> list[Issue]:
        if self.last_carrier_failure is None:
            return [Issue(code="no_carrier", detail="no warehouse can source and ship this")]
        failure = self._select(self.last_carrier_failure)
        reasons = [Issue(code="no_carrier", detail=failure.explanation)]
        return reasons + [r for e in failure.excluded for r in e.reasons][:5]


class _Load:
    """What one warehouse ships in the combination being walked."""

    __slots__ = ("hazmat", "parts", "quantities", "quote", "ready", "volume", "weight")

    def __init__(self) -> None:
        self.weight, self.volume = Decimal(0), Decimal(0)
        self.hazmat: str | None = None
        self.quantities: dict[str, Decimal] = defaultdict(Decimal)  # per SKU, lines added up
        self.ready = date.min  # the date its stock is all there
        self.parts = 0
        self.quote: tuple[CarrierOption | None] | None = None  # None: not looked up since changed

    def state(self) -> _LoadState:
        return self.weight, self.volume, self.hazmat, self.ready, self.parts, self.quote


_LoadState = tuple[Decimal, Decimal, str | None, date, int, "tuple[CarrierOption | None] | None"]
# One line's share of one warehouse's load: (warehouse, sku, quantity, weight, volume, hazmat,
# the SKU's stock position there).
_Share = tuple[str, str, Decimal, Decimal, Decimal, str | None, WarehouseAvailability]


class _Walk:
    """Every combination of the lines' sourcing choices, depth first in the order
    itertools.product gives them, ranked as the plain enumeration ranks them (first wins ties).

    When the rate tables never make a heavier shipment cheaper, adding goods to a load only
    takes services away and makes each remaining one cost as much or more and arrive as late or
    later. So a branch whose loads no carrier takes is dropped; so is one whose loads, as they
    stand, rank no better than the best plan found (cheapest first: a completion costs at least
    as much, ships at least as many parcels, and when it ties on both it adds nothing and
    arrives no sooner), or arrive later than it (soonest first).
    """

    def __init__(
        self,
        planner: _Planner,
        choices: list[tuple[OrderLine, list[Sourcing]]],
        need_by: date | None,
    ) -> None:
        self.planner, self.need_by = planner, need_by
        self.soonest = planner._is_late(need_by)
        self.options = [[_shares(planner, line, s) for s in opts] for line, opts in choices]
        self.loads = {w: _Load() for w in sorted(planner.md.warehouses)}
        self.picked = [0] * len(choices)
        self.best_rank: Rank | None = None
        self.best_pick: list[int] | None = None
        self.quotes: dict[tuple[object, ...], tuple[CarrierOption | None, _CarrierQuery]] = {}

    def best(self) -> list[Sourcing] | None:
        """The winning combination, None when none can ship."""
        branching = []
        for depth, options in enumerate(self.options):
            if len(options) == 1:  # in every combination: load it once, up front
                if not self._load(options[0]):
                    return None
            else:
                branching.append(depth)
        if branching:
            self._walk(branching, 0)
        else:
            self._rank_leaf()
        if self.best_pick is None:
            return None
        return [self._choice(depth, i) for depth, i in enumerate(self.best_pick)]

    def _choice(self, depth: int, index: int) -> Sourcing:
        return tuple((share[0], share[2]) for share in self.options[depth][index])

    def _walk(self, branching: list[int], level: int) -> None:
        depth = branching[level]
        last = level + 1 == len(branching)
        for index, shares in enumerate(self.options[depth]):
            undo = self._snapshot(shares)
            if self._load(shares):
                self.picked[depth] = index
                if last:
                    self._rank_leaf()
                elif not self._cannot_win():
                    self._walk(branching, level + 1)
            self._restore(undo)

    def _cannot_win(self) -> bool:
        """Whether no completion of the loads so far can rank first (see the class docstring).
        A completion that ranks equal loses too: the first of equals wins."""
        if not self.bounded:
            return False
        rank = self._rank()
        if rank is None:
            return True
        if self.best_rank is None:
            return False
        return rank[0] > self.best_rank[0] if self.soonest else rank >= self.best_rank

    @cached_property
    def bounded(self) -> bool:
        """Whether loads only get dearer and later as goods are added (checked on first use:
        a walk with one level of choices never asks)."""
        if not self.soonest and self.planner.penalty < 0:
            return False
        return self.planner.costs_never_fall

    def _rank(self) -> Rank | None:
        """(arrival when soonest first, cost, shipments, arrival, warehouses) of the loads as
        they stand; None when one of them has no carrier option."""
        costs, arrival, used = [], date.min, []
        for warehouse_id, load in self.loads.items():
            if not load.parts:
                continue
            if load.quote is None:
                load.quote = (self._quote(warehouse_id, load),)
            option = load.quote[0]
            if option is None:
                return None
            costs.append(option.cost.amount)
            arrival = max(arrival, option.delivery_date)
            used.append(warehouse_id)
        cost = sum(costs, self.planner.penalty * (len(used) - 1))
        return (arrival if self.soonest else date.min, cost, len(used), arrival, tuple(used))

    def _snapshot(self, shares: list[_Share]) -> list[tuple[_Load, str, Decimal, _LoadState]]:
        undo = []
        for share in shares:
            load, sku = self.loads[share[0]], share[1]
            undo.append((load, sku, load.quantities[sku], load.state()))
        return undo

    @staticmethod
    def _restore(undo: list[tuple[_Load, str, Decimal, _LoadState]]) -> None:
        for load, sku, quantity, state in reversed(undo):
            load.quantities[sku] = quantity
            load.weight, load.volume, load.hazmat, load.ready, load.parts, load.quote = state

    def _load(self, shares: list[_Share]) -> bool:
        """Add one line's shares; False once a warehouse's stock cannot be ready (by the date)."""
        ok = True
        for warehouse_id, sku, quantity, weight, volume, hazmat, position in shares:
            load = self.loads[warehouse_id]
            load.weight += weight
            load.volume += volume
            if hazmat and (load.hazmat is None or hazmat < load.hazmat):
                load.hazmat = hazmat
            total = load.quantities[sku] + quantity
            load.quantities[sku] = total
            load.parts += 1
            load.quote = None
            ready = position.date_for(total)
            if ready is None:
                ok = False
                continue
            if ready > load.ready:
                load.ready = ready
            if self.need_by is not None and load.ready > self.need_by:
                ok = False
        return ok

    def _rank_leaf(self) -> None:
        rank = self._rank()
        if rank is not None and (self.best_rank is None or rank < self.best_rank):
            self.best_rank, self.best_pick = rank, list(self.picked)

    def _quote(self, warehouse_id: str, load: _Load) -> CarrierOption | None:
        """The load's carrier option (cheapest, or fastest when late), shared per rate bracket."""
        planner = self.planner
        billable = max(load.weight, dimensional_weight(load.volume))
        bracket = bisect_left(planner.weight_limits, billable)
        ready_at = planner._ready_at(warehouse_id, load.ready)
        key = (warehouse_id, bracket, load.hazmat, ready_at, self.need_by)
        quote = self.quotes.get(key)
        if quote is None:
            query = _CarrierQuery(
                warehouse_id, load.weight, load.volume, load.hazmat, ready_at, self.need_by
            )
            quote = self.quotes[key] = (planner._carrier(query, soonest=self.soonest), query)
        if quote[0] is None:
            planner.last_carrier_failure = quote[1]
        return quote[0]


def _shares(planner: _Planner, line: OrderLine, sourcing: Sourcing) -> list[_Share]:
    product = planner.md.products[line.sku]
    unit_volume = product.length_cm * product.width_cm * product.height_cm
    hazmat = product.hazmat_class or None
    return [
        (
            w,
            line.sku,
            q,
            product.weight_kg * q,
            unit_volume * q,
            hazmat,
            planner._position(line.sku, w),
        )
        for w, q in sourcing
    ]


def _weight_limits(md: MasterData) -> list[Decimal]:
    """Every weight at which a carrier's answer can change: rate brackets and service limits."""
    limits = {r.max_weight_kg for rates in md.rates.values() for r in rates}
    limits |= {s.max_weight_kg for s in md.services.values()}
    return sorted(limits)


def _unmet(line: OrderLine, reasons: list[Issue]) -> UnmetLine:
    return UnmetLine(
        line_no=line.line_no, sku=line.sku, quantity=line.quantity, reasons=tuple(reasons)
    )


def _prune(choices: list[tuple[OrderLine, list[Sourcing]]]) -> None:
    """Drop the least promising choices of the most branching lines until the search fits."""
    widths = [len(options) for _, options in choices]
    combinations = prod(widths)
    while combinations > MAX_COMBINATIONS:
        widest = widths.index(max(widths))  # the first of the widest
        combinations = combinations // widths[widest] * (widths[widest] - 1)
        widths[widest] -= 1
        choices[widest][1].pop()


def _shortage(
    line: OrderLine, positions: list[WarehouseAvailability], need_by: date | None
) -> Issue:
    earliest = min(
        ((d, p.warehouse_id) for p in positions if (d := p.date_for(line.quantity)) is not None),
        default=None,
    )
    if need_by is not None and earliest is not None:
        detail = f"not available by {need_by}; earliest {earliest[0]} at {earliest[1]}"
        return Issue(code="not_available_by_need_by", detail=detail)
    total = sum(
        (p.receipts[-1].available_after if p.receipts else p.available_now for p in positions),
        Decimal(0),
    )
    detail = f"{line.quantity} needed, {total} available across warehouses incl. receipts"
    return Issue(code="insufficient_stock", detail=detail)


def _explain(
    shipments: tuple[PlannedShipment, ...], unmet: list[UnmetLine], total: Decimal, currency: str
) -> str:
    parts = [
        f"{s.warehouse_id} via {s.carrier.service_name} {s.cost} arrives {s.delivery_date}"
        for s in shipments
    ]
    text = "; ".join(parts) if parts else "nothing can ship"
    missing = f"; unmet lines {', '.join(str(u.line_no) for u in unmet)}" if unmet else ""
    return f"{len(shipments)} shipment(s), total {total} {currency}: {text}{missing}"

"""Plan an order's shipments: which warehouses ship which lines, by which service, at least cost.

The search is exhaustive over each line's sourcing choices (one warehouse that holds the whole
line, or a minimal split across warehouses), capped at MAX_COMBINATIONS by dropping each line's
least promising choices. Cost = carrier cost of every shipment + `split_penalty` for each
shipment beyond the first. A plan that meets the need-by date is preferred; when none can, the
plan that arrives soonest (then cheapest) is returned and marked late.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import product as cartesian
from math import prod

from tools.availability import WarehouseAvailability, project_warehouse, split_options
from tools.carriers import (
    CarrierOption,
    CarrierSelection,
    Destination,
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
class _Candidate:
    """A priced assignment of lines to warehouses."""

    cost: Decimal
    shipments: tuple[PlannedShipment, ...]


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
        self.carriers: dict[tuple[object, ...], CarrierSelection] = {}
        self.last_carrier_failure: CarrierSelection | None = None

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
        soonest = self._is_late(need_by)
        best, tried = None, 0
        for combo in cartesian(*(options for _, options in choices)) if choices else ():
            tried += 1
            candidate = self._price([line for line, _ in choices], combo, need_by)
            if candidate is not None and (
                best is None or _rank(candidate, soonest) < _rank(best, soonest)
            ):
                best = candidate
        if best is None:
            unmet += [_unmet(line, self._no_carrier_reasons()) for line, _ in choices]
            best = _Candidate(Decimal(0), ())
        return best, unmet, tried

    def plan(
        self, best: _Candidate, unmet: list[UnmetLine], tried: int, *, late: bool
    ) -> FulfillmentPlan:
        """The answer, explaining a late or an empty plan."""
        currency = self.md.base_currency
        shipments = best.shipments
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
    ) -> _Candidate | None:
        """Cost of one assignment, or None when stock or carriers cannot serve it."""
        by_warehouse: dict[str, list[ShipmentLine]] = defaultdict(list)
        for line, sourcing in zip(lines, combo, strict=True):
            for warehouse_id, quantity in sourcing:
                by_warehouse[warehouse_id].append(
                    ShipmentLine(line_no=line.line_no, sku=line.sku, quantity=quantity)
                )
        shipments = []
        for warehouse_id in sorted(by_warehouse):
            shipment = self._ship(warehouse_id, tuple(by_warehouse[warehouse_id]), need_by)
            if shipment is None:
                return None
            shipments.append(shipment)
        carrier_cost = sum((s.cost.amount for s in shipments), Decimal(0))
        return _Candidate(carrier_cost + self.penalty * (len(shipments) - 1), tuple(shipments))

    def _ship(
        self, warehouse_id: str, lines: tuple[ShipmentLine, ...], need_by: date | None
    ) -> PlannedShipment | None:
        """One warehouse's shipment: stock date (same SKU lines added up) and best carrier."""
        ready = self._ready_date(warehouse_id, lines)
        if ready is None or (need_by is not None and ready > need_by):
            return None
        products = [self.md.products[line.sku] for line in lines]
        weight = sum(
            (p.weight_kg * ln.quantity for p, ln in zip(products, lines, strict=True)), Decimal(0)
        )
        volume = sum(
            (
                p.length_cm * p.width_cm * p.height_cm * ln.quantity
                for p, ln in zip(products, lines, strict=True)
            ),
            Decimal(0),
        )
        hazmat = min((p.hazmat_class for p in products if p.hazmat_class), default=None)
        selection = self._carrier(warehouse_id, weight, volume, hazmat, ready, need_by)
        best = _fastest(selection) if self._is_late(need_by) else selection.best
        if best is None:
            self.last_carrier_failure = selection
            return None
        on_time = self.order.need_by is None or best.delivery_date <= self.order.need_by
        return PlannedShipment(
            warehouse_id=warehouse_id,
            lines=lines,
            weight_kg=weight,
            volume_cm3=volume,
            hazmat_class=hazmat,
            stock_ready_date=ready,
            carrier=best,
            cost=best.cost,
            ship_date=best.ship_date,
            delivery_date=best.delivery_date,
            on_time=on_time,
        )

    def _ready_date(self, warehouse_id: str, lines: tuple[ShipmentLine, ...]) -> date | None:
        needed: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            needed[line.sku] += line.quantity
        dates = [self._position(sku, warehouse_id).date_for(qty) for sku, qty in needed.items()]
        return None if any(d is None for d in dates) else max(d for d in dates if d)

    def _carrier(
        self,
        warehouse_id: str,
        weight: Decimal,
        volume: Decimal,
        hazmat: str | None,
        ready: date,
        need_by: date | None,
    ) -> CarrierSelection:
        local_now = self._local_now(warehouse_id)
        ready_at = (
            local_now
            if ready <= local_now.date()
            else datetime.combine(ready, RECEIPT_READY_TIME, local_now.tzinfo)
        )
        key = (warehouse_id, weight, volume, hazmat, ready_at, need_by)
        if key not in self.carriers:
            self.carriers[key] = select_carrier(
                self.md,
                origin_warehouse_id=warehouse_id,
                ship_to=self.order.ship_to,
                weight_kg=weight,
                volume_cm3=volume,
                hazmat_class=hazmat,
                ready_at=ready_at,
                need_by=need_by,
            )
        return self.carriers[key]

    def _is_late(self, need_by: date | None) -> bool:
        """Searching without the order's date: then the soonest arrival matters most."""
        return need_by is None and self.order.need_by is not None

    def _no_carrier_reasons(self) -> list[Issue]:
        failure = self.last_carrier_failure
        if failure is None:
            return [Issue(code="no_carrier", detail="no warehouse can source and ship this")]
        reasons = [Issue(code="no_carrier", detail=failure.explanation)]
        return reasons + [r for e in failure.excluded for r in e.reasons][:5]


def _fastest(selection: CarrierSelection) -> CarrierOption | None:
    return min(selection.options, key=lambda o: (o.delivery_date, o.cost.amount), default=None)


def _unmet(line: OrderLine, reasons: list[Issue]) -> UnmetLine:
    return UnmetLine(
        line_no=line.line_no, sku=line.sku, quantity=line.quantity, reasons=tuple(reasons)
    )


def _rank(candidate: _Candidate, soonest: bool) -> tuple[date, Decimal, int, date, tuple[str, ...]]:
    """Cheapest, fewest shipments, earliest arrival; soonest first when already late."""
    shipments = candidate.shipments
    arrival = max(s.delivery_date for s in shipments)
    return (
        arrival if soonest else date.min,
        candidate.cost,
        len(shipments),
        arrival,
        tuple(s.warehouse_id for s in shipments),
    )


def _prune(choices: list[tuple[OrderLine, list[Sourcing]]]) -> None:
    """Drop the least promising choices of the most branching lines until the search fits."""
    while prod(len(options) for _, options in choices) > MAX_COMBINATIONS:
        widest = max(choices, key=lambda c: len(c[1]))[1]
        widest.pop()


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

"""Available-to-promise: what each warehouse can ship now, later, and together by a date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import combinations

from tools.masterdata import MasterData
from tools.results import Issue, Result

MAX_SPLIT_OPTIONS = 10


class ProjectedReceipt(Result):
    """A scheduled receipt and what the warehouse can promise once it has arrived."""

    receipt_id: str
    expected_date: date  # overdue receipts count from today
    quantity: Decimal
    available_after: Decimal


class WarehouseAvailability(Result):
    """One warehouse's stock position for a SKU, projected from `as_of`."""

    warehouse_id: str
    as_of: date
    on_hand: Decimal
    allocated: Decimal
    safety_stock: Decimal
    available_now: Decimal  # on_hand - allocated - safety_stock, floored at 0
    receipts: tuple[ProjectedReceipt, ...]
    available_by_need_by: Decimal | None
    earliest_full_date: date | None  # first date the whole quantity is available here

    def available_on(self, day: date) -> Decimal:
        """What this warehouse can promise on `day`."""
        return _available_on(self.as_of, self.available_now, self.receipts, day)

    def date_for(self, quantity: Decimal) -> date | None:
        """The first date `quantity` is available, None when no known receipt gets there."""
        return _date_for(self.as_of, self.available_now, self.receipts, quantity)


def _available_on(
    as_of: date, now: Decimal, receipts: tuple[ProjectedReceipt, ...], day: date
) -> Decimal:
    if day < as_of:
        return Decimal(0)
    arrived = [r.available_after for r in receipts if r.expected_date <= day]
    return arrived[-1] if arrived else now


def _date_for(
    as_of: date, now: Decimal, receipts: tuple[ProjectedReceipt, ...], quantity: Decimal
) -> date | None:
    if quantity <= now:
        return as_of
    return next((r.expected_date for r in receipts if r.available_after >= quantity), None)


class SplitAllocation(Result):
    quantity: Decimal
    warehouse_id: str
    available_date: date


class SplitOption(Result):
    """Two or more warehouses that together hold the quantity by the need-by date."""

    allocations: tuple[SplitAllocation, ...]
    ready_date: date  # when the last part is available


class Availability(Result):
    """Available-to-promise for one SKU and quantity across warehouses."""

    sku: str
    quantity: Decimal
    need_by: date | None
    today: date
    warehouses: tuple[WarehouseAvailability, ...]
    total_available_now: Decimal
    earliest_full_date: date | None  # from a single warehouse
    earliest_warehouse_id: str | None
    single_warehouse_by_need_by: tuple[str, ...]  # warehouses that each cover it in time
    split_options: tuple[SplitOption, ...]
    can_meet_need_by: bool
    issues: tuple[Issue, ...] = ()
    explanation: str


def available_to_promise(
    md: MasterData,
    sku: str,
    quantity: Decimal,
    need_by: date | None = None,
    warehouses: Sequence[str] | None = None,
    *,
    today: date,
) -> Availability:
    """Per-warehouse and combined availability of `quantity` base units of `sku`."""
    ids = list(warehouses) if warehouses is not None else sorted(md.warehouses)
    issues = [
        Issue(code="unknown_warehouse", detail=f"warehouse {w!r} unknown")
        for w in ids
        if w not in md.warehouses
    ]
    if sku not in md.products:
        issues.append(Issue(code="unknown_sku", detail=f"SKU {sku!r} is not in the catalogue"))
    horizon = need_by if need_by is not None else date.max
    positions = tuple(
        project_warehouse(md, sku, w, quantity, need_by, today) for w in ids if w in md.warehouses
    )
    singles = tuple(
        p.warehouse_id
        for p in positions
        if (d := p.date_for(quantity)) is not None and d <= horizon
    )
    splits = () if singles else split_options(positions, quantity, horizon)
    earliest = min(
        (
            (p.earliest_full_date, p.warehouse_id)
            for p in positions
            if p.earliest_full_date is not None
        ),
        default=None,
    )
    can_meet = bool(singles or splits)
    return Availability(
        sku=sku,
        quantity=quantity,
        need_by=need_by,
        today=today,
        warehouses=positions,
        total_available_now=sum((p.available_now for p in positions), Decimal(0)),
        earliest_full_date=earliest[0] if earliest else None,
        earliest_warehouse_id=earliest[1] if earliest else None,
        single_warehouse_by_need_by=singles,
        split_options=splits,
        can_meet_need_by=can_meet,
        issues=tuple(issues),
        explanation=_explain(quantity, need_by, singles, splits, earliest),
    )


def project_warehouse(
    md: MasterData,
    sku: str,
    warehouse_id: str,
    quantity: Decimal,
    need_by: date | None,
    today: date,
) -> WarehouseAvailability:
    """Stock now and after each scheduled receipt of `sku` at one warehouse."""
    stock = md.stock.get((sku, warehouse_id))
    on_hand = stock.on_hand if stock else Decimal(0)
    allocated = stock.allocated if stock else Decimal(0)
    safety = stock.safety_stock if stock else Decimal(0)
    # Receipts first refill what is short of allocations and safety stock, hence unfloored.
    running = on_hand - allocated - safety
    projected = []
    for receipt in sorted(_receipts(md, sku, warehouse_id), key=lambda r: (r[1], r[0])):
        running += receipt[2]
        projected.append(
            ProjectedReceipt(
                receipt_id=receipt[0],
                expected_date=max(receipt[1], today),
                quantity=receipt[2],
                available_after=max(running, Decimal(0)),
            )
        )
    now = max(on_hand - allocated - safety, Decimal(0))
    receipts = tuple(projected)
    return WarehouseAvailability(
        warehouse_id=warehouse_id,
        as_of=today,
        on_hand=on_hand,
        allocated=allocated,
        safety_stock=safety,
        available_now=now,
        receipts=receipts,
        available_by_need_by=(
            None if need_by is None else _available_on(today, now, receipts, need_by)
        ),
        earliest_full_date=_date_for(today, now, receipts, quantity),
    )


def _receipts(md: MasterData, sku: str, warehouse_id: str) -> Iterable[tuple[str, date, Decimal]]:
    return (
        (r.receipt_id, r.expected_date, r.quantity)
        for r in md.receipts
        if r.sku == sku and r.warehouse_id == warehouse_id and r.quantity > 0
    )


def split_options(
    positions: tuple[WarehouseAvailability, ...], quantity: Decimal, horizon: date
) -> tuple[SplitOption, ...]:
    """Minimal sets of two or more warehouses that together hold `quantity` by `horizon`."""
    found: list[SplitOption] = []
    covering: list[frozenset[str]] = []
    usable = [p for p in positions if p.available_on(horizon) > 0]
    for size in range(2, len(usable) + 1):
        for combo in combinations(usable, size):
            ids = frozenset(p.warehouse_id for p in combo)
            if any(c <= ids for c in covering):
                continue
            if sum((p.available_on(horizon) for p in combo), Decimal(0)) >= quantity:
                covering.append(ids)
                found.append(_allocate(combo, quantity, horizon))
    found.sort(key=lambda s: (len(s.allocations), s.ready_date))
    return tuple(found[:MAX_SPLIT_OPTIONS])


def _allocate(
    combo: tuple[WarehouseAvailability, ...], quantity: Decimal, horizon: date
) -> SplitOption:
    """Fill from the warehouse holding most first; each part dated when it is available."""
    remaining = quantity
    parts = []
    for position in sorted(combo, key=lambda p: (-p.available_on(horizon), p.warehouse_id)):
        take = min(remaining, position.available_on(horizon))
        if take <= 0:
            break
        ready = position.date_for(take)
        assert ready is not None  # take <= available_on(horizon), so some date reaches it
        parts.append(
            SplitAllocation(warehouse_id=position.warehouse_id, quantity=take, available_date=ready)
        )
        remaining -= take
    return SplitOption(allocations=tuple(parts), ready_date=max(p.available_date for p in parts))


def _explain(
    quantity: Decimal,
    need_by: date | None,
    singles: tuple[str, ...],
    splits: tuple[SplitOption, ...],
    earliest: tuple[date, str] | None,
) -> str:
    by = f" by {need_by}" if need_by else ""
    if singles:
        return f"{quantity} available{by} from {', '.join(singles)}"
    if splits:
        first = " + ".join(f"{a.quantity}@{a.warehouse_id}" for a in splits[0].allocations)
        return f"no single warehouse has {quantity}{by}; split {first}"
    later = f"; earliest single source {earliest[1]} on {earliest[0]}" if earliest else ""
    return f"{quantity} not available{by}{later}"

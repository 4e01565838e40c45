"""Carrier selection: zone, cut-off, business-day transit, rate and exclusions per service.

Zones are deterministic. Within the US the zone grows with the distance between the first
digits of the origin and destination ZIP codes: same digit is zone 2, each step adds one, capped
at zone 8. A destination in another country than the warehouse is INTERNATIONAL_ZONE; a
domestic shipment outside the US is zone 2. Transit counts business days (Monday to Friday; no
holiday calendar). Dimensional weight is volume in cm³ / 5000; the billable weight is the larger
of it and the actual weight. Costs are compared in the company's base currency.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_UP, Decimal
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.fx import convert
from tools.masterdata import CarrierRate, CarrierService, MasterData, Warehouse, split_list
from tools.results import Issue, Money, Result, to_cents

DIM_DIVISOR = Decimal(5000)
INTERNATIONAL_ZONE = 9
NEAREST_ZONE, FARTHEST_ZONE = 2, 8
_WEIGHT_STEP = Decimal("0.001")


class Destination(Result):
    """Where a shipment goes; the postal code and ISO 3166 alpha-2 country are what count."""

    postal_code: str
    country: str = "US"


class CarrierOption(Result):
    """A service that can take the shipment, with its cost and dates."""

    service_id: str
    service_name: str
    carrier_id: str
    carrier_name: str
    zone: int
    cost: Money  # base currency, to the cent
    bracket_max_weight_kg: Decimal
    ship_date: date
    transit_days: int
    delivery_date: date


class ExcludedService(Result):
    """A service that cannot take the shipment, and every reason why."""

    service_id: str
    service_name: str
    carrier_id: str
    reasons: tuple[Issue, ...]
    delivery_date: date | None
    cost: Money | None


class CarrierSelection(Result):
    """Services ranked cheapest first, the excluded ones with reasons, and the verdict."""

    origin_warehouse_id: str
    destination: Destination
    zone: int | None
    weight_kg: Decimal
    dim_weight_kg: Decimal
    billable_weight_kg: Decimal
    hazmat_class: str | None
    ready_at: datetime
    need_by: date | None
    options: tuple[CarrierOption, ...]
    excluded: tuple[ExcludedService, ...]
    best: CarrierOption | None
    issues: tuple[Issue, ...] = ()
    explanation: str


def select_carrier(
    md: MasterData,
    *,
    origin_warehouse_id: str,
    ship_to: Destination,
    weight_kg: Decimal,
    volume_cm3: Decimal = Decimal(0),
    hazmat_class: str | None = None,
    ready_at: datetime,
    need_by: date | None = None,
) -> CarrierSelection:
    """Rank the carrier services for one shipment from a warehouse; `ready_at` must be aware."""
    if ready_at.tzinfo is None:
        raise ValueError("ready_at must be timezone-aware")
    dim_weight = dimensional_weight(volume_cm3)
    billable = max(weight_kg, dim_weight)
    warehouse = md.warehouses.get(origin_warehouse_id)
    issues: list[Issue] = []
    options: list[CarrierOption] = []
    excluded: list[ExcludedService] = []
    zone = None
    if warehouse is None:
        issues.append(Issue(code="unknown_warehouse", detail=f"{origin_warehouse_id!r} unknown"))
    else:
        zone, zone_issue = shipping_zone(warehouse, ship_to)
        issues += [zone_issue] if zone_issue else []
        local, tz_issue = local_time(warehouse, ready_at)
        issues += [tz_issue] if tz_issue else []
        shipment = _Shipment(
            zone, weight_kg, billable, hazmat_class, ship_to.country.upper(), need_by
        )
        for service in sorted(md.services.values(), key=lambda s: s.service_id):
            outcome = _evaluate(md, service, shipment, local)
            if isinstance(outcome, CarrierOption):
                options.append(outcome)
            else:
                excluded.append(outcome)
    options.sort(key=lambda o: (o.cost.amount, o.delivery_date, o.service_id))
    return CarrierSelection(
        origin_warehouse_id=origin_warehouse_id,
        destination=ship_to,
        zone=zone,
        weight_kg=weight_kg,
        dim_weight_kg=dim_weight,
        billable_weight_kg=billable,
        hazmat_class=hazmat_class,
        ready_at=ready_at,
        need_by=need_by,
        options=tuple(options),
        excluded=tuple(excluded),
        best=options[0] if options else None,
        issues=tuple(issues),
        explanation=_explain(options, excluded, need_by),
    )


def dimensional_weight(volume_cm3: Decimal) -> Decimal:
    """Volumetric weight in kg (cm³ / 5000), rounded up to the gram."""
    return (volume_cm3 / DIM_DIVISOR).quantize(_WEIGHT_STEP, rounding=ROUND_UP)


def shipping_zone(origin: Warehouse, destination: Destination) -> tuple[int, Issue | None]:
    """The rate zone between a warehouse and a destination (see the module docstring)."""
    if origin.country.upper() != destination.country.upper():
        return INTERNATIONAL_ZONE, None
    if destination.country.upper() != "US":
        return NEAREST_ZONE, None
    a, b = origin.postal_code.strip()[:1], destination.postal_code.strip()[:1]
    if not (a.isdigit() and b.isdigit()):
        detail = f"ZIP {destination.postal_code!r} or {origin.postal_code!r} unreadable"
        return FARTHEST_ZONE, Issue(code="postal_code_unreadable", detail=detail + "; farthest")
    return min(FARTHEST_ZONE, NEAREST_ZONE + abs(int(a) - int(b))), None


def next_business_day(day: date) -> date:
    """`day` itself when a weekday, else the following Monday."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_business_days(day: date, days: int) -> date:
    """The date `days` business days after `day` (weekends skipped, no holidays)."""
    if days <= 0:
        return day
    weekday = day.weekday()
    if weekday >= 5:  # the business days after a weekend day are those after its Friday
        day -= timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(days, 5)
    return day + timedelta(days=7 * weeks + rest + (2 if weekday + rest > 4 else 0))


def ship_date(service: CarrierService, local_ready: datetime) -> date:
    """The day the service picks up: today before its cut-off, else the next business day."""
    day = local_ready.date()
    if local_ready.time() > service.cutoff_time:
        day += timedelta(days=1)
    return next_business_day(day)


@dataclass(frozen=True)
class _Shipment:
    """What every service is checked against."""

    zone: int
    weight_kg: Decimal
    billable_kg: Decimal
    hazmat_class: str | None
    country: str
    need_by: date | None


def _evaluate(
    md: MasterData, service: CarrierService, shipment: _Shipment, local_ready: datetime
) -> CarrierOption | ExcludedService:
    reasons = _static_reasons(service, shipment)
    rate = _rate(md, service, shipment)
    cost = None
    if rate is None:
        detail = (
            f"no {service.service_id} rate for zone {shipment.zone} at {shipment.billable_kg} kg"
        )
        reasons.append(Issue(code="no_rate", detail=detail))
    else:
        amount = convert(md, rate.cost, rate.currency, md.base_currency)
        if amount is None:
            detail = f"no exchange rate from {rate.currency} to {md.base_currency}"
            reasons.append(Issue(code="fx_rate_missing", detail=detail))
        else:
            cost = Money(amount=to_cents(amount), currency=md.base_currency)
    shipped = ship_date(service, local_ready)
    delivered = add_business_days(shipped, service.transit_days)
    if shipment.need_by is not None and delivered > shipment.need_by:
        detail = f"arrives {delivered}, after {shipment.need_by}"
        reasons.append(Issue(code="arrives_late", detail=detail))
    carrier = md.carriers.get(service.carrier_id)
    if reasons or rate is None or cost is None:
        return ExcludedService(
            service_id=service.service_id,
            service_name=service.name,
            carrier_id=service.carrier_id,
            reasons=tuple(reasons),
            delivery_date=delivered,
            cost=cost,
        )
    return CarrierOption(
        service_id=service.service_id,
        service_name=service.name,
        carrier_id=service.carrier_id,
        carrier_name=carrier.name if carrier else service.carrier_id,
        zone=shipment.zone,
        cost=cost,
        bracket_max_weight_kg=rate.max_weight_kg,
        ship_date=shipped,
        transit_days=service.transit_days,
        delivery_date=delivered,
    )


def _static_reasons(service: CarrierService, shipment: _Shipment) -> list[Issue]:
    reasons = []
    countries = _countries(service.countries)
    if shipment.country not in countries:
        detail = f"does not serve {shipment.country} (serves {', '.join(countries)})"
        reasons.append(Issue(code="country_not_served", detail=detail))
    if shipment.hazmat_class and not service.hazmat_allowed:
        detail = f"no hazardous goods (class {shipment.hazmat_class})"
        reasons.append(Issue(code="hazmat_not_allowed", detail=detail))
    if shipment.billable_kg > service.max_weight_kg:
        detail = f"billable {shipment.billable_kg} kg over the {service.max_weight_kg} kg limit"
        reasons.append(Issue(code="over_max_weight", detail=detail))
    return reasons


@lru_cache(maxsize=1024)
def _countries(column: str) -> tuple[str, ...]:
    return tuple(c.upper() for c in split_list(column))


def costs_never_fall(md: MasterData) -> bool:
    """Whether a heavier shipment can never be cheaper: in every service's zone, each larger
    weight bracket costs at least as much as the one below it, in the base currency.

    Then the cheapest option for a shipment never falls as goods are added to it, since every
    other exclusion (weight limit, hazardous goods, a later ready date against need-by) only
    grows with the load; a fulfilment search may take a partial load's cost as a lower bound.
    """
    for rates in md.rates.values():
        by_zone: dict[int, list[CarrierRate]] = {}
        for rate in rates:
            by_zone.setdefault(rate.zone, []).append(rate)
        for brackets in by_zone.values():
            brackets.sort(key=lambda r: r.max_weight_kg)
            costs = [convert(md, r.cost, r.currency, md.base_currency) for r in brackets]
            known = [c for c in costs if c is not None]
            if len(known) < len(costs) or any(b < a for a, b in pairwise(known)):
                return False
    return True


def _rate(md: MasterData, service: CarrierService, shipment: _Shipment) -> CarrierRate | None:
    """The smallest weight bracket in the zone that holds the billable weight."""
    brackets = [
        r
        for r in md.rates.get(service.service_id, ())
        if r.zone == shipment.zone and r.max_weight_kg >= shipment.billable_kg
    ]
    return min(brackets, key=lambda r: r.max_weight_kg, default=None)


class RateCard:
    """What select_carrier answers for many shipments to one destination, indexed once.

    For a search that prices thousands of loads: each service's rate brackets in a zone, costed
    in the base currency, are read once, and a look-up is a bisection per service. `option` is
    select_carrier's `best` (or its soonest option) without the report around it.
    """

    def __init__(self, md: MasterData, ship_to: Destination) -> None:
        self.md, self.ship_to = md, ship_to
        self.country = ship_to.country.upper()
        self.services = sorted(md.services.values(), key=lambda s: s.service_id)
        self._zones: dict[str, int] = {}
        self._by_zone: dict[str, dict[int, list[CarrierRate]]] = {}
        self._brackets: dict[tuple[str, int], _Brackets] = {}
        self._local: dict[tuple[str, datetime], datetime] = {}
        self._dates: dict[tuple[str, str, datetime], tuple[date, date]] = {}

    def option(
        self,
        warehouse_id: str,
        *,
        weight_kg: Decimal,
        volume_cm3: Decimal,
        hazmat_class: str | None,
        ready_at: datetime,
        need_by: date | None,
        soonest: bool = False,
    ) -> CarrierOption | None:
        """select_carrier(...).best for this shipment; with `soonest`, its option that arrives
        first (then cheapest). None when no service can take it."""
        warehouse = self.md.warehouses.get(warehouse_id)
        if warehouse is None:
            return None
        zone = self.zone(warehouse)
        local = self._local_ready(warehouse, ready_at)
        billable = max(weight_kg, dimensional_weight(volume_cm3))
        found: tuple[tuple[object, ...], CarrierService, CarrierRate, Decimal, date] | None = None
        for service in self.services:
            if self.country not in _countries(service.countries):
                continue
            if (hazmat_class and not service.hazmat_allowed) or billable > service.max_weight_kg:
                continue
            weights, rates = self._rates(service.service_id, zone)[:2]
            index = bisect_left(weights, billable)
            if index == len(weights):
                continue
            rate, cost = rates[index]
            if cost is None:
                continue
            delivered = self._delivery(service, warehouse_id, local)[1]
            if need_by is not None and delivered > need_by:
                continue
            rank = (
                (delivered, cost, service.service_id)
                if soonest
                else (cost, delivered, service.service_id)
            )
            if found is None or rank < found[0]:
                found = (rank, service, rate, cost, delivered)
        if found is None:
            return None
        _, service, rate, cost, delivered = found
        carrier = self.md.carriers.get(service.carrier_id)
        return CarrierOption(
            service_id=service.service_id,
            service_name=service.name,
            carrier_id=service.carrier_id,
            carrier_name=carrier.name if carrier else service.carrier_id,
            zone=zone,
            cost=Money(amount=cost, currency=self.md.base_currency),
            bracket_max_weight_kg=rate.max_weight_kg,
            ship_date=self._delivery(service, warehouse_id, local)[0],
            transit_days=service.transit_days,
            delivery_date=delivered,
        )

    def zone(self, warehouse: Warehouse) -> int:
        if warehouse.warehouse_id not in self._zones:
            self._zones[warehouse.warehouse_id] = shipping_zone(warehouse, self.ship_to)[0]
        return self._zones[warehouse.warehouse_id]

    def costs_never_fall(self) -> bool:
        """costs_never_fall, for the zones this card's warehouses ship in: the only ones a
        search over them prices."""
        zones = {self.zone(w) for w in self.md.warehouses.values()}
        for service in self.services:
            for zone in zones:
                costs = self._rates(service.service_id, zone).amounts
                known = [c for c in costs if c is not None]
                if len(known) < len(costs) or any(b < a for a, b in pairwise(known)):
                    return False
        return True

    def _rates(self, service_id: str, zone: int) -> _Brackets:
        key = (service_id, zone)
        if key not in self._brackets:
            if service_id not in self._by_zone:
                by_zone: dict[int, list[CarrierRate]] = {}
                for rate in self.md.rates.get(service_id, ()):
                    by_zone.setdefault(rate.zone, []).append(rate)
                self._by_zone[service_id] = by_zone
            self._brackets[key] = _brackets(self.md, self._by_zone[service_id].get(zone, []))
        return self._brackets[key]

    def _local_ready(self, warehouse: Warehouse, ready_at: datetime) -> datetime:
        key = (warehouse.warehouse_id, ready_at)
        if key not in self._local:
            self._local[key] = local_time(warehouse, ready_at)[0]
        return self._local[key]

    def _delivery(
        self, service: CarrierService, warehouse_id: str, local: datetime
    ) -> tuple[date, date]:
        key = (service.service_id, warehouse_id, local)
        if key not in self._dates:
            shipped = ship_date(service, local)
            self._dates[key] = shipped, add_business_days(shipped, service.transit_days)
        return self._dates[key]


class _Brackets(NamedTuple):
    """A service's rates in one zone, lightest first (as listed among equals)."""

    weights: list[Decimal]
    rates: list[tuple[CarrierRate, Decimal | None]]  # with the cost in base currency, to the cent
    amounts: list[Decimal | None]  # the cost in base currency, unrounded; None: no exchange rate


def _brackets(md: MasterData, rates: list[CarrierRate]) -> _Brackets:
    rates = sorted(rates, key=lambda r: r.max_weight_kg)
    amounts = [convert(md, r.cost, r.currency, md.base_currency) for r in rates]
    return _Brackets(
        [r.max_weight_kg for r in rates],
        [(r, None if a is None else to_cents(a)) for r, a in zip(rates, amounts, strict=True)],
        amounts,
    )


def local_time(warehouse: Warehouse, ready_at: datetime) -> tuple[datetime, Issue | None]:
    """`ready_at` on the warehouse's wall clock (UTC, with an issue, when its zone is unknown)."""
    try:
        return ready_at.astimezone(ZoneInfo(warehouse.timezone)), None
    except (ZoneInfoNotFoundError, ValueError):
        detail = f"{warehouse.warehouse_id} timezone {warehouse.timezone!r} unknown; used UTC"
        return ready_at.astimezone(ZoneInfo("UTC")), Issue(code="bad_timezone", detail=detail)


def _explain(
    options: list[CarrierOption], excluded: list[ExcludedService], need_by: date | None
) -> str:
    if options:
        best = options[0]
        return (
            f"{best.service_name} ({best.carrier_name}) {best.cost}, ships {best.ship_date}, "
            f"arrives {best.delivery_date}; {len(options)} option(s), {len(excluded)} excluded"
        )
    late = [e for e in excluded if [r.code for r in e.reasons] == ["arrives_late"]]
    if late and need_by is not None:
        fastest = min(late, key=lambda e: (e.delivery_date or date.max, e.service_id))
        return (
            f"none can make it by {need_by}; fastest otherwise is {fastest.service_name} "
            f"arriving {fastest.delivery_date}"
        )
    return "no carrier service can take this shipment"

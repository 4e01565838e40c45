"""RateCard answers what select_carrier answers: its best option, and its soonest one.

The fulfilment search asks a RateCard instead of select_carrier; these tests hold the two to the
same options over generated shipments, on master data with the awkward cases: a rate in a
currency without an exchange rate, two brackets of the same weight, a warehouse whose time zone
is unknown, services limited by weight, hazard class, country and cut-off time.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.conftest import base_records
from tests.tools.test_fulfillment_search import demo, dented, flat
from tools.carriers import (
    CarrierOption,
    Destination,
    RateCard,
    costs_never_fall,
    select_carrier,
)
from tools.masterdata import CarrierRate, MasterData, Warehouse


@cache
def awkward() -> MasterData:
    """The hand-built data with a rate nobody can convert, a repeated bracket and a bad zone."""
    return MasterData.from_records(
        [
            *base_records(),
            CarrierRate(service_id="GRND", zone=3, max_weight_kg=D(5), cost=D(7), currency="XXX"),
            CarrierRate(service_id="EXPR", zone=4, max_weight_kg=D(20), cost=D(39)),
            Warehouse(
                warehouse_id="W-MARS",
                name="Nowhere",
                street="0 Crater Rd",
                city="Olympus",
                postal_code="ZZ1",
                timezone="Mars/Olympus_Mons",
            ),
        ]
    )


DATA = {"awkward": awkward, "demo": demo, "dented": dented, "flat": flat}
shipments = st.tuples(
    st.one_of(  # weight, kg
        st.decimals(min_value=0, max_value=30, places=3),
        st.decimals(min_value=0, max_value=1500, places=3),
    ),
    st.one_of(st.just(D(0)), st.decimals(min_value=0, max_value=2_000_000, places=0)),  # cm³
    st.sampled_from([None, "", "3", "8"]),
    st.integers(0, 4 * 24 * 4 - 1),  # quarter hours from Wednesday 00:00 UTC
    st.one_of(st.none(), st.integers(0, 12)),  # need-by, days ahead
)


def _soonest(options: tuple[CarrierOption, ...]) -> CarrierOption | None:
    return min(options, key=lambda o: (o.delivery_date, o.cost.amount), default=None)


@settings(max_examples=150, deadline=None)
@given(
    data=st.sampled_from(sorted(DATA)),
    postal_code=st.sampled_from(["07102", "60611", "94105", "30301", "X1Y", "M5V 2T6"]),
    country=st.sampled_from(["US", "us", "CA", "MX"]),
    zone_name=st.sampled_from(["UTC", "America/Chicago", "Asia/Tokyo"]),
    loads=st.lists(shipments, min_size=1, max_size=12),
)
def test_a_rate_card_gives_select_carriers_best_and_soonest_options(
    data: str,
    postal_code: str,
    country: str,
    zone_name: str,
    loads: list[tuple[D, D, str | None, int, int | None]],
) -> None:
    md = DATA[data]()
    ship_to = Destination(postal_code=postal_code, country=country)
    card = RateCard(md, ship_to)  # one card for every shipment, as a search uses it
    start = datetime(2026, 11, 18, tzinfo=UTC)
    for weight, volume, hazmat, quarters, days in loads:
        ready_at = (start + timedelta(minutes=15 * quarters)).astimezone(ZoneInfo(zone_name))
        need_by = None if days is None else start.date() + timedelta(days=days)
        for warehouse_id in [*sorted(md.warehouses), "W-NONE"]:
            selection = select_carrier(
                md,
                origin_warehouse_id=warehouse_id,
                ship_to=ship_to,
                weight_kg=weight,
                volume_cm3=volume,
                hazmat_class=hazmat,
                ready_at=ready_at,
                need_by=need_by,
            )
            for soonest, expected in (
                (False, selection.best),
                (True, _soonest(selection.options)),
            ):
                option = card.option(
                    warehouse_id,
                    weight_kg=weight,
                    volume_cm3=volume,
                    hazmat_class=hazmat,
                    ready_at=ready_at,
                    need_by=need_by,
                    soonest=soonest,
                )
                assert option == expected


def test_a_rate_card_judges_the_rates_of_its_own_zones_only() -> None:
    """Dented rates in a zone no warehouse ships in do not stop the search's bound."""
    md = demo()
    ship_to = Destination(postal_code="60611")
    card = RateCard(md, ship_to)
    used = {card.zone(w) for w in md.warehouses.values()}
    assert card.costs_never_fall() and costs_never_fall(md)
    assert not RateCard(dented(), ship_to).costs_never_fall()
    unused = min(set(range(2, 10)) - used)
    rates = {
        service_id: [
            r.model_copy(update={"cost": D(1000) - r.cost}) if r.zone == unused else r
            for r in table
        ]
        for service_id, table in md.rates.items()
    }
    elsewhere = replace(md, rates=rates)
    assert not costs_never_fall(elsewhere)
    assert RateCard(elsewhere, ship_to).costs_never_fall()


def test_a_rate_card_with_a_rate_it_cannot_convert_in_its_zones_does_not_bound() -> None:
    md = awkward()
    assert not costs_never_fall(md)
    # From 07102 the warehouses ship in zones 2 and 8 only, whose rates all rise with weight.
    assert RateCard(md, Destination(postal_code="07102")).costs_never_fall()
    # From 50301 Chicago ships in zone 3, where one GRND rate is in a currency with no rate.
    assert not RateCard(md, Destination(postal_code="50301")).costs_never_fall()

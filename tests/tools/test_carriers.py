from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from tools.carriers import Destination, add_business_days, next_business_day, select_carrier
from tools.masterdata import CarrierRate, MasterData
from tools.results import has_issue

CHICAGO = ZoneInfo("America/Chicago")
NEAR = Destination(postal_code="60611")
WED_10AM = datetime(2026, 11, 18, 10, 0, tzinfo=CHICAGO)


def test_ranked_cheapest_first(md: MasterData) -> None:
    sel = select_carrier(
        md, origin_warehouse_id="W-CHI", ship_to=NEAR, weight_kg=D(3), ready_at=WED_10AM
    )
    assert sel.zone == 2
    assert [(o.service_id, o.cost.amount) for o in sel.options] == [
        ("GRND", D(10)),
        ("EXPR", D(31)),
        ("FRT", D(170)),
    ]
    assert sel.best is not None and sel.best.delivery_date == date(2026, 11, 23)  # Mon


def test_zone_grows_with_zip_distance(md: MasterData) -> None:
    far = select_carrier(
        md,
        origin_warehouse_id="W-LA",
        ship_to=Destination(postal_code="07102"),
        weight_kg=D(3),
        ready_at=WED_10AM,
    )
    assert far.zone == 8
    mid = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=Destination(postal_code="07102"),
        weight_kg=D(3),
        ready_at=WED_10AM,
    )
    assert mid.zone == 8
    assert (
        select_carrier(
            md,
            origin_warehouse_id="W-CHI",
            ship_to=Destination(postal_code="40202"),
            weight_kg=D(3),
            ready_at=WED_10AM,
        ).zone
        == 4
    )


def test_need_by_excludes_late_services(md: MasterData) -> None:
    sel = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=NEAR,
        weight_kg=D(3),
        ready_at=WED_10AM,
        need_by=date(2026, 11, 20),
    )
    assert sel.best is not None and sel.best.service_id == "EXPR"
    late = {e.service_id: [r.code for r in e.reasons] for e in sel.excluded}
    assert late == {"GRND": ["arrives_late"], "FRT": ["arrives_late"]}


def test_none_can_make_it(md: MasterData) -> None:
    sel = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=NEAR,
        weight_kg=D(3),
        ready_at=WED_10AM,
        need_by=date(2026, 11, 18),
    )
    assert sel.best is None and not sel.options
    assert sel.explanation.startswith("none can make it by 2026-11-18")
    assert "Fast Overnight arriving 2026-11-19" in sel.explanation


def test_cutoff_uses_the_warehouse_timezone(md: MasterData) -> None:
    instant = datetime(2026, 11, 18, 21, 30, tzinfo=UTC)  # 15:30 Chicago, 16:30 New York
    ground = {}
    for warehouse_id in ("W-CHI", "W-NJ"):
        sel = select_carrier(
            md, origin_warehouse_id=warehouse_id, ship_to=NEAR, weight_kg=D(3), ready_at=instant
        )
        ground[warehouse_id] = next(o for o in sel.options if o.service_id == "GRND")
    assert ground["W-CHI"].ship_date == date(2026, 11, 18)
    assert ground["W-NJ"].ship_date == date(2026, 11, 19)


def test_friday_after_cutoff_ships_monday_and_transit_skips_weekend(md: MasterData) -> None:
    friday_late = datetime(2026, 11, 20, 16, 30, tzinfo=CHICAGO)
    sel = select_carrier(
        md, origin_warehouse_id="W-CHI", ship_to=NEAR, weight_kg=D(3), ready_at=friday_late
    )
    ground = next(o for o in sel.options if o.service_id == "GRND")
    assert (ground.ship_date, ground.delivery_date) == (date(2026, 11, 23), date(2026, 11, 26))
    friday_morning = datetime.combine(date(2026, 11, 20), time(9), CHICAGO)
    sel = select_carrier(
        md, origin_warehouse_id="W-CHI", ship_to=NEAR, weight_kg=D(3), ready_at=friday_morning
    )
    ground = next(o for o in sel.options if o.service_id == "GRND")
    assert ground.delivery_date == date(2026, 11, 25)  # Fri + 3 business days = Wed


def test_hazmat_excludes_services_that_refuse_it(md: MasterData) -> None:
    sel = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=NEAR,
        weight_kg=D(3),
        hazmat_class="3",
        ready_at=WED_10AM,
    )
    assert [o.service_id for o in sel.options] == ["EXPR", "FRT"]
    assert [r.code for r in sel.excluded[0].reasons] == ["hazmat_not_allowed"]


def test_max_weight_and_dimensional_weight(md: MasterData) -> None:
    heavy = select_carrier(
        md, origin_warehouse_id="W-CHI", ship_to=NEAR, weight_kg=D(60), ready_at=WED_10AM
    )
    assert {e.service_id for e in heavy.excluded} == {"EXPR"}
    assert has_issue(heavy.excluded[0].reasons, "over_max_weight")
    bulky = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=NEAR,
        weight_kg=D("0.5"),
        volume_cm3=D(50 * 50 * 50),
        ready_at=WED_10AM,
    )
    assert bulky.dim_weight_kg == 25 and bulky.billable_weight_kg == 25
    assert bulky.best is not None and bulky.best.cost.amount == D(32)  # 70 kg bracket, zone 2


def test_foreign_country_and_missing_rates(make_md: Callable[..., MasterData]) -> None:
    md = make_md(
        CarrierRate(service_id="GRND", zone=2, max_weight_kg=D(70), cost=D(9)), drop=(CarrierRate,)
    )
    abroad = select_carrier(
        md,
        origin_warehouse_id="W-CHI",
        ship_to=Destination(postal_code="M5V 2T6", country="CA"),
        weight_kg=D(3),
        ready_at=WED_10AM,
    )
    assert abroad.zone == 9
    reasons = {e.service_id: {r.code for r in e.reasons} for e in abroad.excluded}
    assert reasons == {
        "GRND": {"country_not_served", "no_rate"},
        "EXPR": {"no_rate"},
        "FRT": {"country_not_served", "no_rate"},
    }
    assert abroad.explanation == "no carrier service can take this shipment"


def test_naive_ready_time_is_refused(md: MasterData) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        select_carrier(
            md,
            origin_warehouse_id="W-CHI",
            ship_to=NEAR,
            weight_kg=D(1),
            ready_at=datetime(2026, 11, 18, 10),
        )


def test_business_days_are_counted_as_one_by_one() -> None:
    """add_business_days counts in weeks; the same dates as stepping a business day at a time."""
    for offset in range(21):
        start = date(2026, 11, 16) + timedelta(days=offset)
        for days in range(-2, 40):
            expected = start
            for _ in range(days):
                expected = next_business_day(expected + timedelta(days=1))
            assert add_business_days(start, days) == expected, (start, days)

"""The deterministic core answers for every demo customer and every demo product."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.masterdata.csvio import read_directory
from tools.availability import available_to_promise
from tools.carriers import Destination, select_carrier
from tools.credit import check_credit
from tools.fulfillment import FulfillmentOrder, OrderLine, plan_fulfillment
from tools.masterdata import MasterData
from tools.pricing import quote_price

DEMO = Path(__file__).resolve().parents[2] / "app" / "masterdata" / "demo"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def md() -> MasterData:
    return MasterData.from_records(list(read_directory(DEMO, base_currency="USD")))


def test_every_customer_gets_a_price_or_a_reason_for_every_product(md: MasterData) -> None:
    for customer in md.customers.values():
        for product in md.products.values():
            quote = quote_price(
                md,
                customer.customer_id,
                product.sku,
                Decimal(product.pack_multiple),
                product.base_uom,
                TODAY,
            )
            if quote.extended_price is None:
                assert quote.issues, (customer.customer_id, product.sku)
                continue
            assert quote.extended_price.amount >= 0
            assert quote.currency == customer.currency


def test_every_product_has_an_availability_answer(md: MasterData) -> None:
    for product in md.products.values():
        atp = available_to_promise(
            md, product.sku, Decimal(product.pack_multiple), None, today=TODAY
        )
        assert {w.warehouse_id for w in atp.warehouses} <= set(md.warehouses)
        assert atp.earliest_full_date is None or atp.earliest_full_date >= TODAY


def test_every_ship_to_is_reachable_from_some_warehouse(md: MasterData) -> None:
    for ship in md.ship_tos.values():
        options = [
            select_carrier(
                md,
                origin_warehouse_id=w,
                ship_to=Destination(postal_code=ship.postal_code, country=ship.country),
                weight_kg=Decimal(5),
                ready_at=NOW,
            )
            for w in md.warehouses
        ]
        assert any(sel.options for sel in options), ship.ship_to_id
        for sel in options:
            assert sel.options or sel.excluded  # either carriers, or why none


def test_every_customer_can_be_planned_and_credit_checked(md: MasterData) -> None:
    products = sorted(md.products.values(), key=lambda p: p.sku)
    for n, customer in enumerate(sorted(md.customers.values(), key=lambda c: c.customer_id)):
        ship = md.ship_tos[customer.default_ship_to_id or ""]
        product = products[(n * 7) % len(products)]
        plan = plan_fulfillment(
            md,
            FulfillmentOrder(
                customer_id=customer.customer_id,
                ship_to=Destination(postal_code=ship.postal_code, country=ship.country),
                lines=(
                    OrderLine(line_no=1, sku=product.sku, quantity=Decimal(product.pack_multiple)),
                ),
            ),
            now=NOW,
        )
        assert plan.shipments or plan.unmet, customer.customer_id
        credit = check_credit(md, customer.customer_id, Decimal("100"))
        assert credit.status in ("ok", "over_limit", "on_hold")

"""Judge the gold route of a planned case from its content, conservatively.

`reasons` are the anomalies the case was built to contain (or plainly contains); `blockers` are
things that make an automatic order unsafe to promise without naming a reason code (a hazmat
item, a unit written in a foreign word, a price several policies could explain, ...). The gold
decision is "auto" only with neither.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from evals.generator.catalog import Catalog
from evals.generator.language import PLAIN_UNITS
from evals.generator.model import CasePlan, Order, OrderLine

AUTO_LIMIT = Decimal(10000)
SAFE_VALUE = Decimal(8000)  # below this the order is plainly under the limit
CLEARLY_HIGH = Decimal(13000)  # above this it is plainly over
MISMATCH_SHARE = Decimal("0.8")  # a stated price at most 80% of every candidate is a mismatch


def judge(plan: CasePlan, catalog: Catalog) -> tuple[list[str], list[str]]:
    """The reason codes and the unnamed blockers of one case."""
    if plan.kind == "non_order":
        return ["not_a_po"], []
    order = plan.order
    assert order is not None
    reasons: list[str] = []
    blockers: list[str] = []
    if plan.kind == "amendment":
        reasons.append("order_change")
    if plan.injection:
        reasons.append("possible_injection")
    _judge_sender(plan, catalog, reasons, blockers)
    values: list[Decimal] = []
    for line in order.lines:
        values.append(_judge_line(plan, order, line, catalog, reasons, blockers))
    _judge_value(plan, order, values, catalog, reasons, blockers)
    _judge_total(order, reasons, blockers)
    _judge_delivery(plan, order, catalog, reasons, blockers)
    if plan.history is not None:
        blockers.append("quoted_history")
    return sorted(set(reasons)), sorted(set(blockers))


def _judge_sender(
    plan: CasePlan, catalog: Catalog, reasons: list[str], blockers: list[str]
) -> None:
    envelope = plan.envelope
    if not plan.channel.startswith("eml_"):
        blockers.append("no_sender")
        if plan.customer_id is None:
            reasons.append("unknown_customer")
        return
    if plan.customer_id is None:
        reasons.append("unknown_customer")
        return
    if not envelope.sender_known:
        blockers.append("sender_not_on_file")
    if envelope.forwarder_internal:
        blockers.append("forwarded_by_our_staff")
    elif envelope.forwarder and not catalog.sender_known(envelope.forwarder[1]):
        blockers.append("forwarder_not_on_file")
    customer = next(c for c in catalog.customers if c.customer_id == plan.customer_id)
    if customer.record.credit_hold:
        blockers.append("credit_hold")


def _judge_line(
    plan: CasePlan,
    order: Order,
    line: OrderLine,
    catalog: Catalog,
    reasons: list[str],
    blockers: list[str],
) -> Decimal:
    """Check one line; return its value in the base currency (highest plausible)."""
    if line.sku is None:
        reasons.append("unknown_item")
        price = line.unit_price or Decimal(0)
        return catalog.to_base(price * line.quantity, order.currency or "USD") or Decimal(0)
    product = catalog.products[line.sku]
    if product.discontinued:
        reasons.append("discontinued_item")
    if product.hazmat_class:
        blockers.append("hazmat_item")
    if line.code is None:
        blockers.append("description_only_line")
    if not _plain_unit(line, catalog):
        blockers.append("unit_needs_reading")
    factor = catalog.base_units(line.sku, line.uom_code) or Decimal(1)
    base_qty = Decimal(line.quantity) * factor
    if base_qty % product.pack_multiple:
        blockers.append("not_a_pack_multiple")
    if not catalog.comfortably_in_stock(line.sku, base_qty):
        blockers.append("stock_not_comfortable")
    on = order.order_date or plan.envelope.sent_at.date()
    candidates = catalog.candidate_prices(plan.customer_id, line.sku, on, base_qty)
    in_base = [catalog.to_base(p, c) for p, c in candidates]
    known = [v for v in in_base if v is not None]
    if len(known) != len(in_base):
        blockers.append("no_fx_rate")
    if line.unit_price is not None:
        _judge_price(plan, order, line, factor, candidates, catalog, reasons, blockers)
    return max(known, default=Decimal(0)) * base_qty


def _judge_price(
    plan: CasePlan,
    order: Order,
    line: OrderLine,
    factor: Decimal,
    candidates: set[tuple[Decimal, str]],
    catalog: Catalog,
    reasons: list[str],
    blockers: list[str],
) -> None:
    assert line.unit_price is not None
    currency = order.currency or _customer_currency(plan, catalog)
    per_base = line.unit_price / factor
    converted: list[Decimal] = []
    for price, cur in candidates:
        if cur == currency:
            converted.append(price)
            continue
        base = catalog.to_base(price, cur)
        out = catalog.from_base(base, currency) if base is not None else None
        if out is not None:
            converted.append(out)
            blockers.append("price_in_other_currency")
    if not converted:
        blockers.append("price_unverifiable")
        return
    if per_base <= MISMATCH_SHARE * min(converted):
        reasons.append("price_mismatch")
        return
    exact = {c.quantize(Decimal("0.01")) for c in converted}
    if (line.unit_price / factor).quantize(Decimal("0.0001")) not in {
        c.quantize(Decimal("0.0001")) for c in converted
    }:
        blockers.append("price_rounded_or_off")
    elif len(exact) > 1:
        blockers.append("price_ambiguous")


def _customer_currency(plan: CasePlan, catalog: Catalog) -> str:
    for customer in catalog.customers:
        if customer.customer_id == plan.customer_id:
            return customer.record.currency.upper()
    return "USD"


def _plain_unit(line: OrderLine, catalog: Catalog) -> bool:
    if line.uom is None:
        return True
    assert line.sku is not None
    base = catalog.products[line.sku].base_uom.upper()
    written = line.uom.strip()
    if written.upper() == base or written.lower() in PLAIN_UNITS.get(base, frozenset()):
        return True
    return written.upper() in catalog.conversions.get(line.sku, {}) and written.upper() == (
        line.uom_code or ""
    )


def _judge_value(
    plan: CasePlan,
    order: Order,
    values: list[Decimal],
    catalog: Catalog,
    reasons: list[str],
    blockers: list[str],
) -> None:
    value = sum(values, Decimal(0))
    stated = None
    if order.total is not None:
        stated = catalog.to_base(order.total, order.currency or _customer_currency(plan, catalog))
    low = min(v for v in (value, stated) if v is not None) if stated is not None else value
    high = max(value, stated or Decimal(0))
    customer = next((c for c in catalog.customers if c.customer_id == plan.customer_id), None)
    if customer is not None:
        headroom = customer.record.credit_limit - customer.record.open_balance
        if headroom < high + Decimal(2000):
            blockers.append("little_credit_headroom")
    if low > CLEARLY_HIGH:
        reasons.append("high_value")
    elif high > SAFE_VALUE:
        blockers.append("value_near_limit")


def _judge_total(order: Order, reasons: list[str], blockers: list[str]) -> None:
    if order.total is None:
        return
    subtotal = order.subtotal
    if subtotal is None:
        blockers.append("total_unverifiable")
        return
    expected = subtotal + (order.tax or 0) + (order.freight or 0)
    if abs(expected - order.total) > Decimal("0.02"):
        reasons.append("total_mismatch")


def _judge_delivery(
    plan: CasePlan, order: Order, catalog: Catalog, reasons: list[str], blockers: list[str]
) -> None:
    ship_to = order.ship_to
    if (
        ship_to is not None
        and plan.customer_id is not None
        and not catalog.known_ship_to(ship_to.street, ship_to.postal_code)
    ):
        reasons.append("new_ship_to")
    if ship_to is not None and not catalog.ships_to_country(ship_to.country_code):
        blockers.append("country_not_served")
    if ship_to is None and plan.customer_id is not None:
        customer = next(c for c in catalog.customers if c.customer_id == plan.customer_id)
        if not customer.record.default_ship_to_id:
            blockers.append("no_default_ship_to")
    if order.delivery_date is not None:
        start = order.order_date or plan.envelope.sent_at.date()
        if order.delivery_date - start < timedelta(days=14):
            blockers.append("tight_delivery_date")

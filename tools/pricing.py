"""Price an order line: contract, promotion or list price, converted, extended and checked."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from tools.fx import convert
from tools.masterdata import Customer, MasterData, PriceAgreement, Product
from tools.results import Issue, Money, Result, to_cents
from tools.units import UnitConversion, canonical_uom, to_base_units

PriceSource = Literal["contract", "promotion", "list"]
PriceCheck = Literal["match", "within_tolerance", "mismatch"]
# Unit prices converted between currencies are kept to 4 decimals, as ERPs usually store them.
CONVERTED_PRICE_STEP = Decimal("0.0001")
# Relative: a stated price within 1 % of ours is "within_tolerance".
DEFAULT_TOLERANCE = Decimal("0.01")
_SOURCE_RANK: dict[PriceSource, int] = {"contract": 0, "promotion": 1, "list": 2}


class PriceCandidate(Result):
    """One price that could apply, in the customer's currency per base unit."""

    source: PriceSource
    agreement_id: str | None
    unit_price: Money  # per base unit, customer currency
    original: Money  # per base unit, as agreed
    tier_min_quantity: Decimal | None = None


class StatedPriceCheck(Result):
    """The buyer's stated unit price (per ordered unit) against ours."""

    stated: Decimal
    ours: Decimal
    difference: Decimal  # stated - ours
    relative_difference: Decimal | None
    tolerance: Decimal  # relative
    verdict: PriceCheck


class PriceQuote(Result):
    """The price of one order line, where it comes from, and what is wrong with the line."""

    customer_id: str
    sku: str
    quantity: Decimal
    uom: str | None
    order_date: date
    conversion: UnitConversion
    currency: str | None
    source: PriceSource | None
    agreement_id: str | None
    unit_price_base: Money | None  # per base unit
    unit_price_ordered: Money | None  # per ordered unit
    extended_price: Money | None  # cents, ROUND_HALF_UP
    candidates: tuple[PriceCandidate, ...] = ()
    stated_check: StatedPriceCheck | None = None
    issues: tuple[Issue, ...] = ()
    explanation: str


def quote_price(
    md: MasterData,
    customer_id: str,
    sku: str,
    quantity: Decimal,
    uom: str | None,
    order_date: date,
    stated_unit_price: Decimal | None = None,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> PriceQuote:
    """Price `quantity` `uom` of `sku` for a customer on `order_date`; lowest agreement wins."""
    conversion = to_base_units(md, sku, quantity, uom)
    issues = list(conversion.issues)
    product = md.products.get(sku)
    customer = md.customers.get(customer_id)
    if customer is None:
        issues.append(Issue(code="unknown_customer", detail=f"customer {customer_id!r} unknown"))
    if product is None or conversion.base_quantity is None:
        return _unpriced(customer_id, order_date, conversion, issues)
    base_qty = conversion.base_quantity
    issues += _order_rule_issues(product, base_qty)
    currency = customer.currency if customer else product.currency
    candidates, agreement_issues = _candidates(
        md, customer, product, base_qty, order_date, currency
    )
    issues += agreement_issues
    if not candidates:
        return _unpriced(customer_id, order_date, conversion, issues)
    best = min(candidates, key=lambda c: (c.unit_price.amount, _SOURCE_RANK[c.source]))
    factor = conversion.factor or Decimal(1)
    per_ordered = best.unit_price.amount * factor
    extended = to_cents(best.unit_price.amount * base_qty)
    check = _check_stated(stated_unit_price, per_ordered, tolerance)
    if check is not None and check.verdict == "mismatch":
        detail = f"stated {check.stated} per {uom}, ours {per_ordered} {currency}"
        issues.append(Issue(code="price_mismatch", detail=detail))
    return PriceQuote(
        customer_id=customer_id,
        sku=sku,
        quantity=quantity,
        uom=uom,
        order_date=order_date,
        conversion=conversion,
        currency=currency,
        source=best.source,
        agreement_id=best.agreement_id,
        unit_price_base=best.unit_price,
        unit_price_ordered=Money(amount=per_ordered, currency=currency),
        extended_price=Money(amount=extended, currency=currency),
        candidates=tuple(candidates),
        stated_check=check,
        issues=tuple(issues),
        explanation=_explain(best, base_qty, extended, conversion),
    )


def agreement_unit_price(md: MasterData, agreement: PriceAgreement, base_qty: Decimal) -> Decimal:
    """An agreement's unit price at `base_qty`: the lowest of its base price and reached tiers."""
    tiers = md.tiers.get(agreement.agreement_id, ())
    return min([agreement.unit_price, *(t.unit_price for t in tiers if t.min_quantity <= base_qty)])


def _reached_tier(md: MasterData, agreement: PriceAgreement, base_qty: Decimal) -> Decimal | None:
    reached = [t for t in md.tiers.get(agreement.agreement_id, ()) if t.min_quantity <= base_qty]
    return max((t.min_quantity for t in reached), default=None)


def _candidates(
    md: MasterData,
    customer: Customer | None,
    product: Product,
    base_qty: Decimal,
    on: date,
    currency: str,
) -> tuple[list[PriceCandidate], list[Issue]]:
    """Applicable agreements (or else the list price) in `currency`, with why others failed."""
    found: list[PriceCandidate] = []
    issues: list[Issue] = []
    for agreement in _agreements_on(md, customer, product.sku, on):
        if base_qty < agreement.min_order_qty:
            detail = (
                f"{agreement.kind} {agreement.agreement_id} needs at least "
                f"{agreement.min_order_qty} {product.base_uom}; ordered {base_qty}"
            )
            issues.append(Issue(code="below_min_order_qty", detail=detail))
            continue
        price = agreement_unit_price(md, agreement, base_qty)
        source: PriceSource = "contract" if agreement.kind == "contract" else "promotion"
        candidate = _candidate(
            md,
            source,
            agreement.agreement_id,
            price,
            agreement.currency,
            currency,
            _reached_tier(md, agreement, base_qty),
        )
        if candidate is None:
            issues.append(_no_fx(agreement.currency, currency))
        else:
            found.append(candidate)
    if not found:
        listed = _candidate(md, "list", None, product.list_price, product.currency, currency, None)
        if listed is None:
            issues.append(_no_fx(product.currency, currency))
        else:
            found.append(listed)
    return found, issues


def _agreements_on(
    md: MasterData, customer: Customer | None, sku: str, on: date
) -> list[PriceAgreement]:
    """Contracts of this customer and promotions open to it, valid on `on`, for `sku`."""
    customer_id = customer.customer_id if customer else None
    out = []
    for agreement in md.agreements.values():
        if agreement.sku != sku or agreement.kind not in ("contract", "promotion"):
            continue
        if agreement.customer_id is None and agreement.kind == "contract":
            continue  # a contract always names its customer
        if agreement.customer_id not in (None, customer_id):
            continue
        if agreement.valid_from and on < agreement.valid_from:
            continue
        if agreement.valid_to and on > agreement.valid_to:
            continue
        out.append(agreement)
    return sorted(out, key=lambda a: a.agreement_id)


def _candidate(
    md: MasterData,
    source: PriceSource,
    agreement_id: str | None,
    price: Decimal,
    price_currency: str,
    currency: str,
    tier: Decimal | None,
) -> PriceCandidate | None:
    converted = convert(md, price, price_currency, currency)
    if converted is None:
        return None
    if price_currency.upper() != currency.upper():
        converted = converted.quantize(CONVERTED_PRICE_STEP, rounding=ROUND_HALF_UP)
    return PriceCandidate(
        source=source,
        agreement_id=agreement_id,
        unit_price=Money(amount=converted, currency=currency),
        original=Money(amount=price, currency=price_currency),
        tier_min_quantity=tier,
    )


def _order_rule_issues(product: Product, base_qty: Decimal) -> list[Issue]:
    issues = []
    if product.discontinued:
        issues.append(Issue(code="discontinued", detail=f"{product.sku} is discontinued"))
    if product.pack_multiple > 1 and base_qty % product.pack_multiple != 0:
        detail = (
            f"{base_qty} {product.base_uom} is not a multiple of the pack of "
            f"{product.pack_multiple}"
        )
        issues.append(Issue(code="pack_multiple", detail=detail))
    elif base_qty != base_qty.to_integral_value() and _is_counted(product):
        detail = f"{base_qty} {product.base_uom} is not a whole number of units"
        issues.append(Issue(code="pack_multiple", detail=detail))
    return issues


def _is_counted(product: Product) -> bool:
    return canonical_uom(product.base_uom) == "EA"


def _check_stated(
    stated: Decimal | None, ours: Decimal, tolerance: Decimal
) -> StatedPriceCheck | None:
    """Match at the stated precision, within a relative tolerance, or mismatch."""
    if stated is None:
        return None
    exponent = stated.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    rounded = ours.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    difference = stated - ours
    relative = abs(difference) / ours if ours else None
    verdict: PriceCheck
    if stated in (ours, rounded):
        verdict = "match"
    elif relative is not None and relative <= tolerance:
        verdict = "within_tolerance"
    else:
        verdict = "mismatch"
    return StatedPriceCheck(
        stated=stated,
        ours=ours,
        difference=difference,
        relative_difference=relative,
        tolerance=tolerance,
        verdict=verdict,
    )


def _unpriced(
    customer_id: str, order_date: date, conversion: UnitConversion, issues: list[Issue]
) -> PriceQuote:
    return PriceQuote(
        customer_id=customer_id,
        sku=conversion.sku,
        quantity=conversion.quantity,
        uom=conversion.uom,
        order_date=order_date,
        conversion=conversion,
        currency=None,
        source=None,
        agreement_id=None,
        unit_price_base=None,
        unit_price_ordered=None,
        extended_price=None,
        issues=tuple(issues),
        explanation="not priced: " + "; ".join(i.detail for i in issues),
    )


def _no_fx(source: str, target: str) -> Issue:
    return Issue(code="fx_rate_missing", detail=f"no exchange rate from {source} to {target}")


def _explain(
    best: PriceCandidate, base_qty: Decimal, extended: Decimal, conversion: UnitConversion
) -> str:
    origin = best.source if best.agreement_id is None else f"{best.source} {best.agreement_id}"
    tier = f" (tier from {best.tier_min_quantity})" if best.tier_min_quantity is not None else ""
    fx = "" if best.original.currency == best.unit_price.currency else f" from {best.original}"
    return (
        f"{conversion.explanation}; {origin}{tier} {best.unit_price}{fx} per "
        f"{conversion.base_uom}; extended {base_qty} x {best.unit_price.amount} = {extended}"
    )

"""Currency conversion through the company's base currency, using FxRate records."""

from __future__ import annotations

from decimal import Decimal

from tools.masterdata import MasterData


def rate_per_base(md: MasterData, currency: str) -> Decimal | None:
    """Units of `currency` per one unit of the base currency, or None when unknown."""
    code = currency.upper()
    if code == md.base_currency.upper():
        return Decimal(1)
    fx = md.fx_rates.get(code) or md.fx_rates.get(currency)
    return fx.per_base if fx is not None and fx.per_base > 0 else None


def convert(md: MasterData, amount: Decimal, source: str, target: str) -> Decimal | None:
    """`amount` in `source` expressed in `target` (unrounded), or None without a rate."""
    if source.upper() == target.upper():
        return amount
    source_rate, target_rate = rate_per_base(md, source), rate_per_base(md, target)
    if source_rate is None or target_rate is None:
        return None
    return amount / source_rate * target_rate

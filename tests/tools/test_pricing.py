from datetime import date
from decimal import Decimal as D

from tools.masterdata import MasterData
from tools.pricing import quote_price
from tools.results import has_issue

ON = date(2026, 11, 18)


def test_promotion_beats_contract_base_price(md: MasterData) -> None:
    quote = quote_price(md, "C1", "BOLT", D(10), "EA", ON)
    assert (quote.source, quote.agreement_id) == ("promotion", "P1")
    assert quote.unit_price_base is not None and quote.unit_price_base.amount == D("0.42")
    assert quote.extended_price is not None and quote.extended_price.amount == D("4.20")


def test_contract_tier_boundaries(md: MasterData) -> None:
    def price(qty: int) -> tuple[str | None, D | None]:
        quote = quote_price(md, "C1", "BOLT", D(qty), "EA", ON)
        return quote.source, quote.unit_price_base.amount if quote.unit_price_base else None

    assert price(99) == ("promotion", D("0.42"))
    assert price(100) == ("contract", D("0.40"))
    assert price(499) == ("contract", D("0.40"))
    assert price(500) == ("contract", D("0.35"))


def test_case_converts_and_prices_per_case(md: MasterData) -> None:
    quote = quote_price(md, "C1", "BOLT", D(10), "cs", ON)
    assert quote.conversion.base_quantity == 120
    assert quote.unit_price_ordered is not None and quote.unit_price_ordered.amount == D("4.80")
    assert quote.extended_price is not None and quote.extended_price.amount == D("48.00")


def test_expired_promotion_never_applies(md: MasterData) -> None:
    quote = quote_price(md, "C1", "BOLT", D(10), "EA", date(2026, 12, 5))
    assert (quote.source, quote.agreement_id) == ("contract", "K1")
    assert all(c.agreement_id != "P2" for c in quote.candidates)
    in_january = quote_price(md, "C1", "BOLT", D(10), "EA", date(2026, 1, 15))
    assert in_january.agreement_id == "P2"


def test_contract_currency_converted_to_customer_currency(md: MasterData) -> None:
    quote = quote_price(md, "C2", "BOLT", D(10), "EA", ON)
    assert quote.currency == "CAD"
    assert quote.unit_price_base is not None and quote.unit_price_base.amount == D("0.5400")
    assert quote.extended_price is not None and quote.extended_price.amount == D("5.40")


def test_list_price_in_other_currency(md: MasterData) -> None:
    quote = quote_price(md, "C1", "SOLV", D(3), "EA", ON)
    assert quote.source == "list"
    assert quote.unit_price_base is not None and quote.unit_price_base.amount == D("10.0000")
    assert quote.extended_price is not None and quote.extended_price.amount == D("30.00")


def test_below_contract_minimum_falls_back_to_list(md: MasterData) -> None:
    quote = quote_price(md, "C1", "GLOVE", D(12), "EA", ON)
    assert quote.source == "list"
    assert has_issue(quote.issues, "below_min_order_qty")
    at_minimum = quote_price(md, "C1", "GLOVE", D(10), "PK", ON)
    assert at_minimum.source == "contract"
    assert at_minimum.unit_price_ordered is not None
    assert at_minimum.unit_price_ordered.amount == D("10.80")


def test_pack_multiple_and_fractions(md: MasterData) -> None:
    assert has_issue(quote_price(md, "C1", "GLOVE", D(10), "EA", ON).issues, "pack_multiple")
    assert has_issue(quote_price(md, "C1", "BOLT", D("0.5"), "EA", ON).issues, "pack_multiple")
    assert not quote_price(md, "C1", "ROPE", D("2.5"), "M", ON).issues


def test_flags_discontinued_unknown_customer_and_sku(md: MasterData) -> None:
    assert has_issue(quote_price(md, "C1", "OLD", D(1), "EA", ON).issues, "discontinued")
    stranger = quote_price(md, "C9", "BOLT", D(10), "EA", ON)
    assert has_issue(stranger.issues, "unknown_customer")
    assert stranger.agreement_id == "P1"  # an open promotion still applies
    unknown = quote_price(md, "C1", "NOPE", D(1), "EA", ON)
    assert has_issue(unknown.issues, "unknown_sku")
    assert unknown.extended_price is None


def test_uom_mismatch_is_not_priced(md: MasterData) -> None:
    quote = quote_price(md, "C1", "BOLT", D(1), "PALLET", ON)
    assert quote.conversion.uom_mismatch
    assert quote.unit_price_base is None


def test_stated_price_verdicts(md: MasterData) -> None:
    def verdict(stated: str) -> str | None:
        quote = quote_price(md, "C1", "BOLT", D(10), "CS", ON, stated_unit_price=D(stated))
        return quote.stated_check.verdict if quote.stated_check else None

    assert verdict("4.80") == "match"
    assert verdict("4.83") == "within_tolerance"
    assert verdict("5.00") == "mismatch"
    quote = quote_price(md, "C1", "BOLT", D(10), "CS", ON, stated_unit_price=D("5.00"))
    assert quote.stated_check is not None and quote.stated_check.difference == D("0.20")
    assert has_issue(quote.issues, "price_mismatch")


def test_stated_price_matches_at_its_own_precision(md: MasterData) -> None:
    quote = quote_price(md, "C2", "BOLT", D(10), "EA", ON, stated_unit_price=D("0.54"))
    assert quote.stated_check is not None and quote.stated_check.verdict == "match"

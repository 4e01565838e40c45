"""Ship-to resolution against the customer's known addresses."""

from __future__ import annotations

from app.extraction.schema import Address
from app.resolution import resolve_ship_to
from tools.masterdata import MasterData


def test_exact_address_matches(master: MasterData) -> None:
    address = Address(street="1200 Pier Road", city="Tacoma", region="WA", postal_code="98421")
    r = resolve_ship_to(address=address, customer_id="CUST-HMS", master=master)
    assert (r.value, r.method, r.is_new, r.certain) == ("ST-HMS-1", "match", False, True)


def test_abbreviations_and_zip4_match(master: MasterData) -> None:
    address = Address(street="55 N. Harbor Ave., Ste 200", city="SEATTLE", postal_code="98101-1234")
    r = resolve_ship_to(address=address, customer_id="CUST-HMS", master=master)
    assert r.value == "ST-HMS-2"
    assert r.certain


def test_german_street_abbreviation(master: MasterData) -> None:
    address = Address(street="Industriestr. 12", city="München", postal_code="80331")
    r = resolve_ship_to(address=address, customer_id="CUST-BMW", master=master)
    assert r.value == "ST-BMW-1"


def test_only_the_customers_own_ship_tos_are_searched(master: MasterData) -> None:
    # ST-ACME-1 has the same street as ST-HMS-1, in another city.
    address = Address(street="1200 Pier Rd", city="Portland", postal_code="97201")
    r = resolve_ship_to(address=address, customer_id="CUST-HMS", master=master)
    assert r.is_new
    assert r.value is None


def test_other_street_number_is_new(master: MasterData) -> None:
    address = Address(street="1210 Pier Road", city="Tacoma", postal_code="98421")
    r = resolve_ship_to(address=address, customer_id="CUST-HMS", master=master)
    assert (r.is_new, r.method, r.reason) == (True, "new", "new_ship_to")
    assert r.address == address
    assert r.candidates and r.candidates[0].id == "ST-HMS-1"


def test_no_address_stated_uses_default_not_new(master: MasterData) -> None:
    r = resolve_ship_to(address=None, customer_id="CUST-HMS", master=master)
    assert (r.value, r.method, r.is_new) == ("ST-HMS-1", "default", False)
    r = resolve_ship_to(address=Address(), customer_id="CUST-HMS", master=master)
    assert r.method == "default"


def test_no_default_leaves_it_open(master: MasterData) -> None:
    r = resolve_ship_to(address=None, customer_id="CUST-BMW", master=master)
    assert r.value is None
    assert not r.is_new
    assert r.reason == "no_ship_to"


def test_unknown_customer_keeps_the_address(master: MasterData) -> None:
    address = Address(street="1 Main St", city="Boston", postal_code="02101")
    r = resolve_ship_to(address=address, customer_id=None, master=master)
    assert r.value is None
    assert r.address == address

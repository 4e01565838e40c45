"""Customer resolution from sender address, domain and the document's name."""

from __future__ import annotations

from app.resolution import resolve_customer
from tools.masterdata import MasterData


def test_exact_sender_address_is_near_certain(master: MasterData) -> None:
    r = resolve_customer(sender="Buyer@HarborMarine.com", customer_name=None, master=master)
    assert (r.value, r.method, r.certain) == ("CUST-HMS", "address", True)
    assert r.confidence >= 0.95


def test_address_and_name_agreeing_is_combined(master: MasterData) -> None:
    r = resolve_customer(
        sender="buyer@harbormarine.com", customer_name="Harbor Marine Supply Co", master=master
    )
    assert (r.value, r.method) == ("CUST-HMS", "combined")
    assert r.confidence >= 0.99


def test_domain_match(master: MasterData) -> None:
    r = resolve_customer(sender="jane@harbormarine.com", customer_name=None, master=master)
    assert (r.value, r.method, r.certain) == ("CUST-HMS", "domain", True)


def test_subdomain_matches_domain(master: MasterData) -> None:
    r = resolve_customer(sender="ap@purchasing.harbormarine.com", customer_name=None, master=master)
    assert r.value == "CUST-HMS"


def test_alias_with_legal_suffix_agrees_with_domain(master: MasterData) -> None:
    r = resolve_customer(
        sender="hans@bergmann-mb.de", customer_name="Bergmann Maschinenbau AG", master=master
    )
    assert (r.value, r.method, r.certain) == ("CUST-BMW", "combined", True)


def test_free_mail_domain_never_matches_by_domain(master: MasterData) -> None:
    # CUST-ACME lists gmail.com as a domain by mistake: it must not claim every gmail sender.
    r = resolve_customer(sender="stranger@gmail.com", customer_name=None, master=master)
    assert r.value is None
    assert r.reason == "unknown_customer"


def test_free_mail_exact_address_still_matches(master: MasterData) -> None:
    r = resolve_customer(sender="acme.orders@gmail.com", customer_name=None, master=master)
    assert (r.value, r.method) == ("CUST-ACME", "address")


def test_name_only_is_never_certain(master: MasterData) -> None:
    r = resolve_customer(
        sender="someone@gmail.com", customer_name="ACME Industrial, Inc.", master=master
    )
    assert (r.value, r.method) == ("CUST-ACME", "name")
    assert not r.certain
    assert r.candidates[0].id == "CUST-ACME"


def test_domain_and_name_conflict_is_low_with_both_candidates(master: MasterData) -> None:
    r = resolve_customer(
        sender="x@harbormarine.com", customer_name="Acme Industrial LLC", master=master
    )
    assert r.method == "conflict"
    assert not r.certain
    assert {c.id for c in r.candidates} >= {"CUST-HMS", "CUST-ACME"}
    assert r.reason == "customer_conflict"


def test_unknown_customer(master: MasterData) -> None:
    r = resolve_customer(
        sender="p@unknown.example", customer_name="Zenith Widgets Ltd", master=master
    )
    assert r.value is None
    assert r.reason == "unknown_customer"
    assert r.confidence == 0.0


def test_spoofed_none_sender_never_matches_by_address(master: MasterData) -> None:
    r = resolve_customer(sender=None, customer_name=None, master=master)
    assert r.value is None
    assert r.reason == "unknown_customer"
    r = resolve_customer(sender=None, customer_name="Harbor Marine Supply", master=master)
    assert r.method == "name"
    assert not r.certain


def test_malformed_sender_is_ignored(master: MasterData) -> None:
    r = resolve_customer(sender="harbormarine.com", customer_name=None, master=master)
    assert r.value is None

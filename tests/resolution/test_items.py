"""Item resolution: cross reference, exact SKU, fuzzy candidates, look-alike characters."""

from __future__ import annotations

import pytest

from app.resolution import Catalog, resolve_item
from app.resolution.normalise import normalise_code, suspicious_chars
from tools.masterdata import MasterData


@pytest.fixture(scope="module")
def catalog(master: MasterData) -> Catalog:
    return Catalog.build(master)


@pytest.mark.parametrize("code", ["HM-7781", "hm 7781", "HM‐7781", " hm_7781 "])
def test_cross_reference_normalises_case_space_and_dashes(catalog: Catalog, code: str) -> None:
    r, flags = resolve_item(code=code, description=None, customer_id="CUST-HMS", catalog=catalog)
    assert (r.value, r.method, flags) == ("FAS-HB-M8-40-SS", "cross_reference", [])
    assert r.certain


def test_cross_reference_belongs_to_its_customer(catalog: Catalog) -> None:
    r, _ = resolve_item(code="HM-7781", description=None, customer_id="CUST-ACME", catalog=catalog)
    assert r.method != "cross_reference"
    assert not r.certain


def test_cross_reference_with_spaces_in_master_data(catalog: Catalog) -> None:
    r, _ = resolve_item(code="A10022", description=None, customer_id="CUST-ACME", catalog=catalog)
    assert r.value == "FAS-HN-M8-SS"


def test_exact_sku(catalog: Catalog) -> None:
    r, flags = resolve_item(
        code="fas-hb-m8-50-ss", description="whatever", customer_id=None, catalog=catalog
    )
    assert (r.value, r.method, flags) == ("FAS-HB-M8-50-SS", "exact_sku", [])


def test_fuzzy_description_clearly_ahead_is_proposed_but_never_certain(
    catalog: Catalog,
) -> None:
    r, flags = resolve_item(
        code="X-99",
        description="Stainless Hex Bolt M8 x 40",
        customer_id="CUST-HMS",
        catalog=catalog,
    )
    assert (r.value, r.method) == ("FAS-HB-M8-40-SS", "fuzzy")
    assert not r.certain, "a similarity match waits for a person to confirm it"
    assert r.confidence > 0.8, "but it is the clear favourite the reviewer sees first"
    assert flags == ["unknown_item"]
    assert [c.id for c in r.candidates][:2] == ["FAS-HB-M8-40-SS", "FAS-HB-M8-50-SS"]
    assert len(r.candidates) <= 5
    assert r.candidates[0].score > r.candidates[1].score


def test_fuzzy_typo_in_code_is_a_candidate_not_certain(catalog: Catalog) -> None:
    r, flags = resolve_item(
        code="FAS-HB-M8-4O-SS", description=None, customer_id=None, catalog=catalog
    )
    assert r.candidates[0].id == "FAS-HB-M8-40-SS"
    assert not r.certain
    assert "unknown_item" in flags


def test_two_close_candidates_are_ambiguous(catalog: Catalog) -> None:
    r, flags = resolve_item(
        code=None, description="stainless hex bolt M8", customer_id=None, catalog=catalog
    )
    assert r.value is None
    assert not r.certain
    assert "ambiguous_item" in flags
    assert {c.id for c in r.candidates[:2]} == {"FAS-HB-M8-40-SS", "FAS-HB-M8-50-SS"}


def test_nothing_like_it_is_unknown(catalog: Catalog) -> None:
    r, flags = resolve_item(
        code="ZZZ", description="industrial espresso machine", customer_id=None, catalog=catalog
    )
    assert r.value is None
    assert r.candidates == []
    assert flags == ["unknown_item"]


@pytest.mark.parametrize(
    "code",
    [
        "HM-77\u200b81",  # zero-width space
        "НM-7781",  # Cyrillic capital EN
        "HM-７781",  # fullwidth digit
        "FAS-HB-M8-40-SЅ",  # Cyrillic DZE
        "HM-7781\u202e",  # right-to-left override
    ],
)
def test_confusable_characters_are_flagged_never_matched(catalog: Catalog, code: str) -> None:
    r, flags = resolve_item(
        code=code, description="Stainless hex bolt M8x40", customer_id="CUST-HMS", catalog=catalog
    )
    assert "confusable_chars" in flags
    assert r.value is None
    assert not r.certain
    assert r.candidates  # the reviewer still sees what it probably means
    assert "U+" in r.evidence[0]


def test_dashes_and_accents_are_not_suspicious() -> None:
    assert suspicious_chars("HM–7781") == []
    assert suspicious_chars("Café-12") == []
    assert normalise_code("hm – 7781") == "HM7781"

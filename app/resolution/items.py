"""Which product a line means: cross-reference, exact SKU, then ranked fuzzy candidates."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from app.resolution.models import Candidate, Resolution
from app.resolution.normalise import normalise_code, suspicious_chars, words
from tools.masterdata import MasterData

FUZZY_CERTAIN = 92.0  # a fuzzy top score from here on is a clear favourite...
FUZZY_MARGIN = 10.0  # ...when it leads the runner-up by this much
# A similarity match is a suggestion for a person, never certain enough to approve an
# order without one: a wrong item ships the wrong goods. Below resolution.models.CERTAIN.
FUZZY_FAVOURITE = 0.85
FUZZY_FLOOR = 60.0  # below this a product is not worth showing
TOP_N = 5
NUMBER_PENALTY = 12.0  # per number of the query that a product description lacks


@dataclass
class Catalog:
    """Master-data products indexed for item matching; build once per order."""

    skus: dict[str, str] = field(default_factory=dict)  # normalised SKU -> SKU
    xrefs: dict[tuple[str, str], str] = field(default_factory=dict)  # (customer, code) -> SKU
    descriptions: dict[str, str] = field(default_factory=dict)  # SKU -> normalised description

    @classmethod
    def build(cls, master: MasterData) -> Catalog:
        """Index the products and cross references of `master`."""
        catalog = cls()
        for sku, product in master.products.items():
            catalog.skus[normalise_code(sku)] = sku
            catalog.descriptions[sku] = description_form(product.description)
        for xref in master.cross_references.values():
            key = (xref.customer_id, normalise_code(xref.customer_item_code))
            catalog.xrefs[key] = xref.sku
        return catalog

    @classmethod
    def of(cls, master: MasterData) -> Catalog:
        """The index of `master`, built once per product and cross-reference table."""
        key = (id(master.products), id(master.cross_references))
        with _catalog_lock:
            hit = _catalogs.get(key)
            if hit is not None:
                return hit[0]
        catalog = cls.build(master)
        with _catalog_lock:
            # The tables are kept with the index, so their ids cannot be reused meanwhile.
            _catalogs[key] = (catalog, master.products, master.cross_references)
            while len(_catalogs) > CATALOGS_KEPT:
                _catalogs.pop(next(iter(_catalogs)))
        return catalog


CATALOGS_KEPT = 4
_catalogs: dict[tuple[int, int], tuple[Catalog, object, object]] = {}
_catalog_lock = threading.Lock()


def resolve_item(
    *, code: str | None, description: str | None, customer_id: str | None, catalog: Catalog
) -> tuple[Resolution[str], list[str]]:
    """The SKU a line means, and flags ("confusable_chars", "ambiguous_item", "unknown_item")."""
    code = (code or "").strip()
    odd = suspicious_chars(code)
    if odd:
        return _confusable(code, odd, description, catalog), ["confusable_chars", "unknown_item"]
    direct = _direct(code, customer_id, catalog)
    if direct is not None:
        return direct, []
    return _fuzzy(code, description, catalog)


def _direct(code: str, customer_id: str | None, catalog: Catalog) -> Resolution[str] | None:
    norm = normalise_code(code)
    if not norm:
        return None
    sku = catalog.xrefs.get((customer_id, norm)) if customer_id else None
    if sku is not None and sku in catalog.descriptions:
        return Resolution[str](
            value=sku,
            confidence=0.99,
            method="cross_reference",
            candidates=[Candidate(id=sku, score=100.0, label=code)],
            evidence=[f"{customer_id} item {code!r} is our {sku}"],
        )
    if norm in catalog.skus:
        sku = catalog.skus[norm]
        return Resolution[str](
            value=sku,
            confidence=0.97,
            method="exact_sku",
            candidates=[Candidate(id=sku, score=100.0, label=sku)],
            evidence=[f"{code!r} is our SKU {sku}"],
        )
    return None


def _fuzzy(
    code: str, description: str | None, catalog: Catalog
) -> tuple[Resolution[str], list[str]]:
    ranked = rank_candidates(code, description, catalog)
    if not ranked:
        return Resolution[str](reason="unknown_item", evidence=[_nothing(code, description)]), [
            "unknown_item"
        ]
    top = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    evidence = [f"best {top.id} {top.score:.0f}, next {runner_up:.0f}"]
    if top.score - runner_up < FUZZY_MARGIN and runner_up >= FUZZY_CERTAIN - FUZZY_MARGIN:
        return Resolution[str](
            method="fuzzy",
            confidence=0.3,
            candidates=ranked,
            reason="ambiguous_item",
            evidence=evidence,
        ), ["ambiguous_item", "unknown_item"]
    favourite = top.score >= FUZZY_CERTAIN and top.score - runner_up >= FUZZY_MARGIN
    confidence = FUZZY_FAVOURITE if favourite else round(0.8 * top.score / 100, 3)
    return Resolution[str](
        value=top.id,
        method="fuzzy",
        confidence=confidence,
        candidates=ranked,
        reason="unknown_item",
        evidence=evidence,
    ), ["unknown_item"]


def _nothing(code: str, description: str | None) -> str:
    return f"no product like code {code!r} / description {description!r}"


def rank_candidates(code: str, description: str | None, catalog: Catalog) -> list[Candidate]:
    """The top products by code and description similarity, best first, scores 0-100."""
    code_scores = _code_scores(normalise_code(code), catalog) if code else {}
    desc = description_form(description or "")
    desc_scores = _description_scores(desc, catalog) if desc else {}
    combined = {
        sku: _combine(
            code_scores.get(sku, 0.0) if code else None, desc_scores.get(sku, 0.0) if desc else None
        )
        for sku in code_scores.keys() | desc_scores.keys()
    }
    best = sorted(combined.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N]
    return [
        Candidate(id=sku, score=round(score, 1), label=catalog.descriptions[sku])
        for sku, score in best
        if score >= FUZZY_FLOOR
    ]


def _code_scores(norm: str, catalog: Catalog) -> dict[str, float]:
    hits = process.extract(
        norm, list(catalog.skus), scorer=fuzz.ratio, limit=20, score_cutoff=FUZZY_FLOOR
    )
    return {catalog.skus[key]: score for key, score, _ in hits}


def _description_scores(desc: str, catalog: Catalog) -> dict[str, float]:
    # token_set alone scores any subset 100 ("bolt" vs a long name): temper it with token_sort.
    hits = process.extract(
        desc,
        catalog.descriptions,
        scorer=_description_similarity,
        limit=20,
        score_cutoff=FUZZY_FLOOR,
    )
    return {sku: score for _, score, sku in hits}


def _description_similarity(a: str, b: str, **_: object) -> float:
    blended = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    # Sizes decide between otherwise equal products: every stated number the product lacks costs.
    missing = set(_NUMBER.findall(a)) - set(_NUMBER.findall(b))
    return max(0.0, blended - NUMBER_PENALTY * len(missing))


_SPLIT = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")


def description_form(text: str) -> str:
    """A description for comparison: lower-case words, numbers split from letters ("m8x40")."""
    return _SPLIT.sub(" ", " ".join(words(text)))


def _combine(code: float | None, desc: float | None) -> float:
    # A customer's own code says nothing about our SKUs: a weak side must not drag a strong one
    # down, but two sides that agree add a little.
    scores = [s for s in (code, desc) if s is not None]
    if len(scores) == 1:
        return scores[0]
    return min(100.0, max(scores) + 0.1 * max(0.0, min(scores) - FUZZY_FLOOR))


def _confusable(
    code: str, odd: list[str], description: str | None, catalog: Catalog
) -> Resolution[str]:
    return Resolution[str](
        method="none",
        reason="confusable_chars",
        candidates=rank_candidates("", description, catalog),
        evidence=[
            f"item code {code!r} holds look-alike or invisible characters: " + "; ".join(odd)
        ],
    )

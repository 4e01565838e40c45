"""Read-only fuzzy lookups of products and customers by what a purchase order calls them."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from tools.masterdata import MasterData, split_list
from tools.results import Result

MIN_SCORE = 50.0


class CatalogHit(Result):
    sku: str
    description: str
    base_uom: str
    discontinued: bool
    score: float  # 0-100


class CustomerHit(Result):
    customer_id: str
    name: str
    matched: str  # the name, alias, address or domain that matched best
    score: float


class CatalogSearch(Result):
    query: str
    hits: tuple[CatalogHit, ...]


class CustomerSearch(Result):
    query: str
    hits: tuple[CustomerHit, ...]


def search_catalog(md: MasterData, query: str, limit: int = 5) -> CatalogSearch:
    """Products whose SKU or description best match `query`, best first."""
    choices = {sku: f"{sku} {p.description}" for sku, p in md.products.items()}
    found = process.extract(
        query,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=MIN_SCORE,
    )
    hits = []
    for _, score, sku in found:
        product = md.products[sku]
        hits.append(
            CatalogHit(
                sku=sku,
                description=product.description,
                base_uom=product.base_uom,
                discontinued=product.discontinued,
                score=round(float(score), 1),
            )
        )
    return CatalogSearch(query=query, hits=tuple(hits))


def search_customers(md: MasterData, query: str, limit: int = 5) -> CustomerSearch:
    """Customers whose id, name, alias, sender address or domain best match `query`."""
    best: dict[str, tuple[float, str]] = {}
    for customer in md.customers.values():
        names = [
            customer.customer_id,
            customer.name,
            *split_list(customer.aliases),
            *split_list(customer.email_addresses),
            *split_list(customer.email_domains),
        ]
        match = process.extractOne(
            query,
            names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=MIN_SCORE,
        )
        if match is not None:
            best[customer.customer_id] = (float(match[1]), match[0])
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    hits = tuple(
        CustomerHit(
            customer_id=cid, name=md.customers[cid].name, matched=matched, score=round(score, 1)
        )
        for cid, (score, matched) in ranked
    )
    return CustomerSearch(query=query, hits=hits)

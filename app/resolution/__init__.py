"""Resolution of extracted orders against master data: customer, ship-to, items and units."""

from app.resolution.customer import resolve_customer
from app.resolution.items import Catalog, rank_candidates, resolve_item
from app.resolution.models import (
    CERTAIN,
    Candidate,
    LineFlag,
    LineResolution,
    Method,
    OrderFlag,
    Resolution,
    ResolvedOrder,
    ShipToResolution,
    UomResolution,
)
from app.resolution.order import resolve_line, resolve_order
from app.resolution.ship_to import resolve_ship_to
from app.resolution.uom import parse_unit, resolve_uom

__all__ = [
    "CERTAIN",
    "Candidate",
    "Catalog",
    "LineFlag",
    "LineResolution",
    "Method",
    "OrderFlag",
    "Resolution",
    "ResolvedOrder",
    "ShipToResolution",
    "UomResolution",
    "parse_unit",
    "rank_candidates",
    "resolve_customer",
    "resolve_item",
    "resolve_line",
    "resolve_order",
    "resolve_ship_to",
    "resolve_uom",
]

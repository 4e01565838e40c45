"""The expected.json of a planned case, in the shape of specs/eval-dataset.md (v1)."""

from __future__ import annotations

from decimal import Decimal

from evals.generator.model import Address, CasePlan, Order, OrderLine

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
EMPTY_EXTRACTION: dict[str, JsonValue] = {
    "customer_name": None,
    "customer_po_number": None,
    "order_date": None,
    "requested_delivery_date": None,
    "currency": None,
    "ship_to": None,
    "lines": [],
    "total": None,
}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _address(address: Address | None) -> JsonValue:
    if address is None:
        return None
    return {
        "name": address.name,
        "street": address.street,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
    }


def _line(line: OrderLine) -> JsonValue:
    return {
        "customer_item_code": line.code,
        "description": line.description,
        "quantity": line.quantity,
        "uom": line.uom,
        "unit_price": _number(line.unit_price),
    }


def extraction(order: Order) -> dict[str, JsonValue]:
    """The extraction gold: values as the document states them."""
    return {
        "customer_name": order.customer_name,
        "customer_po_number": order.po_number,
        "order_date": order.order_date.isoformat() if order.order_date else None,
        "requested_delivery_date": (
            order.delivery_date.isoformat() if order.delivery_date else None
        ),
        "currency": order.currency,
        "ship_to": _address(order.ship_to),
        "lines": [_line(ln) for ln in order.lines],
        "total": _number(order.total),
    }


def expected(plan: CasePlan, seed: int) -> dict[str, JsonValue]:
    """The whole expected.json object."""
    route: dict[str, JsonValue] = {
        "decision": "review" if plan.reasons or plan.blockers else "auto"
    }
    if plan.reasons:
        route["reasons"] = list(plan.reasons)
    out: dict[str, JsonValue] = {
        "master_data": "demo",
        "extraction": extraction(plan.order) if plan.order is not None else dict(EMPTY_EXTRACTION),
    }
    if plan.order is not None:
        out["resolution"] = {
            "customer_id": plan.customer_id,
            "lines": [{"sku": ln.sku} for ln in plan.order.lines],
        }
    out["route"] = route
    out["tags"] = tags(plan)
    out["generator"] = {"seed": seed, "review_because": list(plan.blockers)}
    return out


def tags(plan: CasePlan) -> list[JsonValue]:
    """Slicing labels: channel, layout, language, wrapper, features."""
    out = {
        f"channel:{plan.channel}",
        f"layout:{plan.layout}",
        f"lang:{plan.style.lang}",
        f"kind:{plan.kind}",
        *(f"feature:{f}" for f in plan.features),
    }
    if plan.amendment is not None:
        out.add(f"amend:{plan.amendment.how}")
    return list[JsonValue](sorted(out))

"""The order confirmation a customer would receive, as plain text."""

from __future__ import annotations

from app.orders.tables import Order, OrderLine, Shipment


def acknowledgement_text(order: Order, lines: list[OrderLine], shipments: list[Shipment]) -> str:
    po = order.customer_po_number or "(no PO number)"
    out = [
        f"Order confirmation {order.id}",
        f"Your purchase order: {po}",
        f"Customer: {order.customer_id}",
        "",
        f"{'Line':<5}{'Item':<22}{'Qty':>10} {'Unit':<6}{'Price':>12}{'Amount':>14}",
    ]
    for ln in lines:
        out.append(
            f"{ln.line_no:<5}{ln.sku[:21]:<22}{ln.quantity:>10} {ln.uom[:5]:<6}"
            f"{ln.unit_price:>12}{ln.extended_price:>14}"
        )
        if ln.customer_item_code:
            out.append(f"{'':5}your item {ln.customer_item_code}: {ln.description[:60]}")
    out += ["", f"Total ({order.currency}): {order.total}", ""]
    for sh in shipments:
        out.append(
            f"Ships {sh.ship_date} from {sh.warehouse_id} via {sh.service_id or 'TBD'}, "
            f"arriving {sh.delivery_date} (lines {', '.join(map(str, sh.lines))})"
        )
    address = order.ship_to or {}
    if address:
        parts = [
            address.get(k) for k in ("name", "street", "city", "region", "postal_code", "country")
        ]
        out.append("Ship to: " + ", ".join(p for p in parts if p))
    return "\n".join(out) + "\n"

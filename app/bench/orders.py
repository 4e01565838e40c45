"""Small text purchase orders from the demo company's customers and products."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("app.masterdata") / "demo" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def demo_orders(n: int, *, seed: int = 7, tag: str = "bench") -> list[bytes]:
    """n distinct RFC 822 orders: a demo customer's address, a PO number, 1-4 demo SKUs."""
    rng = random.Random(seed)
    customers = [c for c in _rows("customers.csv") if c["email_addresses"]]
    products = [p for p in _rows("products.csv") if p["discontinued"] != "true"]
    orders: list[bytes] = []
    for number in range(n):
        customer = customers[number % len(customers)]
        sender = customer["email_addresses"].split("|")[0]
        po = f"PO-{tag.upper()}-{number:05d}"
        lines = [
            f"{rng.randint(1, 12) * int(p['pack_multiple'] or 1)} {p['base_uom']} "
            f"{p['sku']} {p['description']}"
            for p in rng.sample(products, rng.randint(1, 4))
        ]
        msg = EmailMessage()
        msg["From"] = f"{customer['name']} <{sender}>"
        msg["To"] = "orders@northwind.example"
        msg["Subject"] = f"Purchase order {po}"
        msg["Message-ID"] = f"<{tag}-{number}-{seed}@{sender.split('@')[1]}>"
        msg["Date"] = format_datetime(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
        msg.set_content(
            f"Hello,\n\nPlease supply the following on PO {po}:\n\n"
            + "\n".join(lines)
            + f"\n\nThanks,\n{customer['name']}\n"
        )
        orders.append(msg.as_bytes())
    return orders

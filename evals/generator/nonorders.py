"""Messages that reach the order inbox but are not purchase orders."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from evals.generator import world
from evals.generator.catalog import Catalog
from evals.generator.model import CasePlan


@dataclass
class NonOrder:
    subject: str
    text: str | None
    html: str | None
    pdf: bytes | None = None


def _pick(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    return items[rng.randrange(len(items))]


def write_non_order(plan: CasePlan, catalog: Catalog, rng: random.Random) -> NonOrder:
    """Subject and bodies of one non-order message."""
    kind = plan.non_order_kind
    name = plan.envelope.sender_name
    products = list(catalog.products.values())
    item = products[rng.randrange(len(products))] if products else None
    desc = item.description if item else "assorted fasteners"
    sku = item.sku if item else "FAS-0000"
    invoice = f"INV-{rng.randint(300000, 399999)}"
    po = f"PO-{rng.randint(10000, 99999)}"
    qty = _pick(rng, ("25", "50", "100", "250", "500"))
    if kind == "newsletter":
        html = (
            "<html><body><h1>Fall Maintenance Savings</h1>"
            f"<p>Stock up before winter! Save 15% on {desc} and more.</p>"
            "<table border='0'><tr><td>Item</td><td>Sale price</td></tr>"
            f"<tr><td>{sku}</td><td>$9.99</td></tr></table>"
            "<p><a href='https://example.com/unsubscribe'>Unsubscribe</a></p></body></html>"
        )
        return NonOrder("This week only: fall maintenance deals", None, html)
    if kind == "shipping_notice":
        text = (
            f"Your shipment is on its way.\n\nReference: {po}\nTracking number: "
            f"1Z{rng.randint(10**9, 10**10 - 1)}\nCarrier: ParcelXpress Ground\n"
            f"Pieces: {rng.randint(1, 6)}\nEstimated delivery: Thursday\n\n"
            "This is an automated notification, please do not reply."
        )
        return NonOrder(f"Shipment notification for {po}", text, None)
    if kind == "invoice_question":
        text = (
            f"Hello,\n\nOn invoice {invoice} you billed us for {qty} x {sku} ({desc}) but the "
            f"packing slip for our {po} shows fewer. Can you check and send a credit memo "
            f"if needed?\n\nThanks,\n{name}"
        )
        return NonOrder(f"Question about invoice {invoice}", text, None)
    if kind == "quote_request":
        text = (
            f"Hi,\n\nbefore we place an order, could you quote us {qty} pcs of {sku} "
            f"({desc})? We would also like lead time and freight to our site.\n"
            "Please do not ship anything yet, this is only a request for quotation.\n\n"
            f"Best,\n{name}"
        )
        return NonOrder("RFQ - pricing request", text, None)
    if kind == "delivery_status":
        text = (
            f"Hi team,\n\nany update on our order {po}? It was due last week and the "
            f"crew is waiting on the {desc}.\n\nThanks,\n{name}"
        )
        return NonOrder(f"Status of {po}?", text, None)
    if kind == "out_of_office":
        text = (
            "I am out of the office until Monday with limited access to email. For urgent "
            f"matters please contact our front desk.\n\n{name}"
        )
        return NonOrder("Automatic reply: Purchase order confirmation", text, None)
    if kind == "remittance":
        text = (
            f"Remittance advice\n\nPayment of {rng.randint(500, 9000)}.00 USD has been sent "
            f"by ACH for invoices {invoice} and INV-{rng.randint(300000, 399999)}.\n"
            f"Payment reference: {rng.randint(10**6, 10**7)}\n\n{name}\nAccounts Payable"
        )
        return NonOrder("Remittance advice", text, None)
    text = (
        f"Hello,\n\nplease find our statement of account attached. Contact us with any "
        f"questions.\n\n{name}"
    )
    return NonOrder("Statement of account", text, None, _statement(rng, name))


def _statement(rng: random.Random, name: str) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=letter, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, 740, "STATEMENT OF ACCOUNT")
    c.setFont("Helvetica", 9)
    c.drawString(40, 720, f"To: {world.SELLER_NAME}   Prepared by: {name}")
    y = 690
    for head, x in (("Invoice", 40), ("Date", 160), ("Amount", 300), ("Open", 400)):
        c.drawString(x, y, head)
    for _ in range(rng.randint(3, 7)):
        y -= 14
        amount = rng.randint(100, 5000)
        c.drawString(40, y, f"INV-{rng.randint(300000, 399999)}")
        c.drawString(160, y, f"2026-{rng.randint(7, 10):02d}-{rng.randint(1, 28):02d}")
        c.drawRightString(350, y, f"{amount:,}.00")
        c.drawRightString(450, y, f"{amount if rng.random() < 0.5 else 0:,}.00")
    c.showPage()
    c.save()
    return buffer.getvalue()

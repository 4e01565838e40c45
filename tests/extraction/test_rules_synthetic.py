"""Generalisation checks of the rules extractor on hand-written order emails (text and HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.documents import parse_message
from app.extraction.rules import RulesExtractor
from evals.scoring import numbers_equal, value_equal


@dataclass(frozen=True)
class Sample:
    """A raw email and the values the extractor must read from it."""

    name: str
    raw: str
    expect: dict[str, object] = field(default_factory=dict)
    lines: list[dict[str, object]] = field(default_factory=list)


def _mail(
    subject: str,
    body: str,
    *,
    html: bool = False,
    sender: str = "Jane Buyer <jane@example.com>",
    date: str = "Tue, 03 Nov 2026 09:12:00 +0000",
) -> str:
    ctype = "text/html" if html else "text/plain"
    return (
        f"From: {sender}\nTo: orders@supplier.example\nSubject: {subject}\nDate: {date}\n"
        f"MIME-Version: 1.0\nContent-Type: {ctype}; charset=utf-8\n\n{body}\n"
    )


PROSE_US = Sample(
    "prose_us",
    _mail(
        "New order",
        """Hi team,

Please send 12 x Stainless hex bolt M8x40 (SKU HM-7781) @ $0.42 each.
We also need 5 cases of nitrile gloves, item# NG-200-L.

PO Number: HMS-20931
Please deliver by November 20, 2026.

Ship to:
Harbor Marine - Dock 4
1200 Pier Road
Tacoma, WA 98421

Thanks,
Jane Buyer
Harbor Marine Supply Co.
(253) 555-0100
""",
    ),
    expect={
        "customer_po_number": "HMS-20931",
        "requested_delivery_date": "2026-11-20",
        "customer_name": "Harbor Marine Supply Co.",
        "currency": "USD",
        "order_date": None,
        "total": None,
        "ship_city": "Tacoma",
        "ship_postal": "98421",
        "ship_street": "1200 Pier Road",
    },
    lines=[
        {"customer_item_code": "HM-7781", "quantity": 12, "unit_price": 0.42},
        {"customer_item_code": "NG-200-L", "quantity": 5, "uom": "cases"},
    ],
)

PIPE_TABLE = Sample(
    "pipe_table",
    _mail(
        "PO 55012 - Northwind",
        """Hello,

please find our order below.

| Item    | Description          | Qty | Unit | Unit Price | Amount  |
|---------|----------------------|-----|------|------------|---------|
| NW-100  | Copper pipe 15mm 3m  | 40  | EA   | 7.25       | 290.00  |
| NW-220  | Elbow fitting 15mm   | 100 | EA   | 0.85       | 85.00   |
| NW-310  | Pipe clamp, zinc     | 60  | BX   | 3.10       | 186.00  |

Order Total: $561.00

Order date: 11/02/2026

Regards,
Tom Reyes
Northwind Plumbing LLC
""",
    ),
    expect={
        "customer_po_number": "55012",
        "order_date": "2026-11-02",
        "total": 561.0,
        "customer_name": "Northwind Plumbing LLC",
        "currency": "USD",
    },
    lines=[
        {"customer_item_code": "NW-100", "quantity": 40, "unit_price": 7.25, "uom": "EA"},
        {"customer_item_code": "NW-220", "quantity": 100, "unit_price": 0.85},
        {"customer_item_code": "NW-310", "quantity": 60, "unit_price": 3.10, "uom": "BX"},
    ],
)

GERMAN = Sample(
    "german",
    _mail(
        "Bestellung 4500123456",
        """Sehr geehrte Damen und Herren,

hiermit bestellen wir:

Pos  Artikelnummer  Bezeichnung                 Menge  Einheit  Einzelpreis  Gesamtpreis
1    4711-06        Sechskantschraube M6x20     1.000  Stk      0,15         150,00
2    4711-08        Sechskantschraube M8x30     500    Stk      0,32         160,00
3    9920-1         Unterlegscheibe 8,4         2.500  Stk      0,04         100,00

Gesamtbetrag: 410,00 EUR

Bestellnummer: 4500123456
Bestelldatum: 02.11.2026
Liefertermin: 16.11.2026

Lieferadresse:
Müller Maschinenbau GmbH
Hauptstraße 12
80331 München
Deutschland

Mit freundlichen Grüßen
Klaus Becker
Müller Maschinenbau GmbH
""",
    ),
    expect={
        "customer_po_number": "4500123456",
        "order_date": "2026-11-02",
        "requested_delivery_date": "2026-11-16",
        "total": 410.0,
        "currency": "EUR",
        "customer_name": "Müller Maschinenbau GmbH",
        "ship_city": "München",
        "ship_postal": "80331",
        "ship_country": "DE",
    },
    lines=[
        {"customer_item_code": "4711-06", "quantity": 1000, "unit_price": 0.15, "uom": "Stk"},
        {"customer_item_code": "4711-08", "quantity": 500, "unit_price": 0.32},
        {"customer_item_code": "9920-1", "quantity": 2500, "unit_price": 0.04},
    ],
)

HTML_TABLE = Sample(
    "html_table",
    _mail(
        "Purchase Order PO-7781",
        """<html><body>
<p>Good morning,</p>
<p>Please process the following purchase order.</p>
<p><b>PO #:</b> PO-7781<br><b>Order Date:</b> 2026-10-30</p>
<table border="1">
<tr><th>SKU</th><th>Product</th><th>Quantity</th><th>Price</th><th>Line Total</th></tr>
<tr><td>CAB-CAT6-5</td><td>Cat6 patch cable 5 ft, blue</td><td>25</td><td>$3.90</td>
<td>$97.50</td></tr>
<tr><td>SW-24P</td><td>24-port gigabit switch</td><td>2</td><td>$189.00</td><td>$378.00</td></tr>
<tr><td></td><td>Shipping</td><td></td><td></td><td>$15.00</td></tr>
<tr><td></td><td><b>Grand Total</b></td><td></td><td></td><td>$490.50</td></tr>
</table>
<p>Best regards,<br>Priya Nair<br>Contoso Networks Inc.</p>
</body></html>""",
        html=True,
    ),
    expect={
        "customer_po_number": "PO-7781",
        "order_date": "2026-10-30",
        "total": 490.5,
        "currency": "USD",
        "customer_name": "Contoso Networks Inc.",
    },
    lines=[
        {"customer_item_code": "CAB-CAT6-5", "quantity": 25, "unit_price": 3.90},
        {"customer_item_code": "SW-24P", "quantity": 2, "unit_price": 189.0},
    ],
)

FRENCH = Sample(
    "french",
    _mail(
        "Commande n° CMD-2026-118",
        """Bonjour,

Merci de nous livrer :
- 20 cartons de gobelets carton 25cl, réf. GC-25
- 8 boîtes de serviettes blanches, réf. SV-330 à 4,50 € l'unité

Commande n° : CMD-2026-118
Date de livraison : 12/11/2026

Adresse de livraison :
Café du Port
14 rue de la Marine
13002 Marseille
France

Cordialement,
Sophie Martin
Café du Port SARL
""",
    ),
    expect={
        "customer_po_number": "CMD-2026-118",
        "requested_delivery_date": "2026-11-12",
        "currency": "EUR",
        "ship_city": "Marseille",
        "ship_postal": "13002",
        "ship_country": "FR",
        "customer_name": "Café du Port SARL",
    },
    lines=[
        {"customer_item_code": "GC-25", "quantity": 20},
        {"customer_item_code": "SV-330", "quantity": 8, "unit_price": 4.5},
    ],
)

ALIGNED_TEXT = Sample(
    "aligned_text",
    _mail(
        "Order 88213",
        """Purchase Order 88213

Part No.     Description                     Qty    UOM    Price     Ext
A-1001       Hydraulic filter element          6    EA     42.00    252.00
A-1002       O-ring kit, Viton                 10   KT     18.50    185.00
             (high temperature)
B-2040       Return line hose 1/2" x 36"       4    EA     61.25    245.00

Subtotal                                                           682.00
Freight                                                             35.00
Total                                                              717.00

Need by: 11/24/2026
""",
    ),
    expect={"customer_po_number": "88213", "total": 717.0, "requested_delivery_date": "2026-11-24"},
    lines=[
        {"customer_item_code": "A-1001", "quantity": 6, "unit_price": 42.0, "uom": "EA"},
        {"customer_item_code": "A-1002", "quantity": 10, "unit_price": 18.5, "uom": "KT"},
        {"customer_item_code": "B-2040", "quantity": 4, "unit_price": 61.25},
    ],
)

SPANISH = Sample(
    "spanish",
    _mail(
        "Pedido 3321",
        """Hola,

Necesitamos: 30 cajas de guantes de nitrilo talla M, código GN-M-100

Pedido nº: 3321
Fecha de entrega: 5 de diciembre de 2026

Saludos,
Luis García
Distribuciones García S.L.
""",
    ),
    expect={
        "customer_po_number": "3321",
        "requested_delivery_date": "2026-12-05",
        "customer_name": "Distribuciones García S.L.",
    },
    lines=[{"customer_item_code": "GN-M-100", "quantity": 30, "uom": "cajas"}],
)

NEWSLETTER = Sample(
    "newsletter",
    _mail(
        "Our November newsletter",
        """Dear customer,

Check out our new catalogue: 20% off all fasteners this month!
Visit www.example.com/deals to learn more.

To unsubscribe from this newsletter click here.
""",
    ),
    expect={"is_order": False, "customer_po_number": None, "total": None},
    lines=[],
)

CHANGE = Sample(
    "change_order",
    _mail(
        "Change order - PO 77120 revised",
        """Hi,

This is a change order for PO 77120. Please update the quantity:

- 15 x Blue widget, SKU BW-15 (was 10)

Thanks,
Dana
""",
    ),
    expect={"is_change": True, "is_order": True, "customer_po_number": "77120"},
    lines=[{"customer_item_code": "BW-15", "quantity": 15}],
)

TAB_SEPARATED = Sample(
    "tab_separated",
    _mail(
        "PO: TS-4410",
        "Order for next week:\n\nCode\tDescription\tQty\tPrice\n"
        "TS-1\tTape 48mm clear\t36\t1.10\nTS-2\tStretch film 500mm\t12\t14.80\n\n"
        "PO: TS-4410\nDeliver by 12 Nov\n",
    ),
    expect={"customer_po_number": "TS-4410", "requested_delivery_date": "2026-11-12"},
    lines=[
        {"customer_item_code": "TS-1", "quantity": 36, "unit_price": 1.10},
        {"customer_item_code": "TS-2", "quantity": 12, "unit_price": 14.80},
    ],
)

SAMPLES = [
    PROSE_US,
    PIPE_TABLE,
    GERMAN,
    HTML_TABLE,
    FRENCH,
    ALIGNED_TEXT,
    SPANISH,
    NEWSLETTER,
    CHANGE,
    TAB_SEPARATED,
]


def _actual(gold: dict[str, object], key: str) -> object:
    ship = gold.get("ship_to")
    ship_map = ship if isinstance(ship, dict) else {}
    if key.startswith("ship_"):
        part = {
            "ship_city": "city",
            "ship_postal": "postal_code",
            "ship_street": "street",
            "ship_country": "country",
        }[key]
        return ship_map.get(part)
    return gold.get(key)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_synthetic_email(sample: Sample) -> None:
    order = RulesExtractor().extract(parse_message(sample.raw.encode()))
    gold = order.as_gold_shape()
    for key, want in sample.expect.items():
        if key in ("is_order", "is_change"):
            assert getattr(order, key).value is want, key
            continue
        got = _actual(gold, key)
        kind = "number" if key == "total" else "date" if key.endswith("date") else "text"
        assert value_equal(kind, want, got), f"{key}: {got!r} != {want!r}"
    lines = gold["lines"]
    assert isinstance(lines, list)
    assert len(lines) == len(sample.lines)
    for got_line, want_line in zip(lines, sample.lines, strict=True):
        for key, want in want_line.items():
            if key in ("quantity", "unit_price"):
                assert numbers_equal(want, got_line[key]), f"{key}: {got_line[key]!r} != {want!r}"
            else:
                assert got_line[key] == want, f"{key}: {got_line[key]!r} != {want!r}"


def test_every_value_has_a_source() -> None:
    order = RulesExtractor().extract(parse_message(GERMAN.raw.encode()))
    assert order.customer_po_number.source is not None
    assert order.customer_po_number.source.document_id == "body"
    for line in order.lines:
        assert line.quantity.source is not None
        assert line.quantity.source.start is not None
    assert 0.0 < order.total.confidence <= 1.0


def test_row_arithmetic_raises_line_confidence() -> None:
    order = RulesExtractor().extract(parse_message(ALIGNED_TEXT.raw.encode()))
    assert order.total.value is not None
    assert order.lines[0].quantity.confidence >= 0.9

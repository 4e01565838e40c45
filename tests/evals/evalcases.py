"""A tiny eval dataset written for the demo company: an order by email, a non-order, loose files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ORDER_EML = """\
From: Pete Haddad <purchasing@blueridgemillwork.com>
To: orders@northwind-supply.example
Subject: PO BRM-4471
Date: Tue, 29 Sep 2026 14:02:19 -0500
Message-ID: <brm-4471@blueridgemillwork.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Hello team,

Please enter PO BRM-4471.

SKU        Description                              Qty  UOM
HND-1011   Tape Measure, 25 ft x 1-1/4 in            12  EA
FAC-1005   Stretch Wrap, 18 in x 1500 ft, 80 Gauge    4  EA

Thanks,
Pete Haddad
Blue Ridge Millwork Inc.
"""

ORDER_GOLD: dict[str, Any] = {
    "customer_name": "Blue Ridge Millwork Inc.",
    "customer_po_number": "BRM-4471",
    "order_date": None,
    "requested_delivery_date": None,
    "currency": None,
    "ship_to": None,
    "lines": [
        {
            "customer_item_code": "HND-1011",
            "description": "Tape Measure, 25 ft x 1-1/4 in",
            "quantity": 12,
            "uom": "EA",
            "unit_price": None,
        },
        {
            "customer_item_code": "FAC-1005",
            "description": "Stretch Wrap, 18 in x 1500 ft, 80 Gauge",
            "quantity": 4,
            "uom": "EA",
            "unit_price": None,
        },
    ],
    "total": None,
}

NOT_AN_ORDER_EML = """\
From: Dave Reyes <dreyes@summitmech.com>
To: orders@northwind-supply.example
Subject: Out of office
Date: Wed, 30 Sep 2026 08:00:00 -0600
Message-ID: <ooo-1@summitmech.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

I am out of the office until Monday with limited access to email.
For urgent matters please call the front desk.
"""

LOOSE_CSV = 'Item,Description,Qty\nHND-1011,"Tape Measure, 25 ft x 1-1/4 in",6\n'

EMPTY_GOLD: dict[str, Any] = {
    "customer_name": None,
    "customer_po_number": None,
    "order_date": None,
    "requested_delivery_date": None,
    "currency": None,
    "ship_to": None,
    "lines": [],
    "total": None,
}


def write_case(root: Path, case_id: str, files: dict[str, str], expected: dict[str, Any]) -> Path:
    folder = root / case_id
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(expected, indent=2), encoding="utf-8")
    return folder


def tiny_dataset(root: Path, *, loose: bool = True) -> Path:
    """Two or three cases: a text order by email, an out-of-office reply, a loose CSV."""
    write_case(
        root,
        "case-1-order",
        {"message.eml": ORDER_EML},
        {"extraction": ORDER_GOLD, "route": {"decision": "review"}, "tags": ["eml", "order"]},
    )
    write_case(
        root,
        "case-2-not-an-order",
        {"message.eml": NOT_AN_ORDER_EML},
        {
            "extraction": EMPTY_GOLD,
            "route": {"decision": "review", "reasons": ["not_a_po"]},
            "tags": ["eml", "non_order"],
        },
    )
    if loose:
        gold = {**EMPTY_GOLD, "lines": [ORDER_GOLD["lines"][0] | {"quantity": 6, "uom": None}]}
        write_case(
            root,
            "case-3-loose-csv",
            {"order.csv": LOOSE_CSV},
            {
                "extraction": gold,
                "unscored": ["customer_name", "ship_to"],
                "tags": ["loose", "order"],
            },
        )
    (root / "_notes").mkdir()  # ignored: starts with "_"
    return root


def processed_database(ctx: Any) -> dict[str, str]:
    """Store and process the order and the out-of-office reply in `ctx`'s database; a person
    approves the order with line 2's quantity changed from 4 to 6. Returns the draft ids."""
    from decimal import Decimal

    from app.core.db import session_scope
    from app.drafts.service import draft_id_for
    from app.extraction.factory import rules_extractor
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource
    from app.pipeline import GraphRunner
    from app.review.schemas import DraftEdits, LineEdit, ReviewDecision
    from app.routing.policy import load_policy

    runner = GraphRunner(ctx=ctx, extractor=rules_extractor(), policy=load_policy())
    ids: dict[str, str] = {}
    for name, text in (("order", ORDER_EML), ("ooo", NOT_AN_ORDER_EML)):
        with session_scope(ctx.engine) as session:
            message, _ = store_inbound(session, raw=text.encode(), source=MessageSource.CLI)
        runner.process(message.id)
        ids[name] = draft_id_for(message.id)
    edits = DraftEdits(lines=[LineEdit(line_no=2, quantity=Decimal("6"))])
    runner.resume(
        ids["order"], ReviewDecision(action="approve", actor="alice", task_version=1, edits=edits)
    )
    return ids

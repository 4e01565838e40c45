"""Approved orders as eval cases: people's decisions become the gold (eval-dataset spec v1).

The gold of a case is the order as approved: its lines' quantities and SKUs from the Order, the
as-written codes, descriptions, units and prices from the draft's extraction (which holds the
reviewer's edits after approval), the route the policy took, and the raw message as received.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.core.config import Settings
from app.core.db import make_engine, session_scope
from app.drafts.tables import DraftOrder
from app.extraction.schema import ExtractedOrder
from app.intake.service import load_raw
from app.orders.tables import Order, OrderLine

JsonObject = dict[str, Any]


def order_lines(session: Session, order_id: str) -> list[OrderLine]:
    stmt = select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.line_no))
    return list(session.exec(stmt))


def approved_orders(session: Session, *, since: datetime) -> list[Order]:
    stmt = select(Order).where(col(Order.created_at) >= since).order_by(col(Order.created_at))
    return list(session.exec(stmt))


def _number(value: object) -> int | float | None:
    if value is None:
        return None
    as_float = float(str(value))
    return int(as_float) if as_float.is_integer() else as_float


def approved_extraction(order: Order, lines: Sequence[OrderLine], draft: DraftOrder) -> JsonObject:
    """The extraction gold: the draft as written, with the order's PO, date, quantities."""
    written = ExtractedOrder.model_validate(draft.extraction or {}).as_gold_shape()
    as_written = written.get("lines")
    source_lines: list[JsonObject] = as_written if isinstance(as_written, list) else []
    gold_lines = []
    for line in lines:
        index = line.line_no - 1
        src = source_lines[index] if 0 <= index < len(source_lines) else {}
        gold_lines.append(
            {
                "customer_item_code": src.get("customer_item_code", line.customer_item_code),
                "description": src.get("description") or line.description,
                "quantity": _number(line.quantity),
                "uom": src.get("uom"),
                "unit_price": src.get("unit_price"),
            }
        )
    delivery = order.requested_delivery_date
    return {
        **written,
        "customer_po_number": order.customer_po_number,
        "requested_delivery_date": delivery.isoformat() if delivery else None,
        "lines": gold_lines,
    }


def expected_for(order: Order, lines: Sequence[OrderLine], draft: DraftOrder) -> JsonObject:
    """expected.json of an approved order."""
    return {
        "extraction": approved_extraction(order, lines, draft),
        "resolution": {
            "customer_id": order.customer_id,
            "lines": [{"sku": line.sku} for line in lines],
        },
        "route": {"decision": draft.route_decision or "review"},
        "tags": ["reviewed"] if order.approval == "human" else ["auto"],
        "source": {
            "order_id": order.id,
            "draft_id": draft.id,
            "message_id": draft.inbound_message_id,
            "approved_by": order.approved_by,
            "edited": draft.edited,
            "approved_at": order.created_at.isoformat(),
        },
    }


def export_cases(settings: Settings, *, since: datetime, directory: Path) -> list[Path]:
    """Write one case folder per order approved since `since`; the folders written."""
    engine = make_engine(settings.database_url)
    written: list[Path] = []
    try:
        with session_scope(engine) as session:
            for order in approved_orders(session, since=since):
                draft = session.get(DraftOrder, order.draft_id)
                if draft is None:
                    continue
                raw = load_raw(session, draft.inbound_message_id)
                expected = expected_for(order, order_lines(session, order.id), draft)
                written.append(write_case(directory, f"order-{order.id}", raw, expected))
    finally:
        engine.dispose()
    return written


def write_case(directory: Path, case_id: str, raw: bytes, expected: JsonObject) -> Path:
    """A case folder: message.eml as received and expected.json."""
    folder = directory / case_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "message.eml").write_bytes(raw)
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return folder

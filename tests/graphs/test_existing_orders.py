"""The duplicate-PO check reads only the customer's other drafts, matching ids loosely."""

from __future__ import annotations

from app import flows
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import DraftOrder, DraftStatus


def _draft(ctx: AppContext, key: str, customer: str, po: str, status: str) -> None:
    with session_scope(ctx.engine) as session:
        session.add(
            DraftOrder(
                id=f"dr-{key}",
                inbound_message_id=f"m-{key}",
                thread_id=f"m-{key}",
                customer_id=customer,
                customer_po_number=po,
                status=status,
            )
        )


def test_only_the_customers_live_drafts_other_than_this_one(demo_ctx: AppContext) -> None:
    _draft(demo_ctx, "1", "CUST-0007", "PO-1", DraftStatus.APPROVED)
    _draft(demo_ctx, "2", " cust-0007 ", "PO-2", DraftStatus.IN_REVIEW)
    _draft(demo_ctx, "3", "CUST-0008", "PO-1", DraftStatus.APPROVED)
    _draft(demo_ctx, "4", "CUST-0007", "PO-3", DraftStatus.REJECTED)
    _draft(demo_ctx, "5", "CUST-0007", "PO-4", DraftStatus.IN_REVIEW)
    found = flows.existing_purchase_orders(
        demo_ctx.engine, customer_id="Cust-0007", exclude_draft="dr-5"
    )
    assert sorted(p.order_id for p in found) == ["dr-1", "dr-2"]

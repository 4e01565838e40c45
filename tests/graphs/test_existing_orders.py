"""The duplicate-PO check reads only the customer's other drafts, matching ids loosely."""

from __future__ import annotations

from sqlalchemy import event

from app import flows
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import CUSTOMER_KEY_INDEX, DraftOrder, DraftStatus


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


def test_the_lookup_uses_the_customer_key_index_not_a_scan(demo_ctx: AppContext) -> None:
    """Every order runs this check: without the index it reads every draft ever received."""
    statements: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        if "FROM draft_orders" in sql and "upper(trim(" in sql:
            statements.append((sql, params))

    event.listen(demo_ctx.engine, "before_cursor_execute", capture)
    try:
        flows.existing_purchase_orders(demo_ctx.engine, customer_id="C1", exclude_draft="dr-x")
    finally:
        event.remove(demo_ctx.engine, "before_cursor_execute", capture)
    assert len(statements) == 1
    sql, params = statements[0]
    with demo_ctx.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
    assert any(CUSTOMER_KEY_INDEX in str(row[-1]) for row in plan), plan

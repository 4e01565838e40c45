"""From a real message to an order: review, approve, the worker resumes the graph, the order
and its draft are readable over the API, and the outbox relay books the shipments."""

from __future__ import annotations

from app.core.context import AppContext
from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.worker import Worker
from app.outbox.relay import relay_pending
from tests.review.factory import bearer, client, process_order_message, token_for


def _resume_worker(ctx: AppContext) -> Worker:
    return Worker(ctx, registry=load_handlers(HandlerRegistry()), kinds=["resume_draft"])


def test_approved_review_becomes_an_order(demo_ctx: AppContext) -> None:
    task_id, draft_id = process_order_message(demo_ctx, "PO-7001")
    token = token_for(demo_ctx, "alice")
    with client(demo_ctx) as api:
        approved = api.post(
            f"/v1/reviews/{task_id}/approve", json={"version": 1}, headers=bearer(token)
        )
        assert approved.status_code == 200, approved.text
        assert _resume_worker(demo_ctx).run_once()

        draft = api.get(f"/v1/drafts/{draft_id}", headers=bearer(token)).json()
        assert draft["draft"]["status"] == "approved"
        order_id = draft["draft"]["order_id"]
        assert order_id
        order = api.get(f"/v1/orders/{order_id}", headers=bearer(token)).json()
        assert order["order"]["customer_id"] == "C1002"
        assert order["order"]["approved_by"] == "alice"
        assert [ln["sku"] for ln in order["lines"]] == ["ABR-1002", "PLB-1009"]
        assert order["reservations"]
        assert order["shipments"] and order["shipments"][0]["status"] == "planned"
        assert "PO-7001" in order["acknowledgement"]

        listed = api.get(
            "/v1/orders?customer_id=C1002&since=2000-01-01", headers=bearer(token)
        ).json()["items"]
        assert [o["id"] for o in listed] == [order_id]
        assert api.get("/v1/orders?customer_id=C9999", headers=bearer(token)).json()["items"] == []
        assert api.get("/v1/orders/so_missing", headers=bearer(token)).status_code == 404

        report = relay_pending(demo_ctx.engine)
        assert len(report.delivered) == 2 and not report.failed  # one booking, one ack
        booked = api.get(f"/v1/orders/{order_id}", headers=bearer(token)).json()["shipments"]
        assert booked[0]["status"] == "booked"
        assert booked[0]["booking_reference"].startswith("BK-")


def test_rejected_draft_shows_why(demo_ctx: AppContext) -> None:
    task_id, draft_id = process_order_message(demo_ctx, "PO-7002")
    token = token_for(demo_ctx, "alice")
    with client(demo_ctx) as api:
        rejected = api.post(
            f"/v1/reviews/{task_id}/reject",
            json={"version": 1, "reason": "customer cancelled by phone"},
            headers=bearer(token),
        )
        assert rejected.status_code == 200, rejected.text
        assert _resume_worker(demo_ctx).run_once()
        draft = api.get(f"/v1/drafts/{draft_id}", headers=bearer(token)).json()
        assert draft["draft"]["status"] == "rejected"
        assert draft["draft"]["rejection_reason"] == "customer cancelled by phone"
        assert draft["extraction"]["customer_po_number"]["value"] == "PO-7002"
        assert draft["extraction"]["customer_po_number"]["confidence"] > 0
        assert draft["enrichment"]["outcomes"]
        listed = api.get("/v1/drafts?status=rejected", headers=bearer(token)).json()["items"]
        assert [d["id"] for d in listed] == [draft_id]

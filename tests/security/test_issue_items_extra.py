"""Issue items not covered elsewhere: MIME limits through the pipeline, spoofed senders,
outbox rows under two relays on PostgreSQL, and log lines that cannot be forged."""

from __future__ import annotations

import json
import logging
import threading
from email.message import EmailMessage

import pytest
from sqlmodel import Session, select

from app.audit.tables import AuditEvent, OutboxEvent
from app.core.context import AppContext
from app.core.db import session_scope
from app.core.logging import JsonFormatter
from app.drafts.tables import DraftOrder, DraftStatus
from app.intake.service import store_inbound
from app.intake.tables import InboundMessage, MessageSource, MessageStatus
from app.orders.tables import Shipment
from app.outbox.relay import ACK_SENT, relay_pending
from app.pipeline import GraphRunner
from tests.outbox.test_relay import order_with_effects


def _process(ctx: AppContext, raw: bytes) -> str:
    with session_scope(ctx.engine) as session:
        message, _ = store_inbound(session, raw=raw, source=MessageSource.CLI)
    GraphRunner.for_context(ctx).process(message.id)
    return message.id


def _nested(depth: int) -> bytes:
    inner = EmailMessage()
    inner.set_content("Please send 10 x ABR-1015")
    for _ in range(depth):
        outer = EmailMessage()
        outer["Subject"] = "fw"
        outer.add_attachment(inner)
        inner = outer
    inner["From"] = "Mike Kowalski <mkowalski@greatlakesfab.com>"
    inner["Message-ID"] = "<deep@example.com>"
    return bytes(inner)


def test_mime_nested_deeper_than_ten_levels_is_quarantined(demo_ctx: AppContext) -> None:
    message_id = _process(demo_ctx, _nested(14))
    with Session(demo_ctx.engine) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None and message.status == MessageStatus.QUARANTINED
        assert "mime_depth" in (message.quarantine_reason or "")
        draft = s.exec(select(DraftOrder)).one()
        assert draft.status == DraftStatus.QUARANTINED


def test_more_than_a_hundred_parts_is_quarantined(demo_ctx: AppContext) -> None:
    msg = EmailMessage()
    msg["From"] = "Mike Kowalski <mkowalski@greatlakesfab.com>"
    msg["Message-ID"] = "<many@example.com>"
    msg.set_content("see attachments")
    for n in range(120):
        msg.add_attachment(
            f"part {n}".encode(), maintype="text", subtype="plain", filename=f"p{n}.txt"
        )
    message_id = _process(demo_ctx, bytes(msg))
    with Session(demo_ctx.engine) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None and message.status == MessageStatus.QUARANTINED
        assert "mime_parts" in (message.quarantine_reason or "")


def test_a_po_inside_a_forwarded_message_is_still_extracted(demo_ctx: AppContext) -> None:
    order = EmailMessage()
    order["From"] = "Mike Kowalski <mkowalski@greatlakesfab.com>"
    order["Subject"] = "PO 7781"
    order.set_content("PO 7781\n\nABR-1015 | Chop saw wheel | 10 | EA\n")
    outer = EmailMessage()
    outer["From"] = "Mike Kowalski <mkowalski@greatlakesfab.com>"
    outer["Message-ID"] = "<fwd@example.com>"
    outer["Subject"] = "Fwd: PO 7781"
    outer.set_content("Forwarding the order below.")
    outer.add_attachment(order)
    _process(demo_ctx, bytes(outer))
    with Session(demo_ctx.engine) as s:
        draft = s.exec(select(DraftOrder)).one()
    lines = draft.extraction["lines"]
    assert [(ln["customer_item_code"]["value"], ln["quantity"]["value"]) for ln in lines] == [
        ("ABR-1015", "10")
    ]


@pytest.mark.parametrize(
    "from_header",
    [
        '"mkowalski@greatlakesfab.com" <attacker@evil.example>',
        "mkowalski@greatlakesfab.com <attacker@evil.example>",
        "Mike <mkowalski@greatlakesfab.com@evil.example>",
    ],
)
def test_a_display_name_posing_as_a_customer_address_never_matches_it(
    demo_ctx: AppContext, from_header: str
) -> None:
    msg = EmailMessage()
    msg["From"] = from_header
    msg["Message-ID"] = f"<spoof-{abs(hash(from_header))}@example.com>"
    msg["Subject"] = "PO 999"
    msg.set_content("PO 999\n\nABR-1015 | Chop saw wheel | 10 | EA\n")
    _process(demo_ctx, bytes(msg))
    with Session(demo_ctx.engine) as s:
        draft = s.exec(select(DraftOrder)).one()
    assert draft.customer_id != "C1001"
    assert "unknown_customer" in draft.reasons and draft.route_decision == "review"


@pytest.mark.postgres
def test_two_relays_never_deliver_the_same_outbox_row(pg_demo_ctx: AppContext) -> None:
    for n in range(30):
        order_with_effects(pg_demo_ctx, draft_id=f"dr_{n}")
    barrier = threading.Barrier(2)

    def relay() -> None:
        barrier.wait()
        relay_pending(pg_demo_ctx.engine)

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with Session(pg_demo_ctx.engine) as s:
        assert {e.status for e in s.exec(select(OutboxEvent))} == {"delivered"}
        sent = s.exec(select(AuditEvent).where(AuditEvent.action == ACK_SENT)).all()
        assert len(sent) == 30, "each acknowledgement was sent once"
        assert all(sh.status == "booked" for sh in s.exec(select(Shipment)))


def test_cr_lf_in_a_subject_cannot_forge_a_log_line() -> None:
    subject = 'PO 1\r\n{"level": "INFO", "msg": "order approved by admin"}'
    record = logging.makeLogRecord(
        {"msg": "received %s", "args": (subject,), "levelname": "INFO", "name": "app.intake"}
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line and "\r" not in line
    assert json.loads(line)["msg"] == f"received {subject}"


def test_refused_actions_are_audited_with_the_actor(demo_ctx: AppContext) -> None:
    from fastapi.testclient import TestClient

    from app.auth.service import issue_token
    from app.auth.tables import Role
    from app.main import create_app

    with session_scope(demo_ctx.engine) as session:
        token = issue_token(session, name="rita-cli", role=Role.REVIEWER)
    app = create_app(demo_ctx.settings, context=demo_ctx, migrate=False, start_worker=False)
    with TestClient(app) as client:
        refused = client.get("/v1/admin/audit", headers={"Authorization": f"Bearer {token}"})
        anonymous = client.get("/v1/admin/audit")
    assert (refused.status_code, anonymous.status_code) == (403, 401)
    with Session(demo_ctx.engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "request.refused")).all()
    assert [(e.actor, e.entity_id) for e in events] == [("token:rita-cli", "GET /v1/admin/audit")]
    assert events[0].reason and events[0].reason.startswith("forbidden")


def test_every_state_change_of_an_order_is_in_the_audit_log(demo_ctx: AppContext) -> None:
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "app" / "demo_inbox" / "03.eml"
    _process(demo_ctx, demo.read_bytes())
    with Session(demo_ctx.engine) as s:
        events = s.exec(select(AuditEvent)).all()
    actions = {e.action for e in events}
    assert {"draft.routed", "stock.held", "order.committed"} <= actions
    for e in events:
        assert e.actor and e.at.tzinfo is not None and e.hash and e.prev_hash
    routed = next(e for e in events if e.action == "draft.routed")
    assert routed.before_digest and routed.after_digest
    assert routed.before_digest != routed.after_digest

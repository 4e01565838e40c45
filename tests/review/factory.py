"""Test plumbing for the review API: people, tokens, drafts in review, a client."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import select

from app.auth.service import create_user, issue_token
from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import DraftLine, DraftOrder, DraftStatus
from app.intake.service import store_inbound
from app.intake.tables import MessageSource
from app.main import create_app
from app.pipeline import GraphRunner
from app.review.service import open_task
from app.review.tables import ReviewTask

PASSWORD = "correct horse battery staple"

# A known customer ordering two demo items: routed to review (the rules extractor's confidence
# is below the auto threshold), with a ship-to the fulfilment plan can use.
ORDER_EML = """From: Nora Nakamura <orders@summitmech.com>
To: orders@northwind-supply.example
Subject: Order {po}
Date: Sun, 25 Oct 2026 14:18:50 -0500
Message-ID: <{po}@summitmech.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Hello team,

Order - Summit Mechanical Contractors LLC
PO #: {po}

1) 25 EA ABR-1002 Cut-Off Wheel, Type 1, 5 x .045 x 7/8 in
2) {qty} EA PLB-1009 Brass Ball Valve, Full Port, 600 WOG, 1/2 in FNPT

Ship to:
  Summit Mechanical Contractors LLC - Shop
  2215 Federal Blvd
  Denver, CO 80211

Thank you,
Nora Nakamura
Summit Mechanical Contractors LLC
"""


def client(ctx: AppContext, *, raise_server_exceptions: bool = True) -> TestClient:
    app = create_app(ctx.settings, context=ctx, migrate=False, start_worker=False)
    return TestClient(
        app, base_url="https://testserver", raise_server_exceptions=raise_server_exceptions
    )


def make_user(
    ctx: AppContext, username: str, role: Role = Role.REVIEWER, limit: str = "100000"
) -> None:
    with session_scope(ctx.engine) as session:
        create_user(
            session, username=username, password=PASSWORD, role=role, approval_limit=Decimal(limit)
        )


def token_for(
    ctx: AppContext, username: str | None, role: Role = Role.REVIEWER, limit: str = "100000"
) -> str:
    """A bearer token acting as a (new) user with this role and limit."""
    if username is not None:
        make_user(ctx, username, role, limit)
    with session_scope(ctx.engine) as session:
        return issue_token(session, name=f"t-{username or role}", role=role, username=username)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_task(
    ctx: AppContext,
    *,
    lines: Sequence[tuple[str | None, str | None, str]] = (
        ("SUM-1", "ABR-1002", "25"),
        ("SUM-2", "PLB-1009", "8"),
    ),
    customer_id: str | None = "C1002",
    queue: str = "exceptions",
    reasons: Sequence[str] = ("unknown_item",),
    sla_hours: float = 4.0,
    ship_to_id: str | None = "C1002-1",
) -> tuple[str, str]:
    """A draft in review with (customer item code, sku, quantity) lines; (task id, draft id)."""
    with session_scope(ctx.engine) as session:
        message_id = f"msg_{uuid.uuid4().hex}"
        draft = DraftOrder(
            inbound_message_id=message_id,
            thread_id=message_id,
            status=DraftStatus.IN_REVIEW,
            route_decision="review",
            reasons=list(reasons),
            queue=queue,
            customer_id=customer_id,
            customer_po_number=f"PO-{message_id[-6:]}",
            currency="USD",
            explanations={r: f"because {r}" for r in reasons},
            resolution=_resolution(customer_id, ship_to_id),
        )
        session.add(draft)
        session.flush()
        for no, (code, sku, qty) in enumerate(lines, start=1):
            session.add(
                DraftLine(
                    draft_id=draft.id,
                    line_no=no,
                    customer_item_code=code,
                    description=f"item {code}",
                    quantity=Decimal(qty),
                    uom="EA",
                    sku=sku,
                    sku_confidence=0.5 if sku else 0.0,
                )
            )
        task = open_task(
            session,
            draft=draft,
            queue=queue,
            priority=3,
            sla_hours=sla_hours,
            reasons=list(reasons),
            explanations={r: f"because {r}" for r in reasons},
        )
        return task.id, draft.id


def _resolution(customer_id: str | None, ship_to_id: str | None) -> dict[str, object]:
    """A stored resolution naming the customer and (when given) a known ship-to."""
    from app.resolution.models import Resolution, ResolvedOrder, ShipToResolution

    return ResolvedOrder(
        customer=Resolution[str](value=customer_id, confidence=0.99 if customer_id else 0.0),
        ship_to=ShipToResolution(
            value=ship_to_id,
            confidence=0.99 if ship_to_id else 0.0,
            method="match" if ship_to_id else "none",
        ),
    ).model_dump(mode="json")


def task_version(ctx: AppContext, task_id: str) -> int:
    with session_scope(ctx.engine) as session:
        task = session.get(ReviewTask, task_id)
        assert task is not None
        return task.version


def process_order_message(ctx: AppContext, po: str, qty: int = 8) -> tuple[str, str]:
    """Store a real message and run it through the graph to review; (task id, draft id)."""
    with session_scope(ctx.engine) as session:
        message, _ = store_inbound(
            session, raw=ORDER_EML.format(po=po, qty=qty).encode(), source=MessageSource.CLI
        )
        message_id = message.id
    state = GraphRunner.for_context(ctx).process(message_id)
    with session_scope(ctx.engine) as session:
        task = session.exec(select(ReviewTask).where(ReviewTask.draft_id == state.draft_id)).one()
        return task.id, task.draft_id

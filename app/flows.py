"""Units of work that span domains, called by graph nodes; each is one transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from opentelemetry import trace
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.core.config import Settings
from app.core.db import read_scope, session_scope
from app.core.time import utcnow
from app.documents.isolation import parse_in_subprocess
from app.documents.model import ParsedMessage
from app.drafts import service as drafts
from app.drafts.tables import DraftLine, DraftOrder, DraftStatus
from app.intake import repository as inbound
from app.intake.tables import MessageStatus
from app.orders.commit import create_order
from app.review.service import open_task
from tools.credit import ExistingPo

if TYPE_CHECKING:
    from graphs.state import OrderState, Outcome


def parse_stored_message(engine: Engine, settings: Settings, message_id: str) -> ParsedMessage:
    """The stored raw message, parsed in a sandboxed child process."""
    with read_scope(engine) as session:
        raw = inbound.raw_bytes(session, message_id)
    if raw is None:
        return ParsedMessage(problems=["parse_failure: raw message missing"])
    return parse_in_subprocess(
        raw,
        cpu_s=settings.parse_cpu_s,
        wall_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
        max_pages=settings.pdf_max_pages,
    )


def existing_purchase_orders(
    engine: Engine, *, customer_id: str, exclude_draft: str
) -> list[ExistingPo]:
    """PO numbers of the customer's other drafts and orders, for the duplicate check."""
    customer = customer_id.strip().upper()
    with read_scope(engine) as session:
        rows = session.exec(
            select(DraftOrder.customer_id, DraftOrder.customer_po_number, DraftOrder.id).where(
                func.upper(func.trim(col(DraftOrder.customer_id))) == customer,
                col(DraftOrder.customer_po_number).is_not(None),
                DraftOrder.id != exclude_draft,
                col(DraftOrder.status).not_in([DraftStatus.REJECTED, DraftStatus.NOT_AN_ORDER]),
            )
        )
        return [ExistingPo(customer_id=c, po_number=p, order_id=i) for c, p, i in rows if c and p]


def record_routed_draft(engine: Engine, state: OrderState) -> None:
    """Store what the graph made of the message, and open a review task when one is due."""
    assert state.route is not None and state.extracted is not None
    with session_scope(engine) as session:
        draft = drafts.get_draft(session, state.draft_id)
        before = _summary(draft)
        route = state.route
        review = route.decision == "review"
        _fill_draft(session, draft, state, **({"status": DraftStatus.IN_REVIEW} if review else {}))
        if review:
            open_task(
                session,
                draft=draft,
                queue=route.queue or "exceptions",
                priority=route.priority or 5,
                sla_hours=route.sla_hours or 24,
                reasons=list(route.reasons),
                explanations={e.code: e.text for e in route.explanations},
            )
        audit.record(
            session,
            actor="policy",
            action="draft.routed",
            entity="draft",
            entity_id=draft.id,
            before=before,
            after=_summary(draft),
            reason=", ".join(route.reasons) or "auto-approve",
        )


def _fill_draft(session: Session, draft: DraftOrder, state: OrderState, **also: object) -> None:
    """The draft's fields and lines from the state, in one UPDATE with `also` (a status)."""
    assert state.extracted is not None and state.route is not None
    ext, res, enr = state.extracted, state.resolved, state.enrichment
    usage = ext.usage
    drafts.update_draft(
        session,
        draft,
        **also,
        route_decision=state.route.decision,
        reasons=list(state.route.reasons),
        queue=state.route.queue,
        extractor=ext.extractor,
        document_confidence=state.facts.document_confidence if state.facts else None,
        customer_id=res.customer.value if res else None,
        customer_po_number=ext.customer_po_number.value,
        currency=state.facts.currency if state.facts else ext.currency.value,
        total=drafts.money(state.facts.order_total if state.facts else None),
        stated_total=ext.total.value,
        extraction=ext.model_dump(mode="json"),
        resolution=res.model_dump(mode="json") if res else {},
        enrichment=enr.model_dump(mode="json") if enr else {},
        facts=state.facts.model_dump(mode="json") if state.facts else {},
        explanations={e.code: e.text for e in state.route.explanations},
        tokens_input=usage.input_tokens if usage else 0,
        tokens_output=usage.output_tokens if usage else 0,
    )
    drafts.replace_lines(session, draft.id, _draft_lines(state))


def _draft_lines(state: OrderState) -> list[DraftLine]:
    assert state.extracted is not None
    res_lines = {ln.index: ln for ln in (state.resolved.lines if state.resolved else [])}
    out: list[DraftLine] = []
    for i, line in enumerate(state.extracted.lines):
        r = res_lines.get(i)
        quote = (
            state.enrichment.quote_for(r.item.value, r.quantity)
            if state.enrichment and r and r.item.value and r.quantity is not None
            else None
        )
        unit = (quote or {}).get("unit_price_ordered") or {}
        ext_price = (quote or {}).get("extended_price") or {}
        out.append(
            DraftLine(
                draft_id=state.draft_id,
                line_no=i + 1,
                customer_item_code=line.customer_item_code.value,
                description=line.description.value,
                quantity=line.quantity.value,
                uom=line.uom.value,
                stated_unit_price=line.unit_price.value,
                confidence=min(
                    line.quantity.confidence,
                    max(line.customer_item_code.confidence, line.description.confidence),
                ),
                field_confidence={
                    k: getattr(line, k).confidence
                    for k in ("customer_item_code", "description", "quantity", "uom", "unit_price")
                },
                sku=r.item.value if r else None,
                sku_confidence=r.item.confidence if r else 0.0,
                base_quantity=r.base_quantity if r else None,
                unit_price=_dec(unit.get("amount")),
                price_source=(quote or {}).get("source"),
                extended_price=_dec(ext_price.get("amount")),
                flags=list(r.flags) if r else [],
            )
        )
    return out


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _summary(draft: DraftOrder) -> dict[str, object]:
    return {
        "status": draft.status,
        "route": draft.route_decision,
        "reasons": draft.reasons,
        "customer": draft.customer_id,
        "po": draft.customer_po_number,
        "total": str(draft.total) if draft.total is not None else None,
    }


def commit_order(engine: Engine, state: OrderState, *, now: datetime) -> str:
    """Create the order (once per draft) with reservations, shipments and outbox effects."""
    with session_scope(engine) as session:
        draft = drafts.get_draft(session, state.draft_id)
        if draft.order_id:
            return draft.order_id  # committed before: nothing twice
        if state.decision is not None:
            _fill_draft(session, draft, state)
        order = create_order(session, draft=draft, state=state, now=now)
        resumed_in = _current_trace_id()
        if order.resume_trace_id is None and resumed_in not in (None, order.trace_id):
            order.resume_trace_id = resumed_in  # committed after review, in the resume's trace
            session.add(order)
        actor = state.decision.actor if state.decision else "policy"
        drafts.set_status(
            session,
            draft,
            DraftStatus.APPROVED,
            order_id=order.id,
            edited=bool(state.decision and not state.decision.edits.is_empty()),
        )
        _mark_message(session, state.message_id, MessageStatus.PROCESSED, draft.id)
        audit.record(
            session,
            actor=actor,
            action="order.committed",
            entity="order",
            entity_id=order.id,
            after={"draft": draft.id, "total": str(order.total)},
            reason="auto-approved by policy" if actor == "policy" else "approved",
        )
        return order.id


def finish_draft(engine: Engine, state: OrderState, outcome: Outcome) -> None:
    """Close a draft that will not become an order: rejected, not an order, or quarantined."""
    with session_scope(engine) as session:
        draft = drafts.get_draft(session, state.draft_id)
        if outcome.kind == "quarantined":
            _quarantine(session, state.message_id, outcome.reason or "unreadable")
            drafts.set_status(
                session, draft, DraftStatus.QUARANTINED, rejection_reason=outcome.reason
            )
            return
        status = DraftStatus.REJECTED if outcome.kind == "rejected" else DraftStatus.NOT_AN_ORDER
        actor = state.decision.actor if state.decision else "policy"
        drafts.set_status(session, draft, status, rejection_reason=outcome.reason)
        _mark_message(session, state.message_id, MessageStatus.PROCESSED, draft.id)
        audit.record(
            session,
            actor=actor,
            action=f"draft.{outcome.kind}",
            entity="draft",
            entity_id=draft.id,
            reason=outcome.reason,
        )


def _mark_message(
    session: Session, message_id: str, status: MessageStatus, draft_id: str | None
) -> None:
    message = inbound.get(session, message_id)
    if message is not None:
        message.status = status
        message.draft_id = draft_id
        message.updated_at = utcnow()
        session.add(message)


def _quarantine(session: Session, message_id: str, reason: str) -> None:
    message = inbound.get(session, message_id)
    if message is None:
        return
    message.status = MessageStatus.QUARANTINED
    message.quarantine_reason = reason
    message.updated_at = utcnow()
    session.add(message)
    audit.record(
        session,
        actor="worker",
        action="message.quarantined",
        entity="message",
        entity_id=message_id,
        reason=reason,
    )


def _current_trace_id() -> str | None:
    span = trace.get_current_span().get_span_context()
    return format(span.trace_id, "032x") if span.is_valid else None

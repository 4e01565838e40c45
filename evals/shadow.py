"""Shadow mode: stored real messages re-run with a candidate policy, prompt or model.

The live database is only read: its messages, drafts and orders, and its master data (exported
to CSV). Everything runs again in a throwaway SQLite copy, message after message in the order
they arrived, and each message's new draft is compared with what was decided and approved.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from sqlmodel import Session, col, select

from app.core.config import Settings
from app.core.context import AppContext
from app.core.db import make_engine, session_scope
from app.drafts import service as drafts
from app.drafts.tables import DraftOrder
from app.extraction.base import Extractor
from app.ingest_cli import draft_answer
from app.intake.service import load_raw, store_inbound
from app.intake.tables import InboundMessage, MessageSource
from app.masterdata.service import export_directory
from app.orders.tables import Order
from app.routing.policy import RoutingPolicy
from evals.export import expected_for, order_lines
from evals.runner import CaseGraphRunner, TemplateDatabase, case_settings
from evals.scoring import HEADER_FIELDS, score_case

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class StoredMessage:
    """One live message as it was: its bytes, its draft's answer, and the approved order."""

    message_id: str
    source: str
    subject: str | None
    sender: str | None
    received_at: datetime
    raw: bytes
    before: JsonObject | None  # draft_answer of the live draft
    approved: JsonObject | None  # expected_for of the live order


def read_live(session: Session, *, since: datetime, limit: int | None) -> list[StoredMessage]:
    """Messages received since `since`, oldest first, with what was decided about them."""
    stmt = (
        select(InboundMessage)
        .where(col(InboundMessage.received_at) >= since)
        .order_by(col(InboundMessage.received_at))
    )
    out: list[StoredMessage] = []
    for message in session.exec(stmt).all()[:limit]:
        draft = session.get(DraftOrder, drafts.draft_id_for(message.id))
        order = (
            session.exec(select(Order).where(Order.draft_id == draft.id)).first()
            if draft is not None
            else None
        )
        out.append(
            StoredMessage(
                message_id=message.id,
                source=message.source,
                subject=message.subject,
                sender=message.sender,
                received_at=message.received_at,
                raw=load_raw(session, message.id),
                before=draft_answer(draft) if draft is not None else None,
                approved=(
                    expected_for(order, order_lines(session, order.id), draft)
                    if order is not None and draft is not None
                    else None
                ),
            )
        )
    return out


def run_shadow(
    settings: Settings,
    *,
    since: datetime,
    extractor: Extractor,
    policy: RoutingPolicy,
    limit: int | None = None,
) -> JsonObject:
    """Re-run the live messages since `since` in a throwaway copy; what would have changed."""
    live = make_engine(settings.database_url)
    with tempfile.TemporaryDirectory(prefix="intake-shadow-") as tmp:
        masterdata = Path(tmp) / "masterdata"
        try:
            with session_scope(live) as session:
                messages = read_live(session, since=since, limit=limit)
                export_directory(session, masterdata)
        finally:
            live.dispose()
        template = TemplateDatabase(Path(tmp), masterdata, base_currency=settings.base_currency)
        results = _replay(settings, template, messages, extractor, policy)
    return {
        "since": since.isoformat(),
        "database": _redacted(settings.database_url),
        "extractor": getattr(extractor, "name", "?"),
        "auto_min_confidence": policy.thresholds.auto_min_confidence,
        "messages": len(results),
        "summary": _summary(results),
        "per_message": results,
    }


def _redacted(url: str) -> str:
    """The database URL without a password."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{tail}"


def _replay(
    settings: Settings,
    template: TemplateDatabase,
    messages: Sequence[StoredMessage],
    extractor: Extractor,
    policy: RoutingPolicy,
) -> list[JsonObject]:
    url = template.copy_for("shadow")
    ctx = AppContext(
        settings=case_settings(settings, url, template.workdir / "shadow" / "data"),
        engine=make_engine(url),
        tracer_provider=TracerProvider(),
    )
    runner = CaseGraphRunner(
        ctx=ctx, extractor=extractor, policy=policy, masterdata=template.masterdata
    )
    results = []
    try:
        for stored in messages:
            runner.clock = lambda at=stored.received_at: at
            results.append(compare(stored, _rerun(runner, stored)))
    finally:
        close = getattr(getattr(runner.graph.checkpointer, "conn", None), "close", None)
        if callable(close):
            close()
        ctx.engine.dispose()
    return results


def _rerun(runner: CaseGraphRunner, stored: StoredMessage) -> JsonObject | str:
    """The new draft's answer, or why the candidate failed on the message."""
    engine = runner.ctx.engine
    try:
        with session_scope(engine) as session:
            message, _ = store_inbound(session, raw=stored.raw, source=MessageSource(stored.source))
            message_id = message.id
        runner.process(message_id)
        with session_scope(engine) as session:
            return draft_answer(drafts.get_draft(session, drafts.draft_id_for(message_id)))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:500]


def compare(stored: StoredMessage, after: JsonObject | str) -> JsonObject:
    """What changed for one message: route, reasons, fields, and lines against the approval."""
    row: JsonObject = {
        "message_id": stored.message_id,
        "subject": stored.subject,
        "sender": stored.sender,
        "received_at": stored.received_at.isoformat(),
        "before": _brief(stored.before),
        "approved": stored.approved,
        "after": _brief(after) if isinstance(after, dict) else None,
        "error": after if isinstance(after, str) else None,
    }
    if not isinstance(after, dict):
        return row
    before = stored.before or {"route": {"decision": None, "reasons": []}, "extraction": {}}
    was, now = before["route"], after["route"]
    row["route_changed"] = was["decision"] != now["decision"]
    row["reasons_added"] = sorted(set(now["reasons"]) - set(was["reasons"]))
    row["reasons_removed"] = sorted(set(was["reasons"]) - set(now["reasons"]))
    changed = score_case({"extraction": before["extraction"]}, after)
    row["fields_changed"] = [f for f in HEADER_FIELDS if changed.fields.get(f) is False]
    row["lines_changed"] = not changed.lines_right
    if stored.approved is not None:
        against = score_case(stored.approved, after)
        row["against_approved"] = {
            "exact": against.exact,
            "errors": against.errors,
            "true_positives": against.true_positives,
            "approved_lines": against.gold_lines,
            "new_lines": against.predicted_lines,
        }
    return row


def _brief(answer: JsonObject | None) -> JsonObject | None:
    if answer is None:
        return None
    keys = (
        "draft_id",
        "status",
        "route",
        "extraction",
        "document_confidence",
        "customer_id",
        "total",
        "order_id",
    )
    return {k: answer.get(k) for k in keys}


def _summary(results: Sequence[JsonObject]) -> JsonObject:
    compared = [r for r in results if r.get("after") is not None]
    was_auto = [
        r for r in compared if (r["before"] or {}).get("route", {}).get("decision") == "auto"
    ]
    now_auto = [r for r in compared if r["after"]["route"]["decision"] == "auto"]
    approved = [r for r in compared if "against_approved" in r]
    return {
        "compared": len(compared),
        "errors": len(results) - len(compared),
        "route_changed": sum(bool(r["route_changed"]) for r in compared),
        "auto_before": len(was_auto),
        "auto_after": len(now_auto),
        "review_to_auto": sum(r in now_auto and r not in was_auto for r in compared),
        "auto_to_review": sum(r in was_auto and r not in now_auto for r in compared),
        "fields_changed": sum(bool(r["fields_changed"]) for r in compared),
        "lines_changed": sum(bool(r["lines_changed"]) for r in compared),
        "approved": len(approved),
        "approved_now_exact": sum(r["against_approved"]["exact"] for r in approved),
        "approved_now_auto_but_wrong": sum(
            r in now_auto and not r["against_approved"]["exact"] for r in approved
        ),
    }


def shadow_summary(result: JsonObject) -> str:
    """What the shadow run found, one screen."""
    s = result["summary"]
    lines = [
        f"shadow run since {result['since']}: {result['messages']} messages, extractor "
        f"{result['extractor']}, auto_min_confidence {result['auto_min_confidence']}",
        f"  compared {s['compared']}  errors {s['errors']}  route changed "
        f"{s['route_changed']} (review->auto {s['review_to_auto']}, auto->review "
        f"{s['auto_to_review']})  auto {s['auto_before']} -> {s['auto_after']}",
        f"  extraction changed: fields {s['fields_changed']}, lines {s['lines_changed']}   "
        f"approved orders {s['approved']}: new extraction exact {s['approved_now_exact']}, "
        f"auto but wrong {s['approved_now_auto_but_wrong']}",
    ]
    for r in result["per_message"]:
        if r.get("error"):
            lines.append(f"  {r['message_id']}: failed: {r['error']}")
            continue
        notes = []
        if r["route_changed"]:
            was = (r["before"] or {}).get("route", {}).get("decision")
            notes.append(f"route {was} -> {r['after']['route']['decision']}")
        if r["reasons_added"]:
            notes.append("+" + ",".join(r["reasons_added"]))
        if r["reasons_removed"]:
            notes.append("-" + ",".join(r["reasons_removed"]))
        if r["fields_changed"]:
            notes.append("fields " + ",".join(r["fields_changed"]))
        if r["lines_changed"]:
            notes.append("lines")
        if "against_approved" in r and not r["against_approved"]["exact"]:
            notes.append("differs from approved: " + ",".join(r["against_approved"]["errors"]))
        if notes:
            lines.append(f"  {r['message_id']} {r['subject'] or ''}: {'; '.join(notes)}")
    return "\n".join(lines)

"""Review queues: list, claim, release, approve, reject and escalate, with optimistic locks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from opentelemetry import trace
from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.audit import service as audit
from app.auth.service import Principal
from app.auth.tables import Role
from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.core.time import utcnow
from app.corrections.service import propose_from_edits
from app.drafts.service import get_draft, lines_of
from app.drafts.tables import DraftLine, DraftOrder
from app.jobs.service import enqueue
from app.review.schemas import DraftEdits, LineEdit, ReviewDecision
from app.review.tables import ReviewTask, TaskStatus
from tools.masterdata import MasterData
from tools.pricing import quote_price

OPEN_STATES = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class TaskView(BaseModel):
    """A task as the queue shows it: with its age and whether its SLA is breached."""

    id: str
    draft_id: str
    queue: str
    priority: int
    reasons: list[str]
    status: str
    assignee: str | None
    escalated: bool
    version: int
    created_at: datetime
    sla_due_at: datetime
    age_minutes: int
    breached: bool
    customer_id: str | None
    customer_po_number: str | None
    total: Decimal | None
    currency: str | None
    approvals: list[str]


def open_task(
    session: Session,
    *,
    draft: DraftOrder,
    queue: str,
    priority: int,
    sla_hours: float,
    reasons: list[str],
    explanations: dict[str, str],
) -> ReviewTask:
    """The review task of a draft, created once (the draft id is unique on tasks)."""
    existing = session.exec(select(ReviewTask).where(ReviewTask.draft_id == draft.id)).first()
    if existing is not None:
        return existing
    now = utcnow()
    task = ReviewTask(
        draft_id=draft.id,
        queue=queue,
        priority=priority,
        reasons=reasons,
        explanations=explanations,
        sla_due_at=now + timedelta(hours=sla_hours),
        created_at=now,
        updated_at=now,
    )
    session.add(task)
    session.flush()
    audit.record(
        session,
        actor="policy",
        action="review.opened",
        entity="review_task",
        entity_id=task.id,
        after={"queue": queue, "reasons": reasons},
        detail={"draft_id": draft.id},
    )
    return task


def list_tasks(
    session: Session,
    *,
    queue: str | None = None,
    status: str | None = None,
    assignee: str | None = None,
    limit: int = 200,
) -> list[TaskView]:
    stmt = select(ReviewTask, DraftOrder).join(
        DraftOrder, col(DraftOrder.id) == col(ReviewTask.draft_id)
    )
    if queue:
        stmt = stmt.where(ReviewTask.queue == queue)
    if status:
        stmt = stmt.where(ReviewTask.status == status)
    else:
        stmt = stmt.where(col(ReviewTask.status).in_(list(OPEN_STATES)))
    if assignee:
        stmt = stmt.where(ReviewTask.assignee == assignee)
    stmt = stmt.order_by(col(ReviewTask.priority), col(ReviewTask.sla_due_at)).limit(limit)
    now = utcnow()
    return [view(task, draft, now) for task, draft in session.exec(stmt)]


def queue_counts(session: Session) -> dict[str, int]:
    stmt = (
        select(ReviewTask.queue, func.count())
        .where(col(ReviewTask.status).in_(list(OPEN_STATES)))
        .group_by(ReviewTask.queue)
    )
    return {q: n for q, n in session.exec(stmt)}


def view(task: ReviewTask, draft: DraftOrder, now: datetime | None = None) -> TaskView:
    now = now or utcnow()
    return TaskView(
        id=task.id,
        draft_id=task.draft_id,
        queue=task.queue,
        priority=task.priority,
        reasons=task.reasons,
        status=task.status,
        assignee=task.assignee,
        escalated=task.escalated,
        version=task.version,
        created_at=task.created_at,
        sla_due_at=task.sla_due_at,
        age_minutes=int((now - task.created_at).total_seconds() // 60),
        breached=task.status in OPEN_STATES and now > task.sla_due_at,
        customer_id=draft.customer_id,
        customer_po_number=draft.customer_po_number,
        total=draft.total,
        currency=draft.currency,
        approvals=list(task.decision.get("approvals", [])),
    )


def get_task(session: Session, task_id: str) -> ReviewTask:
    task = session.get(ReviewTask, task_id)
    if task is None:
        raise NotFound(f"review task {task_id} not found", code="task_not_found")
    return task


def _bump(session: Session, task: ReviewTask, version: int, **values: Any) -> None:
    """Apply a change only if nobody changed the task since `version` was read (else 409)."""
    values["updated_at"] = utcnow()
    result = session.execute(
        update(ReviewTask)
        .where(col(ReviewTask.id) == task.id, col(ReviewTask.version) == version)
        .values(version=version + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "the task changed since you loaded it; reload and try again",
            code="stale_task",
            details={"task_id": task.id},
        )
    session.expire(task)


def _record_action(
    session: Session, task: ReviewTask, actor: str, action: str, **fields: Any
) -> None:
    """A reviewer's action: in the audit log, and as an event on the current span (the request
    or the job), both naming the draft so the draft's timeline shows it."""
    detail = {"draft_id": task.draft_id, **fields.pop("detail", {})}
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="review_task",
        entity_id=task.id,
        detail=detail,
        **fields,
    )
    trace.get_current_span().add_event(
        action, {"intake.actor": actor, "intake.task_id": task.id, "intake.draft_id": task.draft_id}
    )


def _require_open(task: ReviewTask) -> None:
    if task.status not in OPEN_STATES:
        raise Conflict(f"task is {task.status}", code="task_closed")


def claim(session: Session, principal: Principal, task_id: str, version: int) -> ReviewTask:
    task = get_task(session, task_id)
    _require_open(task)
    if task.assignee not in (None, principal.username):
        raise Conflict(f"task is claimed by {task.assignee}", code="task_claimed")
    _bump(session, task, version, assignee=principal.username, status=TaskStatus.CLAIMED)
    _record_action(session, task, principal.username, "review.claim")
    return get_task(session, task_id)


def release(session: Session, principal: Principal, task_id: str, version: int) -> ReviewTask:
    task = get_task(session, task_id)
    _require_open(task)
    if task.assignee not in (None, principal.username) and principal.role != Role.ADMIN:
        raise Forbidden("only the assignee or an admin may release a task", code="not_assignee")
    _bump(session, task, version, assignee=None, status=TaskStatus.OPEN)
    _record_action(session, task, principal.username, "review.release")
    return get_task(session, task_id)


def escalate(session: Session, actor: str, task_id: str, version: int, reason: str) -> ReviewTask:
    task = get_task(session, task_id)
    _require_open(task)
    left = task.queue  # read before the change: _bump expires the task
    _bump(
        session,
        task,
        version,
        assignee=None,
        status=TaskStatus.OPEN,
        escalated=True,
        queue="escalation",
        priority=0,
    )
    _record_action(
        session,
        task,
        actor,
        "review.escalate",
        reason=reason,
        before={"queue": left},
        after={"queue": "escalation"},
    )
    return get_task(session, task_id)


def escalate_overdue(session: Session, now: datetime | None = None) -> list[str]:
    """Escalate every open task past its SLA (the scheduled check); returns their ids."""
    now = now or utcnow()
    stmt = select(ReviewTask).where(
        col(ReviewTask.status).in_(list(OPEN_STATES)),
        col(ReviewTask.sla_due_at) < now,
        col(ReviewTask.escalated).is_(False),
    )
    done: list[str] = []
    for task in list(session.exec(stmt)):
        try:
            escalate(session, "sla-check", task.id, task.version, "SLA breached")
        except Conflict:
            continue  # someone acted on it meanwhile
        done.append(task.id)
    return done


def reject(
    session: Session, principal: Principal, task_id: str, version: int, reason: str
) -> ReviewTask:
    if not reason.strip():
        raise Unprocessable("a rejection needs a reason", code="reason_required")
    task = get_task(session, task_id)
    _require_open(task)
    decision = ReviewDecision(
        action="reject", actor=principal.username, task_version=version, reason=reason
    )
    _close(session, task, version, TaskStatus.REJECTED, decision)
    _record_action(session, task, principal.username, "review.reject", reason=reason)
    return get_task(session, task_id)


def approve(
    session: Session,
    principal: Principal,
    task_id: str,
    version: int,
    edits: DraftEdits,
    md: MasterData,
    *,
    today: date,
    dual_control_amount: Decimal,
) -> ReviewTask:
    """Approve (with edits); above the dual-control amount two different people must approve."""
    task = get_task(session, task_id)
    _require_open(task)
    draft = get_draft(session, task.draft_id)
    _require_destination(draft, edits)
    total = revalidate(draft, lines_of(session, draft.id), edits, md, today)
    if total > principal.approval_limit and principal.role != Role.ADMIN:
        raise Forbidden(
            f"order total {total} is above your approval limit {principal.approval_limit}",
            code="over_approval_limit",
        )
    approvals = list(task.decision.get("approvals", []))
    editors = set(task.decision.get("editors", []))
    if not edits.is_empty():
        if task.decision.get("edits") not in (None, edits.model_dump(mode="json")):
            # Earlier approvals were of other edits: they do not count for these.
            approvals, editors = [], set()
        editors.add(principal.username)
    if principal.username in approvals:
        raise Conflict(
            "you already approved this task; a second person must approve",
            code="second_approver_required",
        )
    approvals.append(principal.username)
    if total > dual_control_amount and not _dual_control_met(approvals, editors):
        pending = {
            "approvals": approvals,
            "editors": sorted(editors),
            "edits": edits.model_dump(mode="json"),
        }
        _bump(session, task, version, decision=pending)
        _record_action(session, task, principal.username, "review.first_approval", after=pending)
        return get_task(session, task_id)
    decision = ReviewDecision(
        action="approve",
        actor=principal.username,
        task_version=version,
        edits=_merged_edits(task, edits),
    )
    _close(
        session,
        task,
        version,
        TaskStatus.APPROVED,
        decision,
        extra={"approvals": approvals, "editors": sorted(editors)},
    )
    _record_action(
        session,
        task,
        principal.username,
        "review.approve",
        after=decision.model_dump(mode="json"),
        detail={"approvals": approvals},
    )
    propose_from_edits(
        session,
        draft=draft,
        lines=lines_of(session, draft.id),
        edits=decision.edits,
        proposed_by=min(editors, default=principal.username),
    )
    return get_task(session, task_id)


def _require_destination(draft: DraftOrder, edits: DraftEdits) -> None:
    """An order must be deliverable: a known ship-to, or an address with a postal code."""
    if edits.ship_to_id or (edits.ship_to and edits.ship_to.postal_code):
        return
    ship = (draft.resolution or {}).get("ship_to") or {}
    address = ship.get("address") or {}
    if ship.get("value") or address.get("postal_code"):
        return
    raise Unprocessable("choose a ship-to address before approving", code="ship_to_required")


def _dual_control_met(approvals: list[str], editors: set[str]) -> bool:
    """Two different approvers, at least one of whom did not edit the draft."""
    return len(set(approvals)) >= 2 and any(a not in editors for a in approvals)


def _merged_edits(task: ReviewTask, edits: DraftEdits) -> DraftEdits:
    if edits.is_empty() and task.decision.get("edits"):
        return DraftEdits.model_validate(task.decision["edits"])
    return edits


def _close(
    session: Session,
    task: ReviewTask,
    version: int,
    status: TaskStatus,
    decision: ReviewDecision,
    extra: dict[str, Any] | None = None,
) -> None:
    """Close the task and queue the graph's resume in the same transaction."""
    record = {**(extra or {}), "decision": decision.model_dump(mode="json")}
    _bump(session, task, version, status=status, decision=record, closed_at=utcnow())
    enqueue(
        session,
        kind="resume_draft",
        key=f"resume:{task.draft_id}",
        payload={"draft_id": task.draft_id, "decision": decision.model_dump(mode="json")},
    )


def revalidate(
    draft: DraftOrder, lines: list[DraftLine], edits: DraftEdits, md: MasterData, today: date
) -> Decimal:
    """The order total after edits, re-priced by the core; a price the core does not give
    needs an override reason (422 otherwise)."""
    customer_id = edits.customer_id or draft.customer_id
    by_no = {ln.line_no: ln for ln in lines}
    removed = {e.line_no for e in edits.lines if e.remove}
    total = Decimal("0")
    for ln in lines:
        if ln.line_no in removed:
            continue
        edit = next((e for e in edits.lines if e.line_no == ln.line_no), None)
        total += _line_total(md, customer_id, ln, edit, today)
    for edit in (e for e in edits.lines if e.line_no is None):
        total += _line_total(md, customer_id, None, edit, today)
    unknown = [e.line_no for e in edits.lines if e.line_no is not None and e.line_no not in by_no]
    if unknown:
        raise Unprocessable(f"no such line(s): {unknown}", code="unknown_line")
    return total


def _line_total(
    md: MasterData,
    customer_id: str | None,
    line: DraftLine | None,
    edit: LineEdit | None,
    today: date,
) -> Decimal:
    sku = (edit.sku if edit and edit.sku else None) or (line.sku if line else None)
    qty = (edit.quantity if edit and edit.quantity else None) or (line.quantity if line else None)
    uom = (edit.uom if edit and edit.uom else None) or (line.uom if line else None)
    if sku is None or qty is None:
        raise Unprocessable(
            "every line needs an item and a quantity before approval",
            code="line_incomplete",
            details={"line_no": line and line.line_no},
        )
    if customer_id is None:
        raise Unprocessable("choose the customer before approving", code="customer_required")
    quote = quote_price(md, customer_id, sku, qty, uom, today)
    if quote.unit_price_ordered is None or quote.extended_price is None:
        codes = [i.code for i in quote.issues]
        raise Unprocessable(f"the core cannot price {sku}: {codes}", code="unpriceable_line")
    if edit is not None and edit.unit_price is not None:
        if edit.unit_price != quote.unit_price_ordered.amount and not edit.price_override_reason:
            raise Unprocessable(
                f"{sku}: price {edit.unit_price} differs from the core's "
                f"{quote.unit_price_ordered.amount}; give an override reason",
                code="price_override_required",
            )
        return (edit.unit_price * qty).quantize(Decimal("0.01"))
    return Decimal(quote.extended_price.amount)

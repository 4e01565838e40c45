"""Review pages: the queues, a task beside its source document, and the reviewer's actions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from app.core.config import Settings
from app.core.context import AppContext
from app.core.errors import Unprocessable
from app.deps import ContextDep
from app.drafts.service import get_draft, lines_of
from app.masterdata.service import load_masterdata
from app.review import service as review
from app.review.tables import TaskStatus
from app.ui import queries, sources
from app.ui.forms import edits_from_form
from app.ui.views import reason_title, sla_state, task_page
from app.ui.web import (
    CurrentViewer,
    Posted,
    PostedForm,
    UiRoute,
    UiSession,
    Viewer,
    permitted,
    render,
)

router = APIRouter(route_class=UiRoute, include_in_schema=False)

STATUSES = ("open", "claimed", "approved", "rejected")
DONE_MESSAGES = {
    "claimed": "You claimed this task.",
    "released": "You released this task back to the queue.",
    "approved": "Approved. The order is being created.",
    "first_approval": "Your approval is recorded; a second person must approve this order.",
    "rejected": "Rejected.",
    "escalated": "Escalated to the escalation queue.",
}


@router.get("/", response_class=HTMLResponse)
@router.get("/queues", response_class=HTMLResponse)
def queue_list(
    request: Request,
    viewer: CurrentViewer,
    session: UiSession,
    queue: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    assignee: Annotated[str | None, Query(max_length=128)] = None,
) -> Response:
    permitted(viewer, "review")
    status = status if status in STATUSES else None
    who = viewer.username if assignee == "me" else (assignee or None)
    tasks = review.list_tasks(session, queue=queue or None, status=status, assignee=who)
    counts = review.queue_counts(session)
    rows = [(t, sla_state(t.created_at, t.sla_due_at, t.status)) for t in tasks]
    return render(
        request,
        "queues.html",
        {
            "nav": "queues",
            "rows": rows,
            "counts": counts,
            "total": sum(counts.values()),
            "filters": {"queue": queue or "", "status": status or "", "assignee": assignee or ""},
            "statuses": STATUSES,
            "assignees": queries.open_assignees(session),
            "reason_title": reason_title,
        },
    )


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.company_timezone)).date()


def _task_response(
    request: Request,
    session: UiSession,
    ctx: AppContext,
    viewer: Viewer,
    task_id: str,
    *,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    md = load_masterdata(session, base_currency=ctx.settings.base_currency)
    page = task_page(session, task_id, md)
    parsed = sources.parsed_message(session, ctx.settings, page.draft.inbound_message_id)
    documents = sources.document_views(parsed, sources.field_sources(page.draft.extraction))
    form = {**page.defaults, **(values or {})}
    return render(
        request,
        "task.html",
        {
            "nav": "queues",
            "page": page,
            "documents": documents,
            "form": form,
            "errors": errors or [],
            "done": DONE_MESSAGES.get(done or ""),
            "can_act": page.task.status in (TaskStatus.OPEN, TaskStatus.CLAIMED),
            "mine": page.task.assignee == viewer.username,
            "parse_problems": parsed.problems,
        },
        status_code=status_code,
    )


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_detail(
    request: Request,
    task_id: str,
    viewer: CurrentViewer,
    session: UiSession,
    ctx: ContextDep,
    done: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    permitted(viewer, "review")
    return _task_response(request, session, ctx, viewer, task_id, done=done)


@router.get("/tasks/{task_id}/documents/{document_id}/pages/{page}.png")
def page_image(
    task_id: str,
    document_id: str,
    page: int,
    viewer: CurrentViewer,
    session: UiSession,
    ctx: ContextDep,
) -> Response:
    permitted(viewer, "review")
    draft = get_draft(session, review.get_task(session, task_id).draft_id)
    path = sources.page_image(session, ctx.settings, draft.inbound_message_id, document_id, page)
    return FileResponse(
        path, media_type="image/png", headers={"cache-control": "private, max-age=3600"}
    )


def _version(posted: Posted) -> int:
    try:
        return int(posted.fields.get("version", ""))
    except ValueError as exc:
        raise Unprocessable(
            "the form has no task version; reload the page", code="version_missing"
        ) from exc


def _back(task_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/tasks/{task_id}?done={done}", status_code=303)


@router.post("/tasks/{task_id}/claim")
def claim(task_id: str, posted: PostedForm, session: UiSession) -> Response:
    permitted(posted.viewer, "review")
    review.claim(session, posted.viewer.principal, task_id, _version(posted))
    return _back(task_id, "claimed")


@router.post("/tasks/{task_id}/release")
def release(task_id: str, posted: PostedForm, session: UiSession) -> Response:
    permitted(posted.viewer, "review")
    review.release(session, posted.viewer.principal, task_id, _version(posted))
    return _back(task_id, "released")


@router.post("/tasks/{task_id}/escalate")
def escalate(task_id: str, posted: PostedForm, session: UiSession) -> Response:
    permitted(posted.viewer, "review")
    reason = posted.fields.get("reason", "").strip() or f"escalated by {posted.viewer.username}"
    review.escalate(session, posted.viewer.username, task_id, _version(posted), reason[:500])
    return _back(task_id, "escalated")


@router.post("/tasks/{task_id}/reject", response_class=HTMLResponse)
def reject(
    request: Request, task_id: str, posted: PostedForm, session: UiSession, ctx: ContextDep
) -> Response:
    permitted(posted.viewer, "review")
    reason = posted.fields.get("reason", "").strip()[:500]
    try:
        review.reject(session, posted.viewer.principal, task_id, _version(posted), reason)
    except Unprocessable as exc:
        session.rollback()
        return _task_response(
            request, session, ctx, posted.viewer, task_id, errors=[exc.message], status_code=422
        )
    return _back(task_id, "rejected")


@router.post("/tasks/{task_id}/approve", response_class=HTMLResponse)
def approve(
    request: Request, task_id: str, posted: PostedForm, session: UiSession, ctx: ContextDep
) -> Response:
    permitted(posted.viewer, "review")
    version = _version(posted)
    draft = get_draft(session, review.get_task(session, task_id).draft_id)
    form = edits_from_form(posted.fields, draft, lines_of(session, draft.id))
    if form.errors:
        return _task_response(
            request,
            session,
            ctx,
            posted.viewer,
            task_id,
            errors=form.errors,
            values=posted.fields,
            status_code=422,
        )
    md = load_masterdata(session, base_currency=ctx.settings.base_currency)
    try:
        task = review.approve(
            session,
            posted.viewer.principal,
            task_id,
            version,
            form.edits,
            md,
            today=_today(ctx.settings),
            dual_control_amount=Decimal(ctx.settings.dual_control_amount),
        )
    except Unprocessable as exc:
        session.rollback()
        return _task_response(
            request,
            session,
            ctx,
            posted.viewer,
            task_id,
            errors=[exc.message],
            values=posted.fields,
            status_code=422,
        )
    return _back(task_id, "approved" if task.status == TaskStatus.APPROVED else "first_approval")

"""Orders, the audit log and the operations dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.deps import SettingsDep
from app.drafts.service import get_draft
from app.ui import charts, metrics, queries
from app.ui.charts import Series
from app.ui.views import reason_title
from app.ui.web import CurrentViewer, UiRoute, UiSession, permitted, render

router = APIRouter(route_class=UiRoute, include_in_schema=False)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_detail(
    request: Request, order_id: str, viewer: CurrentViewer, session: UiSession
) -> Response:
    permitted(viewer, "orders:read")
    record = queries.order_record(session, order_id)
    draft = get_draft(session, record.order.draft_id)
    task = queries.task_of_draft(session, draft.id)
    trail = queries.audit_trail(
        session, [order_id, draft.id, draft.inbound_message_id, task.id if task else ""]
    )
    trail += queries.latest_events(session, entity_id=order_id, limit=100)
    unique = {ev.seq or 0: ev for ev in trail}
    return render(
        request,
        "order.html",
        {
            "nav": "queues",
            "record": record,
            "draft": draft,
            "task": task,
            "audit": [unique[k] for k in sorted(unique)],
        },
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    viewer: CurrentViewer,
    session: UiSession,
    entity_id: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    permitted(viewer, "admin")
    events = queries.latest_events(session, entity_id=(entity_id or "").strip() or None)
    return render(
        request, "audit.html", {"nav": "audit", "events": events, "entity_id": entity_id or ""}
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, viewer: CurrentViewer, session: UiSession, settings: SettingsDep
) -> Response:
    permitted(viewer, "orders:read")
    board = metrics.dashboard(session, tz=settings.company_timezone)
    labels = [d.strftime("%m-%d") for d in board.dates]
    reasons = [Series(reason_title(r), v) for r, v in board.review_by_reason.items()]
    panels = [
        (
            "Messages received",
            "per day",
            charts.bar_chart(
                labels, [float(v) for v in board.messages], title="Messages received per day"
            ),
        ),
        (
            "Touchless and review rate",
            "share of routed drafts",
            charts.line_chart(
                labels,
                [Series("Touchless", board.touchless), Series("Review", board.review)],
                title="Touchless and review rate per day",
                fmt=charts.percent,
                y_max=1.0,
            ),
        ),
        (
            "Review rate by reason",
            "share of routed drafts",
            charts.line_chart(
                labels,
                reasons,
                title="Review rate by reason per day",
                fmt=charts.percent,
                y_max=1.0,
            ),
        ),
        (
            "Median cycle time",
            "minutes from receipt to order",
            charts.line_chart(
                labels,
                [Series("Cycle time", board.cycle_minutes)],
                title="Median cycle time in minutes per day",
            ),
        ),
        (
            "Median review time",
            "minutes from task opened to closed",
            charts.line_chart(
                labels,
                [Series("Review time", board.review_minutes)],
                title="Median review time in minutes per day",
            ),
        ),
        (
            "SLA breaches",
            "tasks past their SLA, by due day",
            charts.bar_chart(
                labels, [float(v) for v in board.sla_breaches], title="SLA breaches per day"
            ),
        ),
        (
            "First-pass quality",
            "reviewed orders approved without edits",
            charts.line_chart(
                labels,
                [Series("First pass", board.first_pass)],
                title="First-pass quality per day",
                fmt=charts.percent,
                y_max=1.0,
            ),
        ),
        (
            "Model tokens per order",
            "input + output",
            charts.bar_chart(
                labels, board.tokens_per_order, title="Model tokens per order per day"
            ),
        ),
    ]
    legends = {
        "Touchless and review rate": charts.legend([Series("Touchless", []), Series("Review", [])]),
        "Review rate by reason": charts.legend(reasons),
    }
    return render(
        request,
        "dashboard.html",
        {"nav": "dashboard", "board": board, "panels": panels, "legends": legends},
    )

"""The scheduled SLA check: the worker escalates overdue review tasks periodically."""

from __future__ import annotations

from typing import Any

from app.core.context import AppContext
from app.core.db import session_scope
from app.jobs.handlers import HandlerRegistry
from app.review.service import escalate_overdue

ESCALATE_OVERDUE_JOB = "escalate_overdue"
SLA_CHECK_INTERVAL_S = 60.0


def run_sla_check(ctx: AppContext) -> None:
    with session_scope(ctx.engine) as session:
        escalate_overdue(session)


def handle_escalate_overdue(ctx: AppContext, payload: dict[str, Any]) -> None:
    run_sla_check(ctx)


def register_jobs(registry: HandlerRegistry) -> None:
    registry.register(ESCALATE_OVERDUE_JOB, handle_escalate_overdue)
    registry.every("sla_check", SLA_CHECK_INTERVAL_S, run_sla_check)

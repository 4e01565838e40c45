"""Review queues over HTTP: list, show, claim, release, approve, reject, escalate.

Every change carries the task version it was read at: a stale one answers 409 stale_task.
An approval above the dual-control amount that still needs a second person answers 202 with
status "awaiting_second_approval"; a final one answers 200 with status "approved".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.auth.deps import Reviewer, csrf_protected
from app.core.time import utcnow
from app.deps import SessionDep, SettingsDep
from app.masterdata.service import load_masterdata
from app.review import service
from app.review.detail import ActionOutcome, TaskDetail, TaskList, outcome, task_detail, task_list
from app.review.schemas import DraftEdits

router = APIRouter(prefix="/v1/reviews", tags=["review"], dependencies=[Depends(csrf_protected)])


class VersionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int


class ApproveBody(VersionBody):
    edits: DraftEdits = Field(default_factory=DraftEdits)


class ReasonBody(VersionBody):
    reason: str = Field(min_length=1, max_length=2000)


@router.get("")
def list_reviews(
    session: SessionDep,
    _: Reviewer,
    queue: str | None = None,
    status: str | None = None,
    assignee: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> TaskList:
    """Tasks (open and claimed unless a status is given), most urgent first, with counts."""
    return task_list(session, queue=queue, status=status, assignee=assignee, limit=limit)


@router.get("/{task_id}")
def get_review(task_id: str, session: SessionDep, _: Reviewer) -> TaskDetail:
    return task_detail(session, task_id)


@router.post("/{task_id}/claim")
def claim(
    task_id: str, body: VersionBody, session: SessionDep, principal: Reviewer
) -> ActionOutcome:
    return outcome(session, service.claim(session, principal, task_id, body.version))


@router.post("/{task_id}/release")
def release(
    task_id: str, body: VersionBody, session: SessionDep, principal: Reviewer
) -> ActionOutcome:
    return outcome(session, service.release(session, principal, task_id, body.version))


@router.post("/{task_id}/approve", responses={202: {"model": ActionOutcome}})
def approve(
    task_id: str,
    body: ApproveBody,
    response: Response,
    session: SessionDep,
    principal: Reviewer,
    settings: SettingsDep,
) -> ActionOutcome:
    """Approve with optional edits, re-validated by the core (422), within the approver's
    limit (403 over_approval_limit) and under dual control above the configured amount."""
    md = load_masterdata(session, base_currency=settings.base_currency)
    today = utcnow().astimezone(ZoneInfo(settings.company_timezone)).date()
    task = service.approve(
        session,
        principal,
        task_id,
        body.version,
        body.edits,
        md,
        today=today,
        dual_control_amount=Decimal(settings.dual_control_amount),
    )
    result = outcome(session, task)
    if result.status == "awaiting_second_approval":
        response.status_code = status.HTTP_202_ACCEPTED
    return result


@router.post("/{task_id}/reject")
def reject(
    task_id: str, body: ReasonBody, session: SessionDep, principal: Reviewer
) -> ActionOutcome:
    return outcome(session, service.reject(session, principal, task_id, body.version, body.reason))


@router.post("/{task_id}/escalate")
def escalate(
    task_id: str, body: ReasonBody, session: SessionDep, principal: Reviewer
) -> ActionOutcome:
    return outcome(
        session, service.escalate(session, principal.username, task_id, body.version, body.reason)
    )

"""A review task as the JSON API shows it: the task with its draft and everything found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session

from app.drafts.service import get_draft
from app.drafts.views import DraftDetail, draft_detail
from app.review.service import TaskView, get_task, list_tasks, queue_counts, view
from app.review.tables import ReviewTask, TaskStatus


class TaskList(BaseModel):
    items: list[TaskView]
    counts: dict[str, int]  # open tasks per queue


class TaskDetail(BaseModel):
    task: TaskView
    explanations: dict[str, str]  # reason code -> what the reviewer should know
    draft: DraftDetail


class ActionOutcome(BaseModel):
    """What an action left: the task, and whether an approval still needs a second person."""

    status: Literal["open", "claimed", "approved", "rejected", "awaiting_second_approval"]
    task: TaskView


def task_list(
    session: Session, *, queue: str | None, status: str | None, assignee: str | None, limit: int
) -> TaskList:
    return TaskList(
        items=list_tasks(session, queue=queue, status=status, assignee=assignee, limit=limit),
        counts=queue_counts(session),
    )


def task_view(session: Session, task: ReviewTask) -> TaskView:
    return view(task, get_draft(session, task.draft_id))


def task_detail(session: Session, task_id: str) -> TaskDetail:
    task = get_task(session, task_id)
    return TaskDetail(
        task=task_view(session, task),
        explanations=task.explanations,
        draft=draft_detail(session, task.draft_id),
    )


def outcome(session: Session, task: ReviewTask) -> ActionOutcome:
    """The outcome of an action; an approval that is not final is awaiting_second_approval."""
    shown = task_view(session, task)
    pending = task.status in (TaskStatus.OPEN, TaskStatus.CLAIMED) and bool(shown.approvals)
    status = "awaiting_second_approval" if pending else TaskStatus(task.status).value
    return ActionOutcome(status=status, task=shown)

"""Drafts: what the graph made of each message (read-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.deps import OrdersReader
from app.deps import SessionDep
from app.drafts.views import DraftDetail, DraftList, DraftSummary, draft_detail, list_drafts

router = APIRouter(prefix="/v1/drafts", tags=["drafts"])


@router.get("")
def get_drafts(
    session: SessionDep,
    _: OrdersReader,
    status: str | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> DraftList:
    """Drafts, newest first, by status and creation time."""
    rows = list_drafts(session, status=status, since=since, limit=limit)
    return DraftList(items=[DraftSummary.of(d) for d in rows])


@router.get("/{draft_id}")
def get_draft(draft_id: str, session: SessionDep, _: OrdersReader) -> DraftDetail:
    """One draft with its lines; a rejected draft carries its rejection_reason."""
    return draft_detail(session, draft_id)

"""GET /v1/drafts/{id}/timeline: the draft's trace as a list of steps, for reviewers."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import Reviewer
from app.deps import SessionDep
from app.telemetry.timeline import Timeline, timeline_for_draft

router = APIRouter(prefix="/v1/drafts", tags=["drafts"])


@router.get("/{draft_id}/timeline")
def draft_timeline(draft_id: str, session: SessionDep, reviewer: Reviewer) -> Timeline:
    """Every step of the draft, oldest first, with durations, tokens and status."""
    return timeline_for_draft(session, draft_id)

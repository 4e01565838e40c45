"""Replay stored drafts under a candidate policy: what would each decision become?"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from app.drafts.tables import DraftOrder
from app.routing.facts import RoutingFacts
from app.routing.policy import RoutingPolicy
from app.routing.route import route


class DraftReplay(BaseModel):
    """One draft's routing as stored, and under the candidate policy."""

    draft_id: str
    created_at: datetime
    decision_before: str | None
    decision_after: str
    reasons_before: list[str]
    reasons_after: list[str]
    queue_before: str | None
    queue_after: str | None

    @property
    def changed(self) -> bool:
        return (
            self.decision_before != self.decision_after
            or self.reasons_before != self.reasons_after
            or self.queue_before != self.queue_after
        )


class ReplaySummary(BaseModel):
    drafts: int  # replayed
    skipped: int  # no stored facts (e.g. quarantined before routing)
    changed: int
    auto_to_review: int
    review_to_auto: int


class ReplayReport(BaseModel):
    since: datetime
    changes: list[DraftReplay]  # only the drafts whose routing would change
    summary: ReplaySummary


def replay(session: Session, policy: RoutingPolicy, *, since: datetime) -> ReplayReport:
    """Re-route every draft created since `since` from its stored facts under `policy`."""
    stmt = (
        select(DraftOrder)
        .where(col(DraftOrder.created_at) >= since)
        .order_by(col(DraftOrder.created_at))
    )
    results: list[DraftReplay] = []
    skipped = 0
    for draft in session.exec(stmt):
        try:
            facts = RoutingFacts.model_validate(draft.facts)
        except ValidationError:
            skipped += 1
            continue
        after = route(facts, policy)
        results.append(
            DraftReplay(
                draft_id=draft.id,
                created_at=draft.created_at,
                decision_before=draft.route_decision,
                decision_after=after.decision,
                reasons_before=list(draft.reasons),
                reasons_after=list(after.reasons),
                queue_before=draft.queue,
                queue_after=after.queue,
            )
        )
    changes = [r for r in results if r.changed]
    return ReplayReport(
        since=since,
        changes=changes,
        summary=ReplaySummary(
            drafts=len(results),
            skipped=skipped,
            changed=len(changes),
            auto_to_review=sum(
                1 for r in changes if r.decision_before == "auto" and r.decision_after == "review"
            ),
            review_to_auto=sum(
                1 for r in changes if r.decision_before == "review" and r.decision_after == "auto"
            ),
        ),
    )


def render(report: ReplayReport) -> str:
    """The report as text: one block per changed draft, then the summary."""
    out: list[str] = []
    for r in report.changes:
        out.append(f"{r.draft_id}  {r.decision_before or '-'} -> {r.decision_after}")
        out.append(
            f"    reasons: {', '.join(r.reasons_before) or '(none)'} -> "
            f"{', '.join(r.reasons_after) or '(none)'}"
        )
        if r.queue_before != r.queue_after:
            out.append(f"    queue: {r.queue_before or '-'} -> {r.queue_after or '-'}")
    s = report.summary
    out.append(
        f"{s.drafts} drafts replayed since {report.since.isoformat()} "
        f"({s.skipped} without facts skipped): {s.changed} would change; "
        f"{s.auto_to_review} auto -> review, {s.review_to_auto} review -> auto"
    )
    return "\n".join(out)

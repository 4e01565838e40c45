"""The reviewer's timeline of a draft, from the span store, as a function and over HTTP."""

from __future__ import annotations

from app.auth.service import issue_token
from app.auth.tables import Role
from app.core.db import session_scope
from app.telemetry.timeline import Timeline, timeline_for_draft
from tests.telemetry.flow import Run


def _timeline(run: Run, label: str) -> Timeline:
    with session_scope(run.ctx.engine) as session:
        return timeline_for_draft(session, run.draft_of(label).id)


def test_timeline_of_a_reviewed_draft_runs_from_intake_to_commit(full_run: Run) -> None:
    timeline = _timeline(full_run, "review")
    draft = full_run.draft_of("review")
    kinds = [e.kind for e in timeline.entries]
    assert kinds[0] == "request"
    assert timeline.entries[0].name == "POST /v1/intake/messages"
    assert kinds[-1] == "commit"
    assert {"job", "node", "tool", "review_action", "resume"} <= set(kinds)
    assert kinds.index("review_action") < kinds.index("resume") < kinds.index("commit")
    assert timeline.trace_id == draft.trace_id
    assert len(timeline.linked_trace_ids) == 1  # the resume's trace
    starts = [e.started_at for e in timeline.entries]
    assert starts == sorted(starts)


def test_entries_carry_durations_status_and_actors(full_run: Run) -> None:
    timeline = _timeline(full_run, "review")
    nodes = [e for e in timeline.entries if e.kind == "node"]
    assert {"parse", "extract", "resolve", "enrich", "tools", "validate", "route", "review"} <= {
        e.node for e in nodes
    }
    assert all(e.duration_ms is not None and e.duration_ms >= 0 for e in nodes)
    tools = [e for e in timeline.entries if e.kind == "tool"]
    assert {"quote_price", "check_credit"} <= {e.tool for e in tools}
    assert all("intake.tool.result_summary" in e.detail for e in tools)
    (approval,) = [e for e in timeline.entries if e.kind == "review_action"]
    assert approval.name == "review.approve"
    assert approval.actor == "rita.reviewer"
    (resume,) = [e for e in timeline.entries if e.kind == "resume"]
    assert resume.actor == "rita.reviewer"
    assert timeline.errors == 0


def test_timeline_of_an_auto_approved_draft_stays_in_one_trace(full_run: Run) -> None:
    timeline = _timeline(full_run, "auto")
    assert timeline.linked_trace_ids == []
    assert {e.trace_id for e in timeline.entries} == {full_run.draft_of("auto").trace_id}
    assert timeline.entries[-1].kind == "commit"


def test_timeline_endpoint_needs_a_reviewer(full_run: Run) -> None:
    draft = full_run.draft_of("review")
    url = f"/v1/drafts/{draft.id}/timeline"
    assert full_run.client.get(url).status_code == 401
    with session_scope(full_run.ctx.engine) as session:
        intake = issue_token(session, name="mailer", role=Role.INTAKE)
        reviewer = issue_token(session, name="timeline-test", role=Role.REVIEWER)
    forbidden = full_run.client.get(url, headers={"authorization": f"Bearer {intake}"})
    assert forbidden.status_code == 403
    response = full_run.client.get(url, headers={"authorization": f"Bearer {reviewer}"})
    assert response.status_code == 200
    body = response.json()
    assert body["draft_id"] == draft.id
    assert body["entries"][0]["kind"] == "request"
    assert body["entries"][-1]["kind"] == "commit"
    missing = full_run.client.get(
        "/v1/drafts/dr_missing/timeline", headers={"authorization": f"Bearer {reviewer}"}
    )
    assert missing.status_code == 404

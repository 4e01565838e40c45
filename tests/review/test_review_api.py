"""The review API: queues, claims, approvals (edits, limits, dual control), rejections."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import col, select

from app.audit.tables import AuditEvent
from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import session_scope
from app.jobs.tables import Job
from app.review.tables import ReviewTask

from .factory import bearer, client, make_task, task_version, token_for


def _post(api: TestClient, token: str, task_id: str, action: str, body: dict[str, Any]) -> Any:
    return api.post(f"/v1/reviews/{task_id}/{action}", json=body, headers=bearer(token))


def test_list_filters_and_counts(api: TestClient, demo_ctx: AppContext) -> None:
    first, _ = make_task(demo_ctx, queue="exceptions")
    make_task(demo_ctx, queue="pricing", reasons=("price_mismatch",))
    token = token_for(demo_ctx, "alice")
    listed = api.get("/v1/reviews", headers=bearer(token)).json()
    assert listed["counts"] == {"exceptions": 1, "pricing": 1}
    assert len(listed["items"]) == 2
    pricing = api.get("/v1/reviews?queue=pricing", headers=bearer(token)).json()["items"]
    assert [t["queue"] for t in pricing] == ["pricing"]
    assert _post(api, token, first, "claim", {"version": 1}).status_code == 200
    mine = api.get("/v1/reviews?assignee=alice", headers=bearer(token)).json()["items"]
    assert [t["id"] for t in mine] == [first]
    claimed = api.get("/v1/reviews?status=claimed", headers=bearer(token)).json()["items"]
    assert [t["status"] for t in claimed] == ["claimed"]


def test_detail_shows_draft_lines_and_explanations(api: TestClient, demo_ctx: AppContext) -> None:
    task_id, draft_id = make_task(demo_ctx)
    body = api.get(f"/v1/reviews/{task_id}", headers=bearer(token_for(demo_ctx, "a"))).json()
    assert body["task"]["id"] == task_id
    assert body["explanations"] == {"unknown_item": "because unknown_item"}
    assert body["draft"]["draft"]["id"] == draft_id
    assert [ln["sku"] for ln in body["draft"]["lines"]] == ["ABR-1002", "PLB-1009"]
    assert (
        api.get("/v1/reviews/rt_nope", headers=bearer(token_for(demo_ctx, "b"))).json()["error"][
            "code"
        ]
        == "task_not_found"
    )


def test_claim_release_and_stale_version(api: TestClient, demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx)
    alice, bob = token_for(demo_ctx, "alice"), token_for(demo_ctx, "bob")
    claimed = _post(api, alice, task_id, "claim", {"version": 1})
    assert claimed.status_code == 200
    assert claimed.json()["task"]["assignee"] == "alice"
    assert claimed.json()["task"]["version"] == 2
    stale = _post(api, alice, task_id, "release", {"version": 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_task"
    taken = _post(api, bob, task_id, "claim", {"version": 2})
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "task_claimed"
    assert _post(api, bob, task_id, "release", {"version": 2}).status_code == 403
    released = _post(api, alice, task_id, "release", {"version": 2})
    assert released.json()["status"] == "open"
    assert released.json()["task"]["assignee"] is None


def test_approve_without_edits_queues_the_resume_in_the_same_transaction(
    api: TestClient, demo_ctx: AppContext
) -> None:
    task_id, draft_id = make_task(demo_ctx)
    response = _post(api, token_for(demo_ctx, "alice"), task_id, "approve", {"version": 1})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    with session_scope(demo_ctx.engine) as session:
        job = session.exec(select(Job).where(Job.kind == "resume_draft")).one()
        assert job.payload["draft_id"] == draft_id
        assert job.payload["decision"]["actor"] == "alice"
    again = _post(api, token_for(demo_ctx, "bob"), task_id, "approve", {"version": 2})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "task_closed"


def test_approve_records_a_span_event_with_the_actor(demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx)
    with client(demo_ctx) as api:
        _post(api, token_for(demo_ctx, "alice"), task_id, "approve", {"version": 1})
    exporter = demo_ctx.extras["spans"]
    events = [
        e
        for s in exporter.get_finished_spans()  # type: ignore[attr-defined]
        for e in s.events
        if e.name == "review.approve"
    ]
    assert [e.attributes["intake.actor"] for e in events] == ["alice"]


def test_edits_are_revalidated_by_the_core(api: TestClient, demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx)
    token = token_for(demo_ctx, "alice")
    cheap = {"version": 1, "edits": {"lines": [{"line_no": 2, "unit_price": "1.00"}]}}
    refused = _post(api, token, task_id, "approve", cheap)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "price_override_required"
    unknown = _post(
        api,
        token,
        task_id,
        "approve",
        {"version": 1, "edits": {"lines": [{"line_no": 9, "quantity": "1"}]}},
    )
    assert unknown.json()["error"]["code"] == "unknown_line"
    cheap["edits"]["lines"][0]["price_override_reason"] = "agreed by phone"  # type: ignore[index]
    accepted = _post(api, token, task_id, "approve", cheap)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "approved"


def test_over_the_approval_limit_is_forbidden(api: TestClient, demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx)  # 25 x 2.17 + 8 x 12.40 = 153.45
    low = token_for(demo_ctx, "junior", limit="100")
    refused = _post(api, low, task_id, "approve", {"version": 1})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "over_approval_limit"
    assert task_version(demo_ctx, task_id) == 1


def test_dual_control_above_the_amount(api: TestClient, demo_ctx: AppContext) -> None:
    # 5000 x 12.40 = 62,000 > the dual-control amount of 50,000
    task_id, _ = make_task(demo_ctx, lines=[("SUM-2", "PLB-1009", "5000")])
    alice, bob = token_for(demo_ctx, "alice"), token_for(demo_ctx, "bob")
    first = _post(api, alice, task_id, "approve", {"version": 1})
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "awaiting_second_approval"
    assert first.json()["task"]["approvals"] == ["alice"]
    twice = _post(api, alice, task_id, "approve", {"version": 2})
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "second_approver_required"
    second = _post(api, bob, task_id, "approve", {"version": 2})
    assert second.status_code == 200
    assert second.json()["status"] == "approved"
    assert second.json()["task"]["approvals"] == ["alice", "bob"]


def test_an_editor_cannot_be_the_only_approver(api: TestClient, demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx, lines=[("SUM-2", "PLB-1009", "5000")])
    alice, bob, carol = (token_for(demo_ctx, n) for n in ("alice", "bob", "carol"))
    edits = {"lines": [{"line_no": 1, "quantity": "4500"}]}
    first = _post(api, alice, task_id, "approve", {"version": 1, "edits": edits})
    assert first.json()["status"] == "awaiting_second_approval"
    # bob approves alice's edits: two approvers, one of whom did not edit
    second = _post(api, bob, task_id, "approve", {"version": 2})
    assert second.json()["status"] == "approved"
    with session_scope(demo_ctx.engine) as session:
        task = session.get(ReviewTask, task_id)
        assert task is not None
        assert task.decision["decision"]["edits"]["lines"][0]["quantity"] == "4500"
    # A second approver who changes the edits restarts the approvals for the new content.
    other, _ = make_task(demo_ctx, lines=[("SUM-2", "PLB-1009", "5000")])
    _post(api, alice, other, "approve", {"version": 1})
    changed = _post(
        api,
        bob,
        other,
        "approve",
        {"version": 2, "edits": {"lines": [{"line_no": 1, "quantity": "4800"}]}},
    )
    assert changed.json()["status"] == "awaiting_second_approval"
    assert changed.json()["task"]["approvals"] == ["bob"]
    final = _post(api, carol, other, "approve", {"version": 3})
    assert final.json()["status"] == "approved"


def test_reject_needs_a_reason_and_escalate_moves_the_task(
    api: TestClient, demo_ctx: AppContext
) -> None:
    task_id, _ = make_task(demo_ctx)
    token = token_for(demo_ctx, "alice")
    assert _post(api, token, task_id, "reject", {"version": 1, "reason": ""}).status_code == 422
    escalated = _post(api, token, task_id, "escalate", {"version": 1, "reason": "unsure"})
    assert escalated.json()["task"]["queue"] == "escalation"
    assert escalated.json()["task"]["escalated"] is True
    rejected = _post(api, token, task_id, "reject", {"version": 2, "reason": "not ours"})
    assert rejected.json()["status"] == "rejected"
    with session_scope(demo_ctx.engine) as session:
        job = session.exec(select(Job).where(Job.kind == "resume_draft")).one()
        assert job.payload["decision"]["reason"] == "not ours"


def test_intake_credentials_are_refused(demo_ctx: AppContext) -> None:
    ctx = demo_ctx
    ctx.settings = ctx.settings.model_copy(update={"intake_token": SecretStr("intake-secret-123")})
    service_token = token_for(ctx, None, Role.INTAKE)
    with client(ctx) as api:
        for token in ("intake-secret-123", service_token):
            for path in ("/v1/reviews", "/v1/orders", "/v1/drafts"):
                response = api.get(path, headers=bearer(token))
                assert response.status_code == 403, (path, response.text)
        assert api.get("/v1/reviews").status_code == 401
        assert api.get("/v1/reviews", headers=bearer("itk_wrong")).status_code == 401


def test_reviewers_are_refused_on_admin_endpoints(api: TestClient, demo_ctx: AppContext) -> None:
    token = token_for(demo_ctx, "alice")
    assert api.get("/v1/admin/audit", headers=bearer(token)).status_code == 403
    assert api.post("/v1/admin/escalations/run", headers=bearer(token)).status_code == 403
    assert api.get("/v1/admin/xref-proposals", headers=bearer(token)).status_code == 403
    assert (
        api.post(
            "/v1/admin/tokens", json={"name": "x", "role": "admin"}, headers=bearer(token)
        ).status_code
        == 403
    )


def test_a_failure_mid_approval_leaves_nothing(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    task_id, _ = make_task(demo_ctx)
    token = token_for(demo_ctx, "alice")

    def broken_enqueue(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("app.review.service.enqueue", broken_enqueue)
    with client(demo_ctx, raise_server_exceptions=False) as api:
        response = _post(api, token, task_id, "approve", {"version": 1})
    assert response.status_code == 500
    assert task_version(demo_ctx, task_id) == 1
    with session_scope(demo_ctx.engine) as session:
        task = session.get(ReviewTask, task_id)
        assert task is not None and task.status == "open"
        assert session.exec(select(Job).where(Job.kind == "resume_draft")).first() is None
        actions = session.exec(
            select(AuditEvent.action).where(col(AuditEvent.action).startswith("review.approve"))
        ).all()
        assert actions == []

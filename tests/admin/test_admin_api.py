"""Admin endpoints: users and tokens, the audit log, the SLA check now and in the worker."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import session_scope
from app.core.time import utcnow
from app.jobs.handlers import HandlerRegistry, load_handlers
from app.jobs.worker import Worker
from app.review.tables import ReviewTask
from tests.review.factory import bearer, client, make_task, token_for


def _overdue(ctx: AppContext, task_id: str) -> None:
    with session_scope(ctx.engine) as session:
        task = session.get(ReviewTask, task_id)
        assert task is not None
        task.sla_due_at = utcnow() - timedelta(minutes=5)
        session.add(task)


def test_admin_creates_users_and_tokens(demo_ctx: AppContext) -> None:
    admin = token_for(demo_ctx, "root", Role.ADMIN)
    with client(demo_ctx) as api:
        made = api.post(
            "/v1/admin/users",
            headers=bearer(admin),
            json={
                "username": "erin",
                "password": "a long enough secret",
                "role": "approver",
                "approval_limit": "75000",
            },
        )
        assert made.status_code == 201, made.text
        assert made.json()["role"] == "approver"
        assert "password" not in made.text and "hash" not in made.text
        dup = api.post(
            "/v1/admin/users",
            headers=bearer(admin),
            json={"username": "erin", "password": "a long enough secret"},
        )
        assert dup.status_code == 409
        issued = api.post(
            "/v1/admin/tokens",
            headers=bearer(admin),
            json={"name": "erin-script", "role": "reviewer", "username": "erin"},
        )
        assert issued.status_code == 201
        token = issued.json()["token"]
        assert api.get("/v1/reviews", headers=bearer(token)).status_code == 200
        assert api.get("/v1/admin/audit", headers=bearer(token)).status_code == 403
        audit = api.get("/v1/admin/audit?entity=user&entity_id=erin", headers=bearer(admin)).json()[
            "items"
        ]
        assert [(e["action"], e["actor"]) for e in audit] == [("user.created", "root")]


def test_escalations_run_now(demo_ctx: AppContext) -> None:
    late, _ = make_task(demo_ctx)
    on_time, _ = make_task(demo_ctx)
    _overdue(demo_ctx, late)
    admin = token_for(demo_ctx, "root", Role.ADMIN)
    with client(demo_ctx) as api:
        ran = api.post("/v1/admin/escalations/run", headers=bearer(admin)).json()
        assert ran["escalated"] == [late]
        task = api.get(f"/v1/reviews/{late}", headers=bearer(admin)).json()["task"]
        assert task["queue"] == "escalation" and task["escalated"] is True
        assert (
            api.post("/v1/admin/escalations/run", headers=bearer(admin)).json()["escalated"] == []
        )
        counts = api.get("/v1/reviews", headers=bearer(admin)).json()["counts"]
        assert counts == {"escalation": 1, "exceptions": 1}
    assert on_time


def test_the_worker_runs_the_sla_check_periodically(demo_ctx: AppContext) -> None:
    late, _ = make_task(demo_ctx)
    _overdue(demo_ctx, late)
    registry = load_handlers(HandlerRegistry())
    names = {task.name: task for task in registry.periodic()}
    assert set(names) >= {"sla_check", "outbox_relay"}
    worker = Worker(demo_ctx, registry=registry)
    assert worker.run_periodic(names["sla_check"])
    with session_scope(demo_ctx.engine) as session:
        task = session.exec(select(ReviewTask).where(ReviewTask.id == late)).one()
        assert task.queue == "escalation" and task.escalated

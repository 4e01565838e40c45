"""A reviewer's item correction becomes a proposal; an admin accepts it into master data
(bumping its version) and can revert it; every step is versioned and audited."""

from __future__ import annotations

from sqlmodel import select

from app.audit.tables import AuditEvent
from app.auth.tables import Role
from app.core.context import AppContext
from app.core.db import session_scope
from app.masterdata import repository as md_repository
from app.masterdata.service import load_masterdata
from app.masterdata.tables import CrossReferenceRow
from tests.review.factory import bearer, client, make_task, token_for


def test_correction_proposal_accept_and_revert(demo_ctx: AppContext) -> None:
    # Line 2's code SUM-VALVE was resolved to nothing; line 1's is right already.
    task_id, draft_id = make_task(
        demo_ctx, lines=[("SUM-CUT", "ABR-1002", "25"), ("SUM-VALVE", None, "8")]
    )
    reviewer = token_for(demo_ctx, "alice")
    admin = token_for(demo_ctx, "root", Role.ADMIN)
    edits = {"lines": [{"line_no": 1, "quantity": "30"}, {"line_no": 2, "sku": "PLB-1009"}]}
    with client(demo_ctx) as api:
        approved = api.post(
            f"/v1/reviews/{task_id}/approve",
            headers=bearer(reviewer),
            json={"version": 1, "edits": edits},
        )
        assert approved.status_code == 200, approved.text
        proposals = api.get("/v1/admin/xref-proposals", headers=bearer(admin)).json()["items"]
        assert [
            (
                p["customer_id"],
                p["customer_item_code"],
                p["sku"],
                p["status"],
                p["proposed_by"],
                p["draft_id"],
            )
            for p in proposals
        ] == [("C1002", "SUM-VALVE", "PLB-1009", "proposed", "alice", draft_id)]
        pid = proposals[0]["id"]
        with session_scope(demo_ctx.engine) as session:
            md_before = md_repository.current_version(session)[0]

        stale = api.post(
            f"/v1/admin/xref-proposals/{pid}/accept", headers=bearer(admin), json={"version": 7}
        )
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_proposal"
        accepted = api.post(
            f"/v1/admin/xref-proposals/{pid}/accept", headers=bearer(admin), json={"version": 1}
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "accepted" and accepted.json()["version"] == 2
        with session_scope(demo_ctx.engine) as session:
            row = session.get(CrossReferenceRow, ("C1002", "SUM-VALVE"))
            assert row is not None and row.sku == "PLB-1009"
            assert md_repository.current_version(session)[0] == md_before + 1
            md = load_masterdata(session)
            assert md.cross_references[("C1002", "SUM-VALVE")].sku == "PLB-1009"
        again = api.post(
            f"/v1/admin/xref-proposals/{pid}/reject", headers=bearer(admin), json={"version": 2}
        )
        assert again.status_code == 409

        reverted = api.post(
            f"/v1/admin/xref-proposals/{pid}/revert", headers=bearer(admin), json={"version": 2}
        )
        assert reverted.json()["status"] == "reverted" and reverted.json()["version"] == 3
        with session_scope(demo_ctx.engine) as session:
            assert session.get(CrossReferenceRow, ("C1002", "SUM-VALVE")) is None
            assert md_repository.current_version(session)[0] == md_before + 2
            assert ("C1002", "SUM-VALVE") not in load_masterdata(session).cross_references
            history = session.exec(
                select(AuditEvent.action).where(
                    AuditEvent.entity == "xref_proposal", AuditEvent.entity_id == pid
                )
            ).all()
        assert history == ["xref.proposed", "xref.accepted", "xref.reverted"]


def test_no_proposal_without_a_change_or_a_code(demo_ctx: AppContext) -> None:
    task_id, _ = make_task(demo_ctx, lines=[("SUM-CUT", "ABR-1002", "25"), (None, None, "8")])
    reviewer = token_for(demo_ctx, "alice")
    admin = token_for(demo_ctx, "root", Role.ADMIN)
    edits = {"lines": [{"line_no": 1, "sku": "ABR-1002"}, {"line_no": 2, "sku": "PLB-1009"}]}
    with client(demo_ctx) as api:
        assert (
            api.post(
                f"/v1/reviews/{task_id}/approve",
                headers=bearer(reviewer),
                json={"version": 1, "edits": edits},
            ).status_code
            == 200
        )
        assert api.get("/v1/admin/xref-proposals", headers=bearer(admin)).json()["items"] == []
        # a proposal is only made after the final approval, and rejected ones stay rejected
        other, _ = make_task(demo_ctx, lines=[("SUM-X", "ABR-1002", "25")])
        assert (
            api.post(
                f"/v1/reviews/{other}/approve",
                headers=bearer(reviewer),
                json={"version": 1, "edits": {"lines": [{"line_no": 1, "sku": "ABR-1003"}]}},
            ).status_code
            == 200
        )
        [proposal] = api.get(
            "/v1/admin/xref-proposals?status=proposed", headers=bearer(admin)
        ).json()["items"]
        rejected = api.post(
            f"/v1/admin/xref-proposals/{proposal['id']}/reject",
            headers=bearer(admin),
            json={"version": 1},
        )
        assert rejected.json()["status"] == "rejected"

"""`intake eval shadow`: stored messages re-run with a candidate policy in a throwaway copy."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import DraftOrder
from app.extraction.factory import rules_extractor
from app.intake.tables import InboundMessage
from app.routing.policy import DEFAULT_POLICY_PATH, load_policy
from evals.shadow import run_shadow
from evals.sweep import policy_at
from tests.evals.evalcases import processed_database

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def _counts(ctx: AppContext) -> tuple[int, int]:
    with session_scope(ctx.engine) as session:
        messages = session.exec(select(func.count()).select_from(InboundMessage)).one()
        drafts = session.exec(select(func.count()).select_from(DraftOrder)).one()
    return messages, drafts


def test_shadow_reports_what_a_candidate_policy_would_change(
    demo_ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed_database(demo_ctx)
    before = _counts(demo_ctx)
    lenient = policy_at(load_policy(), 0.5)

    result = run_shadow(demo_ctx.settings, since=SINCE, extractor=rules_extractor(), policy=lenient)

    assert _counts(demo_ctx) == before  # the live database is only read
    assert result["messages"] == 2 and result["summary"]["errors"] == 0
    order, ooo = result["per_message"]
    assert order["before"]["route"]["decision"] == "review"
    assert order["after"]["route"]["decision"] == "auto"
    assert order["route_changed"] and "low_confidence" in order["reasons_removed"]
    # the person approved 6 of line 2 (the draft holds the approved edits); the candidate
    # reads the 4 the mail says
    assert order["fields_changed"] == [] and order["lines_changed"]
    assert order["against_approved"]["exact"] is False
    assert order["against_approved"]["errors"] == ["lines"]
    assert not ooo["route_changed"] and "against_approved" not in ooo
    assert result["summary"]["review_to_auto"] == 1
    assert result["summary"]["approved_now_auto_but_wrong"] == 1

    policy_file = tmp_path / "candidate.yaml"
    policy_file.write_text(
        DEFAULT_POLICY_PATH.read_text().replace(
            "auto_min_confidence: 0.90", "auto_min_confidence: 0.50"
        )
    )
    rc = main(
        [
            "eval",
            "shadow",
            "--since",
            "2026-01-01",
            "--policy",
            str(policy_file),
            "--database-url",
            demo_ctx.settings.database_url,
            "--json",
            str(tmp_path / "shadow.json"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "route review -> auto" in out and "differs from approved: lines" in out
    saved = json.loads((tmp_path / "shadow.json").read_text())
    assert saved["summary"]["route_changed"] == 1

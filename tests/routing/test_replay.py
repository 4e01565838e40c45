"""`intake policy replay`: stored drafts re-routed under a candidate policy."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.tables import DraftOrder
from app.routing import RoutingFacts, default_policy, route
from app.routing.policy import DEFAULT_POLICY_PATH


def _facts(total: str, confidence: float = 0.95) -> RoutingFacts:
    return RoutingFacts(
        is_order=True,
        document_confidence=confidence,
        order_total=Decimal(total),
        currency="USD",
        customer_certain=True,
        items_certain=True,
        ship_to_known=True,
        atp_full_by_date=True,
        carrier_available=True,
        credit="ok",
    )


def _store(ctx: AppContext, draft_id: str, facts: RoutingFacts) -> None:
    decision = route(facts, default_policy())
    with session_scope(ctx.engine) as session:
        session.add(
            DraftOrder(
                id=draft_id,
                inbound_message_id=f"msg_{draft_id}",
                thread_id=draft_id,
                route_decision=decision.decision,
                reasons=list(decision.reasons),
                queue=decision.queue,
                facts=facts.model_dump(mode="json"),
            )
        )


def test_replay_shows_what_would_flip(
    demo_ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(demo_ctx, "dr_big", _facts("20000"))  # high_value under the default
    _store(demo_ctx, "dr_small", _facts("100"))  # auto under the default
    _store(demo_ctx, "dr_same", _facts("100", confidence=0.5))  # low confidence either way
    _store(demo_ctx, "dr_flip", _facts("20000", confidence=0.99))  # only high_value
    with session_scope(demo_ctx.engine) as session:
        session.add(
            DraftOrder(id="dr_nofacts", inbound_message_id="msg_nofacts", thread_id="dr_nofacts")
        )
    candidate = tmp_path / "candidate.yaml"
    candidate.write_text(
        DEFAULT_POLICY_PATH.read_text()
        .replace('default: "10000.00"', 'default: "50000.00"')
        .replace('USD: "10000.00"', 'USD: "50000.00"')
        .replace("auto_min_confidence: 0.90", "auto_min_confidence: 0.97")
    )
    args = [
        "policy",
        "replay",
        str(candidate),
        "--since",
        "2000-01-01",
        "--database-url",
        demo_ctx.settings.database_url,
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "dr_big  review -> review" in out  # high_value gone, low_confidence now
    assert "high_value -> low_confidence" in out
    assert "dr_small  auto -> review" in out
    assert "dr_flip  review -> auto" in out
    assert "dr_same" not in out
    assert "4 drafts replayed" in out and "(1 without facts skipped)" in out
    assert "3 would change; 1 auto -> review, 1 review -> auto" in out

    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {
        "drafts": 4,
        "skipped": 1,
        "changed": 3,
        "auto_to_review": 1,
        "review_to_auto": 1,
    }
    small = next(c for c in report["changes"] if c["draft_id"] == "dr_small")
    assert small["reasons_after"] == ["low_confidence"]

    assert main([*args[:3], "--since", "2999-01-01", *args[5:]]) == 0
    assert "0 drafts replayed" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n")
    assert (
        main(
            [
                "policy",
                "replay",
                str(bad),
                "--since",
                "2000-01-01",
                "--database-url",
                demo_ctx.settings.database_url,
            ]
        )
        == 1
    )

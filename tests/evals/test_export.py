"""`intake eval export`: approved orders become eval cases that score their own approval exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope
from app.drafts.service import get_draft
from app.ingest_cli import draft_answer
from evals.export import export_cases
from evals.runner import load_cases
from evals.scoring import score_case
from tests.evals.evalcases import processed_database

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def test_export_round_trip(
    demo_ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = processed_database(demo_ctx)

    [folder] = export_cases(demo_ctx.settings, since=SINCE, directory=tmp_path / "ds")
    expected = json.loads((folder / "expected.json").read_text())
    [case] = load_cases(tmp_path / "ds")

    assert case.case_id == folder.name and folder.name.startswith("order-so_")
    assert [p.name for p in case.sources] == ["message.eml"]
    assert b"BRM-4471" in case.raw_message()
    assert expected["tags"] == ["reviewed"]
    assert expected["route"] == {"decision": "review"}
    assert expected["resolution"] == {
        "customer_id": "C1011",
        "lines": [{"sku": "HND-1011"}, {"sku": "FAC-1005"}],
    }
    lines = expected["extraction"]["lines"]
    assert [ln["quantity"] for ln in lines] == [12, 6]  # as the reviewer corrected it
    assert [ln["customer_item_code"] for ln in lines] == ["HND-1011", "FAC-1005"]
    assert expected["extraction"]["customer_po_number"] == "BRM-4471"
    with session_scope(demo_ctx.engine) as session:
        approved = draft_answer(get_draft(session, ids["order"]))
    assert score_case(expected, approved).exact

    url = demo_ctx.settings.database_url
    assert (
        main(
            [
                "eval",
                "export",
                "--since",
                "2026-01-01",
                str(tmp_path / "cli"),
                "--database-url",
                url,
            ]
        )
        == 0
    )
    assert "wrote 1 cases" in capsys.readouterr().out
    assert (
        main(
            [
                "eval",
                "export",
                "--since",
                "2999-01-01",
                str(tmp_path / "none"),
                "--database-url",
                url,
            ]
        )
        == 0
    )

"""`intake ingest FILE...`: the pipeline from the command line, and the spec's ingest answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.demo import load_demo_if_empty
from tests.evals.evalcases import LOOSE_CSV, NOT_AN_ORDER_EML, ORDER_EML, ORDER_GOLD
from tests.support import sqlite_url
from tests.support import test_settings as settings_for

ANSWER_KEYS = {"draft_id", "extraction", "route", "confidence"}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo company, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    load_demo_if_empty(settings_for(sqlite_url(folder)))
    return folder / "intake.db"


@pytest.fixture
def db_url(tmp_path: Path, template_db: Path) -> str:
    shutil.copyfile(template_db, tmp_path / "intake.db")
    return sqlite_url(tmp_path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "order": tmp_path / "order.eml",
        "ooo": tmp_path / "ooo.eml",
        "csv": tmp_path / "lines.csv",
        "txt": tmp_path / "note.txt",
    }
    paths["order"].write_text(ORDER_EML)
    paths["ooo"].write_text(NOT_AN_ORDER_EML)
    paths["csv"].write_text(LOOSE_CSV)
    paths["txt"].write_text("PO BRM-5000 from Blue Ridge Millwork, lines attached.\n")
    return paths


def _answers(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_answer_per_message(
    db_url: str, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url
    assert (
        main(["ingest", str(files["order"]), str(files["ooo"]), "--json", "--database-url", url])
        == 0
    )
    order, ooo = _answers(capsys.readouterr().out)

    assert set(order) >= ANSWER_KEYS and set(ooo) >= ANSWER_KEYS
    assert set(order["extraction"]) == set(ORDER_GOLD)
    assert order["extraction"]["customer_po_number"] == "BRM-4471"
    assert [ln["quantity"] for ln in order["extraction"]["lines"]] == [12, 4]
    assert order["route"]["decision"] in ("auto", "review")
    assert isinstance(order["route"]["reasons"], list)
    assert all(isinstance(v, float) for v in order["confidence"].values())
    assert ooo["route"] == {"decision": "review", "reasons": ["not_a_po"]}
    assert order["draft_id"] != ooo["draft_id"]


def test_loose_files_are_one_message(
    db_url: str, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["ingest", str(files["txt"]), str(files["csv"]), "--json", "--database-url", db_url])
        == 0
    )
    [answer] = _answers(capsys.readouterr().out)
    assert answer["files"] == [str(files["txt"]), str(files["csv"])]
    assert answer["extraction"]["lines"][0]["customer_item_code"] == "HND-1011"


def test_human_readable_output_and_repeat(
    db_url: str, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url
    assert main(["ingest", str(files["order"]), "--database-url", url]) == 0
    first = capsys.readouterr().out
    assert "draft     dr_" in first and "PO        BRM-4471" in first
    assert "HND-1011" in first and "Tape Measure" in first
    assert "total" in first and "route     " in first
    assert main(["ingest", str(files["order"]), "--database-url", url]) == 0
    again = capsys.readouterr().out
    assert "(already ingested)" in again
    assert again.split("\n")[1] == first.split("\n")[1]  # the same draft


def test_unreadable_paths_fail_clearly(
    tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        [
            "ingest",
            str(files["order"]),
            str(tmp_path / "missing.pdf"),
            str(tmp_path),
            "--database-url",
            sqlite_url(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2
    assert "missing.pdf: no such file" in err and "not a file" in err


def test_no_wait_only_stores(
    db_url: str, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url
    assert (
        main(
            ["ingest", str(files["order"]), str(files["order"]), "--no-wait", "--database-url", url]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[2] for line in lines] == ["stored", "duplicate"]

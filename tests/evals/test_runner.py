"""`intake eval run` on a tiny dataset through the real graph: report, HTML, gates, baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from evals.runner import load_cases
from evals.scoring import score_case
from tests.evals.evalcases import ORDER_GOLD, tiny_dataset
from tests.evals.test_report import SPEC_KEYS


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="module")
def run_output(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("out")
    rc = main(
        [
            "eval",
            "run",
            "--dataset",
            str(dataset),
            "--json",
            str(out / "report.json"),
            "--html",
            str(out / "report.html"),
            "--gate",
            "errors<=0",
            "--quiet",
        ]
    )
    assert rc == 0
    return out / "report.json", out / "report.html"


@pytest.fixture(scope="module")
def report(run_output: tuple[Path, Path]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run_output[0].read_text())
    return data


def test_cases_are_the_visible_folders_in_name_order(dataset: Path) -> None:
    cases = load_cases(dataset)
    assert [c.case_id for c in cases] == ["case-1-order", "case-2-not-an-order", "case-3-loose-csv"]
    assert [p.name for p in cases[2].sources] == ["order.csv"]
    raw = cases[2].raw_message()
    assert b'filename="order.csv"' in raw and raw == cases[2].raw_message()  # deterministic


def test_report_per_spec(report: dict[str, Any]) -> None:
    assert list(report)[: len(SPEC_KEYS)] == SPEC_KEYS
    assert report["cases"] == 3 and report["errors"] == 0 and report["extractor"] == "rules"
    by_id = {c["id"]: c for c in report["per_case"]}
    order = by_id["case-1-order"]
    predicted = order["predicted"]["extraction"]
    assert predicted["customer_po_number"] == ORDER_GOLD["customer_po_number"]
    assert order["predicted"]["route"]["decision"] in ("auto", "review")
    assert set(order["predicted"]["confidence"]) >= {"customer_po_number", "lines"}
    assert "not_a_po" in by_id["case-2-not-an-order"]["predicted"]["route"]["reasons"]
    assert by_id["case-3-loose-csv"]["predicted"]["extraction"]["lines"]
    for case in report["per_case"]:  # any scorer re-scores the report without re-running it
        expected = json.loads((Path(report["dataset"]) / case["id"] / "expected.json").read_text())
        assert score_case(expected, case["predicted"]).exact == case["exact"]
    assert report["latency_ms"]["p50"] > 0


def test_sweep_re_routes_stored_facts(report: dict[str, Any]) -> None:
    rows = report["sweep"]["rows"]
    touchless = [r["touchless_rate"] for r in rows]
    assert touchless == sorted(touchless, reverse=True)
    current = next(r for r in rows if r["threshold"] == report["auto_min_confidence"])
    actual = sum(c["predicted"]["route"]["decision"] == "auto" for c in report["per_case"])
    assert current["auto_cases"] == actual  # the policy's own threshold reproduces the run


def test_html_report_written(run_output: tuple[Path, Path], report: dict[str, Any]) -> None:
    page = run_output[1].read_text()
    failing = sum(not c["exact"] for c in report["per_case"])
    assert page.count("<svg") == 2
    assert f"Failing cases ({failing})" in page


def test_failing_gate_exits_1_and_baseline_shows_changes(
    dataset: Path, run_output: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        [
            "eval",
            "run",
            "--dataset",
            str(dataset),
            "--limit",
            "1",
            "--quiet",
            "--gate",
            "doc_exact_rate>=1.01",
            "--gate",
            "cases==1",
            "--baseline",
            str(run_output[0]),
        ]
    )
    out, err = capsys.readouterr()
    assert rc == 1
    assert "gate doc_exact_rate>=1.01 failed: doc_exact_rate is" in err
    assert "cases==1" not in err
    assert "compared with baseline" in out and "gone (2):" in out


def test_bad_gates_exit_2_before_running(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "run", "--dataset", str(dataset), "--gate", "f1>=0.9"]) == 2
    assert "unknown metric 'f1'" in capsys.readouterr().err
    assert main(["eval", "run", "--dataset", str(dataset), "--gate", "line_f1=>0.9"]) == 2


def test_missing_dataset_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "run", "--dataset", str(tmp_path / "nope")]) == 2
    assert "is not a directory" in capsys.readouterr().err

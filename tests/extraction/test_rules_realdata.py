"""The rules extractor on real purchase orders (../shared/realdata): thresholds per dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.realdata import (
    LASER,
    RELLI,
    SHIBAURA,
    default_realdata_root,
    score_dataset,
    write_datasets,
)

ROOT = default_realdata_root()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(ROOT is None, reason="real PO data (../shared/realdata) is not present"),
]


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert ROOT is not None
    out = tmp_path_factory.mktemp("real")
    write_datasets(ROOT, out)
    return out


def test_shibaura_thresholds(datasets: Path) -> None:
    agg, cases = score_dataset(datasets / SHIBAURA)
    print(
        f"\n{SHIBAURA}: lines P/R/F1 {agg.line_precision:.3f}/{agg.line_recall:.3f}/"
        f"{agg.line_f1:.3f} fields {agg.field_accuracy}"
    )
    assert agg.cases == len(cases) >= 40
    assert agg.line_f1 >= 0.95
    for field in ("customer_po_number", "order_date", "total"):
        assert agg.field_accuracy[field] >= 0.95, field


@pytest.mark.parametrize("name", [RELLI, LASER])
def test_other_real_datasets_run(datasets: Path, name: str) -> None:
    agg, _ = score_dataset(datasets / name)
    print(
        f"\n{name}: lines P/R/F1 {agg.line_precision:.3f}/{agg.line_recall:.3f}/"
        f"{agg.line_f1:.3f} fields {agg.field_accuracy} exact {agg.doc_exact_rate:.2f}"
    )
    assert agg.errors == 0
    assert agg.line_recall > 0.5

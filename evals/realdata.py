"""Turn the real PO folders of ../shared/realdata into eval cases (spec: eval-dataset.md v1).

    python -m evals.realdata [OUTDIR]          write the cases (default evals/datasets/real/)
    python -m evals.realdata --score [OUTDIR]  write them, run the rules extractor, print figures

Each gold covers only some fields; the rest are listed under the top-level key "unscored".
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from evals.scoring import AggregateScore, CaseScore, aggregate, score_case, score_failure

if TYPE_CHECKING:
    from app.documents.model import ParsedMessage

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "evals" / "datasets" / "real"
SHIBAURA = "amc-mrp-shibaura-po"
RELLI = "amc-mrp-relli-po"
LASER = "industrial-laser-po"

# What the gold of these datasets does not cover (SOURCE.md of each folder).
_UNSCORED_COMMON = ["customer_name", "ship_to", "currency", "requested_delivery_date", "lines.uom"]
_UNSCORED_LASER = ["customer_name", "ship_to", "currency", "total"]

# SOURCE.md of the Shibaura folder: sample files named other than PO-<number>.pdf.
_SHIBAURA_RENAMED = {
    "example-po-format1-1item.pdf": "00022775",
    "example-po-format1-multi-lines.pdf": "00023077",
    "example-po-format-2-single.pdf": "00086229",
    "example-po-format-2-multi-lines.pdf": "00099150",
}
# SOURCE.md of the Relli folder: PO number -> file.
_RELLI_FILES = {
    "554002-X1572-1": "2-pager.pdf",
    "705677-X1572-1": "Color.pdf",
    "110398-X1572-1": "Modern Format.pdf",
    "708810-X1572-1": "Modern with Highlights.pdf",
}
# SOURCE.md of the Relli folder: the 705677 Benchmark row copies bad OCR; the page image says:
_RELLI_CORRECTIONS: dict[str, dict[str, str]] = {
    "705677-X1572-1": {
        "Part": "20521751",
        "Description": "WASHER, COMPRESSION",
        "Unit Price": "6.21",
    }
}

Row = dict[str, str]
Json = dict[str, object]


@dataclass
class RealCase:
    """One case to write: its id, its source file and its expected.json."""

    case_id: str
    source: Path
    expected: Json = field(default_factory=dict)


def default_realdata_root() -> Path | None:
    """The shared realdata folder: ../shared/realdata from the repo, else /work/shared/realdata."""
    for candidate in (REPO_ROOT.parent / "shared" / "realdata", Path("/work/shared/realdata")):
        if candidate.is_dir():
            return candidate
    return None


# ---------------------------------------------------------------- value parsing


def us_date(text: str) -> str:
    """M/D/YY or M/D/YYYY as ISO."""
    month, day, year = (int(p) for p in text.strip().split("/"))
    if year < 100:
        year += 2000
    return date(year, month, day).isoformat()


def number(text: str) -> int | float:
    """A CSV number as int when whole, else float."""
    value = Decimal(text.strip().replace(",", ""))
    return int(value) if value == value.to_integral_value() else float(value)


def read_rows(path: Path) -> list[Row]:
    """CSV rows as dicts of stripped strings."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(fh)
        ]


def group_by(rows: Iterable[Row], key: Callable[[Row], str]) -> dict[str, list[Row]]:
    """Rows grouped by a key, in file order."""
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def _line(row: Row, *, uom: str | None = None) -> Json:
    return {
        "customer_item_code": row["Part"],
        "description": row["Description"],
        "quantity": number(row["Qty"]),
        "uom": uom,
        "unit_price": number(row["Unit Price"]),
    }


def _extraction(po: str, rows: Sequence[Row], *, total: bool = True) -> Json:
    first = rows[0]
    return {
        "customer_name": None,
        "customer_po_number": po,
        "order_date": us_date(first["Order Date"]),
        "requested_delivery_date": None,
        "currency": None,
        "ship_to": None,
        "lines": [_line(r) for r in sorted(rows, key=lambda r: int(r["Ln"]))],
        "total": number(first["Grand Total"]) if total else None,
    }


# ---------------------------------------------------------------- datasets


def _pad_po(po: str) -> str:
    return po.strip().zfill(8)


def shibaura_cases(folder: Path) -> list[RealCase]:
    """41 PDFs; gold from Benchmark.csv (6, hand-made) else output_manually_adjusted.csv."""
    adjusted = group_by(
        read_rows(folder / "output_manually_adjusted.csv"), lambda r: _pad_po(r["PO"])
    )
    bench = group_by(read_rows(folder / "Benchmark.csv"), lambda r: _pad_po(r["PO"]))
    cases: list[RealCase] = []
    for pdf in sorted(folder.glob("*.pdf")):
        po = _SHIBAURA_RENAMED.get(pdf.name) or pdf.stem.removeprefix("PO-")
        rows = bench.get(po) or adjusted.get(po)
        if not rows:
            continue
        expected: Json = {
            "extraction": _extraction(f"PO-{po}", rows),  # the document prints "PO-<number>"
            "unscored": list(_UNSCORED_COMMON),
            "tags": ["pdf", "real", "shibaura"],
        }
        cases.append(RealCase(f"shibaura-{po}", pdf, expected))
    return cases


def relli_cases(folder: Path) -> list[RealCase]:
    """4 scanned POs with Benchmark.csv gold (705677 corrected); Oldish.pdf has none: skipped."""
    by_po = group_by(read_rows(folder / "Benchmark.csv"), lambda r: r["PO"])
    cases: list[RealCase] = []
    for po, filename in _RELLI_FILES.items():
        rows = [{**r, **_RELLI_CORRECTIONS.get(po, {})} for r in by_po.get(po, [])]
        if not rows or not (folder / filename).is_file():
            continue
        expected: Json = {
            "extraction": _extraction(po, rows),
            "unscored": list(_UNSCORED_COMMON),
            "tags": ["pdf", "real", "ocr", "relli"],
        }
        cases.append(RealCase(f"relli-{po.split('-')[0]}", folder / filename, expected))
    return cases


def laser_cases(folder: Path) -> list[RealCase]:
    """PO100563 only (Extracted.csv); no header total, ship-to or customer in the gold."""
    rows = read_rows(folder / "Extracted.csv")
    pdfs = sorted(folder.glob("PO100563*.pdf"))
    if not rows or not pdfs:
        return []
    first = rows[0]
    deliveries = {r["Delivery Date"] for r in rows}
    extraction: Json = {
        "customer_name": None,
        "customer_po_number": first["Document Number"],
        "order_date": us_date(first["PO_issue Date"]),
        "requested_delivery_date": us_date(deliveries.pop()) if len(deliveries) == 1 else None,
        "currency": None,
        "ship_to": None,
        "lines": [
            {
                "customer_item_code": r["Item_Code"],
                "description": r["Description"],
                "quantity": number(r["Quantity"]),
                "uom": r["UoM(optional)"] or None,
                "unit_price": number(r["Price"]),
            }
            for r in rows
        ],
        "total": None,
    }
    expected: Json = {
        "extraction": extraction,
        "unscored": list(_UNSCORED_LASER),
        "tags": ["pdf", "real", "multi-page"],
    }
    return [RealCase(f"laser-{first['Document Number']}", pdfs[0], expected)]


ADAPTERS: dict[str, Callable[[Path], list[RealCase]]] = {
    SHIBAURA: shibaura_cases,
    RELLI: relli_cases,
    LASER: laser_cases,
}


def build_cases(root: Path) -> dict[str, list[RealCase]]:
    """All cases per dataset name, for the folders present under `root`."""
    return {name: adapt(root / name) for name, adapt in ADAPTERS.items() if (root / name).is_dir()}


def write_case(case: RealCase, dataset_dir: Path) -> Path:
    """Write one case folder: the source file copied, and expected.json."""
    target = dataset_dir / case.case_id
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case.source, target / case.source.name)
    (target / "expected.json").write_text(json.dumps(case.expected, indent=2) + "\n")
    return target


def write_datasets(root: Path, out: Path) -> dict[str, list[Path]]:
    """Write every dataset under `out/<dataset>/<case>/`."""
    written: dict[str, list[Path]] = {}
    for name, cases in build_cases(root).items():
        written[name] = [write_case(c, out / name) for c in cases]
    return written


# ---------------------------------------------------------------- scoring (needs the app)


def score_dataset(dataset_dir: Path) -> tuple[AggregateScore, list[CaseScore]]:
    """Run the rules extractor on every case folder and score it."""
    from app.extraction.rules import RulesExtractor  # the app only when scoring

    extractor = RulesExtractor()
    scores: list[CaseScore] = []
    for case_dir in sorted(
        p for p in dataset_dir.iterdir() if p.is_dir() and p.name[0] not in "._"
    ):
        expected = json.loads((case_dir / "expected.json").read_text())
        sources = sorted(
            p for p in case_dir.iterdir() if p.name != "expected.json" and p.name[0] not in "._"
        )
        try:
            order = extractor.extract(load_message(sources))
        except Exception as exc:  # the spec counts any failure as a case error, wrong everywhere
            scores.append(score_failure(expected, repr(exc), case_dir.name))
            continue
        predicted = {"extraction": order.as_gold_shape(), "confidence": order.confidences()}
        scores.append(score_case(expected, predicted, case_dir.name))
    return aggregate(scores), scores


def load_message(paths: Sequence[Path]) -> ParsedMessage:
    """Parse loose source files with the app's parser."""
    from app.documents import parse_files

    return parse_files(list(paths))


def _print_figures(name: str, agg: AggregateScore, cases: Sequence[CaseScore]) -> None:
    print(f"== {name}: {agg.cases} cases")
    print(
        f"   lines P/R/F1 {agg.line_precision:.3f} / {agg.line_recall:.3f} / {agg.line_f1:.3f}"
        f"   doc exact {agg.doc_exact_rate:.3f}   errors {agg.errors}"
    )
    for fname, acc in agg.field_accuracy.items():
        print(f"   {fname:<26}{acc:.3f}")
    for case in cases:
        if not case.exact:
            print(
                f"   - {case.case_id}: {', '.join(case.errors)}"
                f" (lines tp {case.true_positives}/{case.gold_lines}, pred {case.predicted_lines})"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the real-data eval cases; with --score, also run and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m evals.realdata")
    parser.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--source", type=Path, default=None, help="the shared realdata folder")
    parser.add_argument("--score", action="store_true", help="run the rules extractor and score")
    args = parser.parse_args(argv)
    root = args.source or default_realdata_root()
    if root is None:
        print("realdata folder not found (expected ../shared/realdata)", file=sys.stderr)
        return 2
    written = write_datasets(root, args.outdir)
    for name, paths in written.items():
        print(f"{name}: {len(paths)} cases -> {args.outdir / name}")
    if args.score:
        for name in written:
            agg, cases = score_dataset(args.outdir / name)
            _print_figures(name, agg, cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

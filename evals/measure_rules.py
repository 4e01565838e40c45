"""Measure the offline rules extractor on dataset folders, without the app's pipeline.

    python -m evals.measure_rules DATASET [DATASET ...] [--fails N] [--json FILE] [--no-cache]

Each case is parsed with app.documents (a lone .eml as that email, else the loose files),
read by RulesExtractor and scored with evals.scoring. Printed per dataset: field accuracy,
line P/R/F1, doc exact rate, ECE, is-order / is-change accuracy (from the gold route), the
total check (stated total against lines + stated charges) and how the document confidence
separates right from wrong: the share of exact cases at >= 0.90 against the share of
non-exact cases at >= 0.90.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from evals.scoring import AggregateScore, CaseScore, aggregate, score_case, score_failure

if TYPE_CHECKING:
    from app.documents.model import ParsedMessage
    from app.extraction.schema import ExtractedOrder

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path("/tmp/measure_rules_cache")
AUTO_THRESHOLD = 0.90
# The fields the document confidence covers (customer and ship-to are resolution's business).
KEY_FIELDS = ("customer_po_number", "order_date", "requested_delivery_date", "currency", "total")
Json = dict[str, object]


@dataclass
class CaseResult:
    """One case: its score, the order's document confidence and the classification checks."""

    score: CaseScore
    document_confidence: float = 0.0
    is_order_right: bool = True
    is_change_right: bool | None = None
    total_check_right: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Separation:
    """How the document confidence separates exact cases from the others."""

    exact: int = 0
    exact_confident: int = 0
    wrong: int = 0
    wrong_confident: int = 0

    @property
    def right_share(self) -> float:
        return self.exact_confident / self.exact if self.exact else 0.0

    @property
    def wrong_share(self) -> float:
        return self.wrong_confident / self.wrong if self.wrong else 0.0

    @property
    def precision(self) -> float:
        confident = self.exact_confident + self.wrong_confident
        return self.exact_confident / confident if confident else 1.0


# ---------------------------------------------------------------- parsing (cached)


def _parser_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "app" / "documents").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sources(case_dir: Path) -> list[Path]:
    return sorted(
        (
            p
            for p in case_dir.iterdir()
            if p.is_file() and p.name != "expected.json" and p.name[0] not in "._"
        ),
        key=lambda p: (p.name.lower(), str(p)),
    )


def _parse(sources: list[Path]) -> ParsedMessage:
    from app.documents import parse_files, parse_message

    if len(sources) == 1 and sources[0].suffix.lower() == ".eml":
        return parse_message(sources[0].read_bytes())
    return parse_files(sources)


def load_parsed(sources: list[Path], *, cache: bool, fingerprint: str) -> ParsedMessage:
    """The parsed message of a case, from the cache when the sources and parser are unchanged."""
    from app.documents.model import ParsedMessage

    digest = hashlib.sha256(fingerprint.encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    cached = CACHE_DIR / f"{digest.hexdigest()[:32]}.json"
    if cache and cached.is_file():
        return ParsedMessage.model_validate_json(cached.read_text())
    parsed = _parse(sources)
    if cache:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cached.write_text(parsed.model_dump_json())
    return parsed


# ---------------------------------------------------------------- one case


def _reasons(expected: Json) -> set[str]:
    route = expected.get("route")
    reasons = route.get("reasons") if isinstance(route, dict) else None
    return {str(r) for r in reasons} if isinstance(reasons, list) else set()


def _lines_plus_charges(order: ExtractedOrder) -> Decimal | None:
    amounts: list[Decimal] = []
    for line in order.lines:
        qty, price = line.quantity.value, line.unit_price.value
        if qty is None or price is None:
            return None
        amounts.append((qty * price).quantize(Decimal("0.01")))
    charges = [
        c.value for c in (order.tax, order.freight, order.other_charges) if c.value is not None
    ]
    return sum(amounts, Decimal(0)) + sum(charges, Decimal(0)) if amounts else None


def _total_check(order: ExtractedOrder, expected: Json) -> bool | None:
    """Does our total check (stated vs lines + charges) agree with the gold's total_mismatch?"""
    stated = order.total.value
    summed = _lines_plus_charges(order)
    if stated is None or summed is None:
        return None
    mismatch = abs(stated - summed) > Decimal("0.01")
    return mismatch == ("total_mismatch" in _reasons(expected))


def run_case(case_dir: Path, *, cache: bool, fingerprint: str) -> CaseResult:
    """Parse, extract and score one case folder."""
    from app.drafts.facts import document_confidence
    from app.extraction.rules import RulesExtractor

    expected = json.loads((case_dir / "expected.json").read_text())
    try:
        parsed = load_parsed(_sources(case_dir), cache=cache, fingerprint=fingerprint)
        order = RulesExtractor().extract(parsed)
    except Exception as exc:  # the spec counts any failure as a case error, wrong everywhere
        return CaseResult(score_failure(expected, repr(exc), case_dir.name))
    predicted = {"extraction": order.as_gold_shape(), "confidence": order.confidences()}
    score = score_case(expected, predicted, case_dir.name)
    reasons = _reasons(expected)
    gold_order = "not_a_po" not in reasons
    said_order = bool(order.is_change.value) or (
        order.is_order.value is not False and bool(order.lines)
    )
    has_route = isinstance(expected.get("route"), dict)
    return CaseResult(
        score=score,
        document_confidence=document_confidence(order),
        is_order_right=said_order == gold_order,
        is_change_right=(bool(order.is_change.value) == ("order_change" in reasons))
        if has_route
        else None,
        total_check_right=_total_check(order, expected) if has_route else None,
    )


# ---------------------------------------------------------------- a dataset


def case_dirs(dataset: Path) -> list[Path]:
    """The case folders of a dataset, by name."""
    return sorted(
        p
        for p in dataset.iterdir()
        if p.is_dir() and p.name[0] not in "._" and (p / "expected.json").is_file()
    )


def key_exact(score: CaseScore) -> bool:
    """Lines and the key fields (those the document confidence covers) are right."""
    return score.lines_right and all(score.fields.get(k, True) for k in KEY_FIELDS)


def separation(
    results: Sequence[CaseResult], threshold: float = AUTO_THRESHOLD, *, key_only: bool = False
) -> Separation:
    """Exact / non-exact cases, and how many of each reach the threshold."""
    sep = Separation()
    for r in results:
        confident = r.document_confidence >= threshold
        if (key_exact(r.score) and not r.score.failed) if key_only else r.score.exact:
            sep.exact += 1
            sep.exact_confident += confident
        else:
            sep.wrong += 1
            sep.wrong_confident += confident
    return sep


def _share(values: Sequence[bool | None]) -> str:
    seen = [v for v in values if v is not None]
    return f"{sum(seen) / len(seen):.3f} ({len(seen)})" if seen else "-"


def print_report(name: str, agg: AggregateScore, results: Sequence[CaseResult], fails: int) -> None:
    """The figures of one dataset, and its worst cases."""
    sep = separation(results)
    print(f"== {name}: {agg.cases} cases, errors {agg.errors}")
    print(
        f"   lines P/R/F1 {agg.line_precision:.3f} / {agg.line_recall:.3f} / "
        f"{agg.line_f1:.3f}   doc exact {agg.doc_exact_rate:.3f}   "
        f"ECE {agg.ece if agg.ece is not None else float('nan'):.3f}"
    )
    print("   fields: " + "  ".join(f"{k}={v:.3f}" for k, v in agg.field_accuracy.items()))
    print(
        f"   is_order {_share([r.is_order_right for r in results])}   "
        f"is_change {_share([r.is_change_right for r in results])}   "
        f"total check {_share([r.total_check_right for r in results])}"
    )
    for label, part in (("exact", sep), ("key-exact", separation(results, key_only=True))):
        print(
            f"   doc conf >= {AUTO_THRESHOLD}: {label} {part.exact_confident}/{part.exact} "
            f"({part.right_share:.3f})   not {label} {part.wrong_confident}/{part.wrong} "
            f"({part.wrong_share:.3f})   precision when confident {part.precision:.3f}"
        )
    wrong = sorted((r for r in results if not r.score.exact), key=lambda r: -r.document_confidence)
    for r in wrong[:fails]:
        s = r.score
        print(
            f"   - {s.case_id} conf {r.document_confidence:.2f} key {key_exact(s)}: "
            f"{', '.join(s.errors)} "
            f"(lines tp {s.true_positives}/{s.gold_lines}, pred {s.predicted_lines})"
        )


def measure(dataset: Path, *, cache: bool) -> tuple[AggregateScore, list[CaseResult]]:
    """Run and score every case of one dataset folder."""
    fingerprint = _parser_fingerprint()
    results = [run_case(d, cache=cache, fingerprint=fingerprint) for d in case_dirs(dataset)]
    return aggregate([r.score for r in results]), results


def _summary(agg: AggregateScore, results: Sequence[CaseResult]) -> Json:
    sep, key = separation(results), separation(results, key_only=True)
    return {
        **agg.model_dump(),
        "confident_exact": sep.exact_confident,
        "exact": sep.exact,
        "confident_wrong": sep.wrong_confident,
        "wrong": sep.wrong,
        "confident_key_exact": key.exact_confident,
        "key_exact": key.exact,
        "confident_key_wrong": key.wrong_confident,
        "key_wrong": key.wrong,
        "per_case": {
            r.score.case_id: {
                "exact": r.score.exact,
                "errors": r.score.errors,
                "document_confidence": r.document_confidence,
            }
            for r in results
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each dataset folder given and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m evals.measure_rules")
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--fails", type=int, default=0, help="list this many non-exact cases")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--no-cache", action="store_true", help="parse every case afresh")
    args = parser.parse_args(argv)
    report: Json = {}
    for dataset in args.datasets:
        if not dataset.is_dir():
            print(f"{dataset}: not a folder", file=sys.stderr)
            return 2
        agg, results = measure(dataset, cache=not args.no_cache)
        print_report(str(dataset), agg, results, args.fails)
        report[str(dataset)] = _summary(agg, results)
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

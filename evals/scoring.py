"""Score predicted orders against expected.json gold, per ../shared/specs/eval-dataset.md (v1).

Pure: no import from `app/`. Inputs are the plain JSON shapes of the spec.
An optional top-level `"unscored": [...]` in expected.json names fields the gold does not cover
("customer_name", "ship_to", "ship_to.city", "lines.uom", ...); they are skipped.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

HEADER_FIELDS: tuple[str, ...] = (
    "customer_name",
    "customer_po_number",
    "order_date",
    "requested_delivery_date",
    "currency",
    "ship_to",
    "total",
)
LINE_FIELDS: tuple[str, ...] = (
    "customer_item_code",
    "description",
    "quantity",
    "uom",
    "unit_price",
)
ADDRESS_FIELDS: tuple[str, ...] = ("name", "street", "city", "region", "postal_code", "country")
FUZZY_THRESHOLD = 0.85
_FUZZY_ADDRESS = frozenset({"name", "street"})
_DATE_FIELDS = frozenset({"order_date", "requested_delivery_date"})

JsonObj = Mapping[str, object]


class LinePair(BaseModel):
    """One gold line paired with one predicted line (either side may be missing)."""

    gold_index: int | None
    predicted_index: int | None
    true_positive: bool
    fields: dict[str, bool] = Field(default_factory=dict)


class CaseScore(BaseModel):
    """The score of one case."""

    case_id: str = ""
    fields: dict[str, bool] = Field(default_factory=dict)  # only scored fields
    confidence: dict[str, float] = Field(default_factory=dict)
    gold_lines: int = 0
    predicted_lines: int = 0
    true_positives: int = 0
    lines_scored: bool = True
    lines_right: bool = True
    pairs: list[LinePair] = Field(default_factory=list)
    route_correct: bool | None = None
    exact: bool = False
    failed: bool = False
    errors: list[str] = Field(default_factory=list)


class AggregateScore(BaseModel):
    """Dataset-level figures of the spec's eval report."""

    cases: int
    field_accuracy: dict[str, float]
    field_accuracy_mean: float
    line_precision: float
    line_recall: float
    line_f1: float
    doc_exact_rate: float
    route_accuracy: float | None = None
    ece: float | None = None
    errors: int = 0


# ---------------------------------------------------------------- value comparison


def normalise_text(value: object) -> str:
    """NFKC, case fold and collapse whitespace."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return " ".join(text.split())


def text_similarity(gold: object, predicted: object) -> float:
    """Token-set similarity in [0, 1] of two normalised strings."""
    return float(fuzz.token_set_ratio(normalise_text(gold), normalise_text(predicted))) / 100.0


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return (
            Decimal(str(value).replace(",", "")) if isinstance(value, str) else Decimal(str(value))
        )
    except InvalidOperation:
        return None


def numbers_equal(gold: object, predicted: object, *, exact: bool = False) -> bool:
    """Equal to 2 decimals, or exactly when `exact` (quantities)."""
    g, p = _decimal(gold), _decimal(predicted)
    if g is None or p is None:
        return False
    if exact:
        return g == p
    cent = Decimal("0.01")
    return g.quantize(cent, ROUND_HALF_UP) == p.quantize(cent, ROUND_HALF_UP)


def dates_equal(gold: object, predicted: object) -> bool:
    """Equal as ISO dates."""
    try:
        return date.fromisoformat(str(gold)[:10]) == date.fromisoformat(str(predicted)[:10])
    except ValueError:
        return False


def _null_rule(gold: object, predicted: object) -> bool | None:
    """Right/wrong when either side is null; None when both hold a value."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return None


def value_equal(kind: str, gold: object, predicted: object) -> bool:
    """Compare one value by its kind: text, fuzzy, number, quantity or date."""
    by_null = _null_rule(gold, predicted)
    if by_null is not None:
        return by_null
    if kind == "fuzzy":
        return text_similarity(gold, predicted) >= FUZZY_THRESHOLD
    if kind == "number":
        return numbers_equal(gold, predicted)
    if kind == "quantity":
        return numbers_equal(gold, predicted, exact=True)
    if kind == "date":
        return dates_equal(gold, predicted)
    return normalise_text(gold) == normalise_text(predicted)


def _header_kind(name: str) -> str:
    if name in _DATE_FIELDS:
        return "date"
    return "number" if name == "total" else "text"


def _line_kind(name: str) -> str:
    return {"description": "fuzzy", "quantity": "quantity", "unit_price": "number"}.get(
        name, "text"
    )


# ---------------------------------------------------------------- header fields


def _as_obj(value: object) -> JsonObj:
    return value if isinstance(value, Mapping) else {}


def _address_equal(gold: object, predicted: object, unscored: frozenset[str]) -> bool:
    by_null = _null_rule(gold, predicted)
    if by_null is not None:
        return by_null
    g, p = _as_obj(gold), _as_obj(predicted)
    for part in ADDRESS_FIELDS:
        if f"ship_to.{part}" in unscored:
            continue
        kind = "fuzzy" if part in _FUZZY_ADDRESS else "text"
        if not value_equal(kind, g.get(part), p.get(part)):
            return False
    return True


def score_fields(gold: JsonObj, predicted: JsonObj, unscored: frozenset[str]) -> dict[str, bool]:
    """Right/wrong per header field the gold covers."""
    out: dict[str, bool] = {}
    for name in HEADER_FIELDS:
        if name in unscored:
            continue
        if name == "ship_to":
            out[name] = _address_equal(gold.get(name), predicted.get(name), unscored)
        else:
            out[name] = value_equal(_header_kind(name), gold.get(name), predicted.get(name))
    return out


# ---------------------------------------------------------------- lines


def _line_field_results(gold: JsonObj, pred: JsonObj, unscored: frozenset[str]) -> dict[str, bool]:
    return {
        name: value_equal(_line_kind(name), gold.get(name), pred.get(name))
        for name in LINE_FIELDS
        if f"lines.{name}" not in unscored
    }


def _identity_agrees(gold: JsonObj, results: Mapping[str, bool]) -> bool:
    """Item code or description agree; gold nulls cannot agree unless both are null."""
    keys = [k for k in ("customer_item_code", "description") if k in results]
    stated = [k for k in keys if gold.get(k) is not None]
    if not stated:
        return True
    return any(results[k] for k in stated)


def is_true_positive(gold: JsonObj, pred: JsonObj, unscored: frozenset[str]) -> bool:
    """A pair agrees on quantity and on item code or description."""
    results = _line_field_results(gold, pred, unscored)
    qty_ok = results.get("quantity", True)
    return qty_ok and _identity_agrees(gold, results)


def _pair_weight(gold: JsonObj, pred: JsonObj, unscored: frozenset[str]) -> float:
    """How well two lines match, for the assignment (higher is better)."""
    weight = 0.0
    code_g, code_p = gold.get("customer_item_code"), pred.get("customer_item_code")
    if code_g is not None and code_p is not None and "lines.customer_item_code" not in unscored:
        weight += 2.0 if normalise_text(code_g) == normalise_text(code_p) else 0.0
    desc_g, desc_p = gold.get("description"), pred.get("description")
    if desc_g is not None and desc_p is not None and "lines.description" not in unscored:
        weight += 2.0 * text_similarity(desc_g, desc_p)
    if value_equal("quantity", gold.get("quantity"), pred.get("quantity")):
        weight += 1.0
    up_g, up_p = gold.get("unit_price"), pred.get("unit_price")
    if up_g is not None and numbers_equal(up_g, up_p):
        weight += 1.0
    return weight


def hungarian(cost: Sequence[Sequence[float]]) -> list[int]:
    """Minimum-cost assignment for an n x m matrix with n <= m; returns the column of each row."""
    n = len(cost)
    m = len(cost[0]) if n else 0
    if n > m:
        raise ValueError("hungarian needs rows <= columns")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j] = row (1-based) assigned to column j
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col0 = 0
        minv = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while owner[col0] != 0:
            used[col0] = True
            r0, delta, col1 = owner[col0], math.inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[r0 - 1][j - 1] - u[r0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, col0
                if minv[j] < delta:
                    delta, col1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            col0 = col1
        while col0:
            prev = way[col0]
            owner[col0] = owner[prev]
            col0 = prev
    result = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


def assign_lines(
    gold: Sequence[JsonObj], predicted: Sequence[JsonObj], unscored: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (gold index, predicted index) with a positive match weight."""
    if not gold or not predicted:
        return []
    transpose = len(gold) > len(predicted)
    rows, cols = (predicted, gold) if transpose else (gold, predicted)
    weights = [
        [_pair_weight(*((c, r) if transpose else (r, c)), unscored) for c in cols] for r in rows
    ]
    chosen = hungarian([[-w for w in row] for row in weights])
    pairs = [(r, c) for r, c in enumerate(chosen) if weights[r][c] > 0]
    return sorted((c, r) if transpose else (r, c) for r, c in pairs)


def score_lines(
    gold: Sequence[JsonObj], predicted: Sequence[JsonObj], unscored: frozenset[str]
) -> list[LinePair]:
    """Pair lines and judge each pair; unpaired lines on either side appear with one index."""
    pairs: list[LinePair] = []
    paired_g, paired_p = set(), set()
    for gi, pi in assign_lines(gold, predicted, unscored):
        results = _line_field_results(gold[gi], predicted[pi], unscored)
        tp = is_true_positive(gold[gi], predicted[pi], unscored)
        pairs.append(LinePair(gold_index=gi, predicted_index=pi, true_positive=tp, fields=results))
        paired_g.add(gi)
        paired_p.add(pi)
    pairs += [
        LinePair(gold_index=i, predicted_index=None, true_positive=False)
        for i in range(len(gold))
        if i not in paired_g
    ]
    pairs += [
        LinePair(gold_index=None, predicted_index=i, true_positive=False)
        for i in range(len(predicted))
        if i not in paired_p
    ]
    return pairs


# ---------------------------------------------------------------- cases


def _extraction(doc: JsonObj) -> JsonObj:
    inner = doc.get("extraction")
    return inner if isinstance(inner, Mapping) else doc


def _lines(extraction: JsonObj) -> list[JsonObj]:
    raw = extraction.get("lines")
    if not isinstance(raw, list):
        return []
    return [_as_obj(x) for x in raw]


def _unscored(expected: JsonObj) -> frozenset[str]:
    raw = expected.get("unscored")
    return frozenset(str(x) for x in raw) if isinstance(raw, list) else frozenset()


def _route_correct(expected: JsonObj, predicted: JsonObj) -> bool | None:
    gold, pred = _as_obj(expected.get("route")), _as_obj(predicted.get("route"))
    if "decision" not in gold:
        return None
    reasons = gold.get("reasons")
    need = {str(r) for r in reasons} if isinstance(reasons, list) else set()
    given_raw = pred.get("reasons")
    given = {str(r) for r in given_raw} if isinstance(given_raw, list) else set()
    return pred.get("decision") == gold.get("decision") and need <= given


def _confidences(predicted: JsonObj) -> dict[str, float]:
    raw = _as_obj(predicted.get("confidence"))
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, int | float)}


def score_case(expected: JsonObj, predicted: JsonObj, case_id: str = "") -> CaseScore:
    """Score one case: `expected` as expected.json, `predicted` as per_case[].predicted."""
    unscored = _unscored(expected)
    gold, pred = _extraction(expected), _extraction(predicted)
    fields = score_fields(gold, pred, unscored)
    gold_lines, pred_lines = _lines(gold), _lines(pred)
    lines_scored = "lines" not in unscored
    pairs = score_lines(gold_lines, pred_lines, unscored) if lines_scored else []
    lines_right = all(p.true_positive and all(p.fields.values()) for p in pairs)
    return CaseScore(
        case_id=case_id,
        fields=fields,
        confidence=_confidences(predicted),
        gold_lines=len(gold_lines) if lines_scored else 0,
        predicted_lines=len(pred_lines) if lines_scored else 0,
        true_positives=sum(p.true_positive for p in pairs),
        lines_scored=lines_scored,
        lines_right=lines_right,
        pairs=pairs,
        route_correct=_route_correct(expected, predicted),
        exact=all(fields.values()) and lines_right,
        errors=[name for name, ok in fields.items() if not ok] + ([] if lines_right else ["lines"]),
    )


def score_failure(expected: JsonObj, reason: str, case_id: str = "") -> CaseScore:
    """A case the system failed on: wrong everywhere."""
    unscored = _unscored(expected)
    gold_lines = _lines(_extraction(expected)) if "lines" not in unscored else []
    return CaseScore(
        case_id=case_id,
        fields={name: False for name in HEADER_FIELDS if name not in unscored},
        gold_lines=len(gold_lines),
        lines_scored="lines" not in unscored,
        lines_right=False,
        route_correct=False if "decision" in _as_obj(expected.get("route")) else None,
        failed=True,
        errors=[f"failed: {reason}"],
    )


# ---------------------------------------------------------------- aggregate


def _ratio(num: float, den: float, empty: float = 1.0) -> float:
    return num / den if den else empty


def _field_accuracy(scores: Sequence[CaseScore]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in HEADER_FIELDS:
        seen = [s.fields[name] for s in scores if name in s.fields]
        if seen:
            out[name] = sum(seen) / len(seen)
    return out


def expected_calibration_error(samples: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """ECE over (confidence, correct) samples with equal-width bins."""
    if not samples:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in samples if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(samples) * abs(conf - acc)
    return total


def _calibration_samples(scores: Sequence[CaseScore]) -> list[tuple[float, bool]]:
    samples: list[tuple[float, bool]] = []
    for s in scores:
        for name, ok in s.fields.items():
            if name in s.confidence:
                samples.append((min(max(s.confidence[name], 0.0), 1.0), ok))
    return samples


def aggregate(scores: Sequence[CaseScore]) -> AggregateScore:
    """Dataset figures: field accuracy, micro line P/R/F1, exact rate, route accuracy, ECE."""
    tp = sum(s.true_positives for s in scores)
    precision = _ratio(tp, sum(s.predicted_lines for s in scores))
    recall = _ratio(tp, sum(s.gold_lines for s in scores))
    f1 = _ratio(2 * precision * recall, precision + recall, 0.0)
    accuracy = _field_accuracy(scores)
    routes = [s.route_correct for s in scores if s.route_correct is not None]
    samples = _calibration_samples(scores)
    return AggregateScore(
        cases=len(scores),
        field_accuracy=accuracy,
        field_accuracy_mean=_ratio(sum(accuracy.values()), len(accuracy), 0.0),
        line_precision=precision,
        line_recall=recall,
        line_f1=f1,
        doc_exact_rate=_ratio(sum(s.exact for s in scores), len(scores), 0.0),
        route_accuracy=_ratio(sum(routes), len(routes)) if routes else None,
        ece=expected_calibration_error(samples) if samples else None,
        errors=sum(s.failed for s in scores),
    )

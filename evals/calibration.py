"""Calibration of the per-field confidence: 10 equal-width bins, ECE and a reliability diagram."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from evals.scoring import CaseScore, expected_calibration_error

BINS = 10
Sample = tuple[float, bool]  # (confidence, the field was right)


class CalibrationBin(BaseModel):
    lo: float
    hi: float
    count: int
    mean_confidence: float | None
    accuracy: float | None


class Calibration(BaseModel):
    samples: int
    ece: float | None
    bins: list[CalibrationBin]


def samples_of(scores: Sequence[CaseScore]) -> list[Sample]:
    """(confidence, correct) per scored field with a confidence, paired as the scorer does."""
    out: list[Sample] = []
    for score in scores:
        for name, ok in score.fields.items():
            if name in score.confidence:
                out.append((min(max(score.confidence[name], 0.0), 1.0), ok))
    return out


def _in_bin(confidence: float, index: int, bins: int) -> bool:
    lo, hi = index / bins, (index + 1) / bins
    return lo <= confidence < hi or (index == bins - 1 and confidence == 1.0)


def calibrate(samples: Sequence[Sample], bins: int = BINS) -> Calibration:
    """Per-bin mean confidence and accuracy, and the ECE over the same bins."""
    table: list[CalibrationBin] = []
    for index in range(bins):
        inside = [(c, ok) for c, ok in samples if _in_bin(c, index, bins)]
        table.append(
            CalibrationBin(
                lo=index / bins,
                hi=(index + 1) / bins,
                count=len(inside),
                mean_confidence=sum(c for c, _ in inside) / len(inside) if inside else None,
                accuracy=sum(ok for _, ok in inside) / len(inside) if inside else None,
            )
        )
    ece = expected_calibration_error(list(samples), bins) if samples else None
    return Calibration(samples=len(samples), ece=ece, bins=table)


# ---------------------------------------------------------------- the reliability diagram

_S, _PAD = 300, 40


def _pos(value: float) -> float:
    return _PAD + value * (_S - 2 * _PAD)


def _neg(value: float) -> float:
    return _S - _PAD - value * (_S - 2 * _PAD)


def reliability_svg(calibration: Calibration) -> str:
    """Accuracy per confidence bin against the diagonal of perfect calibration, as inline SVG."""
    width = (_S - 2 * _PAD) / max(len(calibration.bins), 1)
    biggest = max((b.count for b in calibration.bins), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart reliability" '
        f'viewBox="0 0 {_S} {_S}" width="{_S}" height="{_S}" role="img" '
        'aria-label="reliability diagram">',
        f'<rect x="0" y="0" width="{_S}" height="{_S}" fill="white"/>',
        f'<line x1="{_pos(0)}" y1="{_neg(0)}" x2="{_pos(1)}" y2="{_neg(1)}" stroke="#999" '
        'stroke-dasharray="4 3"/>',
        f'<line x1="{_PAD}" y1="{_S - _PAD}" x2="{_S - _PAD}" y2="{_S - _PAD}" stroke="#333"/>',
        f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_S - _PAD}" stroke="#333"/>',
    ]
    for b in calibration.bins:
        if b.accuracy is None:
            continue
        x, top = _pos(b.lo), _neg(b.accuracy)
        opacity = 0.35 + 0.65 * b.count / biggest
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top:.1f}" width="{width - 2:.1f}" '
            f'height="{_S - _PAD - top:.1f}" fill="#2471a3" fill-opacity="{opacity:.2f}">'
            f"<title>{b.lo:.1f}-{b.hi:.1f}: {b.count} fields, accuracy "
            f"{b.accuracy:.2f}, mean confidence {b.mean_confidence or 0:.2f}"
            "</title></rect>"
        )
    for i in range(0, 11, 2):
        v = i / 10
        parts.append(
            f'<text x="{_pos(v):.1f}" y="{_S - _PAD + 14}" font-size="10" '
            f'text-anchor="middle">{v:.1f}</text>'
        )
        parts.append(
            f'<text x="{_PAD - 4}" y="{_neg(v) + 3:.1f}" font-size="10" '
            f'text-anchor="end">{v:.1f}</text>'
        )
    ece = f"ECE {calibration.ece:.3f}" if calibration.ece is not None else "no samples"
    parts += [
        f'<text x="{_S / 2:.0f}" y="{_S - 6}" font-size="11" text-anchor="middle">'
        "confidence</text>",
        f'<text x="12" y="{_S / 2:.0f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {_S / 2:.0f})">accuracy</text>',
        f'<text x="{_PAD + 4}" y="{_PAD - 8}" font-size="11">{ece}, '
        f"{calibration.samples} fields</text>",
        "</svg>",
    ]
    return "\n".join(parts)

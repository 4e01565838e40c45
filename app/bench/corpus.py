"""The benchmark corpus: eval cases and real purchase orders as raw messages, by kind."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parents[2]
DATASETS = (REPO / "evals" / "datasets" / "generated", REPO / "evals" / "datasets" / "hard")
REAL_PDFS = REPO.parent / "shared" / "realdata" / "amc-mrp-shibaura-po"

Kind = Literal["text", "html", "pdf", "sheet"]
KINDS: tuple[Kind, ...] = ("text", "html", "pdf", "sheet")


@dataclass(frozen=True)
class Sample:
    """One message as it arrives, and what kind of document carries the order."""

    name: str
    kind: Kind
    raw: bytes


def kind_of(raw: bytes) -> Kind:
    """The heaviest document kind in a message (a PDF beats a sheet beats HTML beats text)."""
    lowered = raw.lower()
    if b"application/pdf" in lowered or b'.pdf"' in lowered:
        return "pdf"
    if any(m in lowered for m in (b"spreadsheetml", b".xlsx", b"text/csv", b'.csv"')):
        return "sheet"
    if b"text/html" in lowered:
        return "html"
    return "text"


def load_samples() -> list[Sample]:
    """Every eval case (generated and hard) and every real PDF, as raw messages."""
    from app.ingest_cli import compose_loose_message
    from evals.runner import load_cases

    samples: list[Sample] = []
    for dataset in DATASETS:
        if not dataset.is_dir():
            continue
        for case in load_cases(dataset):
            raw = case.raw_message()
            samples.append(Sample(case.case_id, kind_of(raw), raw))
    if REAL_PDFS.is_dir():
        for pdf in sorted(REAL_PDFS.glob("*.pdf")):
            samples.append(Sample(pdf.stem, "pdf", compose_loose_message([pdf])))
    return samples


def mixed(samples: list[Sample], n: int) -> list[Sample]:
    """n samples taken round-robin over the kinds, so every kind is represented."""
    by_kind = {k: [s for s in samples if s.kind == k] for k in KINDS}
    streams = [itertools.cycle(v) for v in by_kind.values() if v]
    picked: list[Sample] = []
    for stream in itertools.cycle(streams):
        if len(picked) >= n:
            break
        picked.append(next(stream))
    return picked

"""Find a value by its label: to the right on the same line, or below it in a layout."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.extraction.rules.layout import Layout, Line, Token

V = TypeVar("V")
BELOW_LINES = 3


@dataclass(frozen=True)
class LabelRule:
    """A label pattern and the confidence a value found by it deserves."""

    pattern: re.Pattern[str]
    confidence: float
    below: bool = True  # may the value sit under the label
    right: bool = True
    reject: re.Pattern[str] | None = None  # words just before the label that disqualify it


@dataclass
class Candidate(Generic[V]):
    """A value found next to a label."""

    value: V
    tokens: list[Token]
    confidence: float
    line: int


# A parser reads a value from the start of a token list: (value, tokens used) or None.
ValueParser = Callable[[list[Token]], tuple[V, list[Token]] | None]


def rule(
    pattern: str,
    confidence: float,
    *,
    below: bool = True,
    right: bool = True,
    reject: str | None = None,
) -> LabelRule:
    """A case-insensitive label rule."""
    return LabelRule(
        re.compile(pattern, re.IGNORECASE),
        confidence,
        below,
        right,
        re.compile(reject, re.IGNORECASE) if reject else None,
    )


def _token_spans(line: Line) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for tok in line.tokens:
        spans.append((pos, pos + len(tok.text)))
        pos += len(tok.text) + 1
    return spans


def _after(line: Line, end: int) -> list[Token]:
    """Tokens right of a character offset in the line text, up to the next label ('Xxx:')."""
    out: list[Token] = []
    for tok, (s, _) in zip(line.tokens, _token_spans(line), strict=True):
        if s < end:
            continue
        if out and tok.text.endswith(":") and any(c.isalpha() for c in tok.text):
            break
        out.append(tok)
    return out


def _label_tokens(line: Line, start: int, end: int) -> list[Token]:
    return [
        t
        for t, (s, e) in zip(line.tokens, _token_spans(line), strict=True)
        if s < end and e > start
    ]


def _below(layout: Layout, line: Line, label: list[Token]) -> Iterable[list[Token]]:
    """Token runs under the label in the next few lines, each overlapping the label's x-range."""
    x0, x1 = label[0].x0 - 2 * layout.char_width, label[-1].x1 + 2 * layout.char_width
    for nxt in layout.lines[line.index + 1 : line.index + 1 + BELOW_LINES]:
        if nxt.page != line.page or nxt.top - line.bottom > 4 * layout.line_height:
            return
        run = [t for t in nxt.tokens if t.x1 > x0 and t.x0 < x1]
        if run:
            yield run


def find_labelled(
    layout: Layout, rules: list[LabelRule], parse: ValueParser[V], *, skip: set[int] | None = None
) -> list[Candidate[V]]:
    """Every value found next to a label of any rule, in rule order then reading order."""
    found: list[Candidate[V]] = []
    for label_rule in rules:
        for line in layout.lines:
            if skip and line.index in skip:
                continue
            for m in label_rule.pattern.finditer(line.text):
                before = line.text[max(0, m.start() - 24) : m.end()]
                if label_rule.reject is not None and label_rule.reject.search(before):
                    continue
                cand = _read_at(layout, line, m, label_rule, parse)
                if cand is not None:
                    found.append(cand)
                    break
    return found


def _read_at(
    layout: Layout, line: Line, m: re.Match[str], label_rule: LabelRule, parse: ValueParser[V]
) -> Candidate[V] | None:
    if label_rule.right:
        got = parse(_after(line, m.end()))
        if got is not None:
            return Candidate(got[0], got[1], label_rule.confidence, line.index)
    label = _label_tokens(line, m.start(), m.end())
    if label_rule.below and label:
        for run in _below(layout, line, label):
            got = parse(run)
            if got is not None:
                return Candidate(got[0], got[1], label_rule.confidence * 0.95, line.index)
    return None

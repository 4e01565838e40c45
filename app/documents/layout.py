"""Turn positioned words into reading-order text whose column alignment survives."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from app.documents.model import BBox, Word

PHRASE_GAP = 1.5  # gaps under this many glyph widths are ordinary spaces between words


@dataclass(frozen=True, slots=True)
class PlacedWord:
    """A word with its box on a page, before it has an offset in the text."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def group_lines(words: list[PlacedWord]) -> list[list[PlacedWord]]:
    """Cluster words into lines by vertical overlap, each line sorted left to right."""
    lines: list[list[PlacedWord]] = []
    band_top = band_bottom = 0.0
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        height = max(word.bottom - word.top, 0.1)
        if lines:
            overlap = min(band_bottom, word.bottom) - max(band_top, word.top)
            if overlap >= 0.5 * min(height, band_bottom - band_top):
                lines[-1].append(word)
                continue
        lines.append([word])
        band_top, band_bottom = word.top, word.bottom
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _char_width(words: list[PlacedWord]) -> float:
    """Typical glyph width on the page, the unit of one text column."""
    widths = [(w.x1 - w.x0) / len(w.text) for w in words if w.text and w.x1 > w.x0]
    if not widths:
        return 5.0
    return min(max(statistics.median(widths), 2.0), 12.0)


def _padding(
    word: PlacedWord, previous: PlacedWord | None, *, column: int, left: float, unit: float
) -> int:
    """Spaces before a word: one inside a phrase, else enough to reach its x column (2+)."""
    target = round((word.x0 - left) / unit)
    if previous is None:
        return max(target, 0)
    if word.x0 - previous.x1 < PHRASE_GAP * unit:
        return 1
    return max(target - column, 2)


def layout_page(words: list[PlacedWord], *, page: int, offset: int) -> tuple[str, list[Word]]:
    """Render one page: one line per text line, spaces placing words at their x column."""
    if not words:
        return "", []
    unit = _char_width(words)
    left = min(w.x0 for w in words)
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    line_height = statistics.median(heights) if heights else 10.0
    parts: list[str] = []
    placed: list[Word] = []
    pos = offset
    prev_bottom: float | None = None
    for line in group_lines(words):
        top = min(w.top for w in line)
        if prev_bottom is not None and top - prev_bottom > line_height:
            parts.append("\n")  # a visible gap between blocks becomes one blank line
            pos += 1
        prev_bottom = max(w.bottom for w in line)
        column = 0
        previous: PlacedWord | None = None
        for word in line:
            pad = _padding(word, previous, column=column, left=left, unit=unit)
            previous = word
            parts.append(" " * pad)
            pos += pad
            column += pad
            bbox = BBox(x0=word.x0, top=word.top, x1=word.x1, bottom=word.bottom)
            placed.append(
                Word(text=word.text, page=page, bbox=bbox, start=pos, end=pos + len(word.text))
            )
            parts.append(word.text)
            pos += len(word.text)
            column += len(word.text)
        parts.append("\n")
        pos += 1
    return "".join(parts), placed

"""Positioned tokens grouped into lines, for PDF words and for plain text alike."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from app.documents.model import ParsedDocument, Word
from app.extraction.schema import SourceRef

TEXT_CHAR_WIDTH = 6.0  # plain text: one character column, in pseudo points
TEXT_LINE_HEIGHT = 12.0
TOUCH_GAP = 0.3  # points: fragments closer than this are one word
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A forward divider: the quoted lines after it are the forwarded message, to be read as text.
FORWARD_DIVIDER = re.compile(
    r"(?i)^\s*(?:-+\s*)?(?:forwarded\s+message|begin\s+forwarded\s+message|"
    r"weitergeleitete\s+nachricht|message\s+transf[ée]r[ée]|mensaje\s+reenviado)"
)
_QUOTE_MARK = re.compile(r"^(?:\s*>)+ ?")


@dataclass
class Token:
    """One word with its box (points for PDFs, character columns scaled for text)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int | None
    start: int
    end: int
    raw: str = ""

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    """Tokens on one visual line, left to right."""

    tokens: list[Token]
    index: int = 0
    gaps: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def page(self) -> int | None:
        return self.tokens[0].page if self.tokens else None

    @property
    def top(self) -> float:
        return min(t.top for t in self.tokens)

    @property
    def bottom(self) -> float:
        return max(t.bottom for t in self.tokens)


@dataclass
class Layout:
    """A document as lines of tokens, with its typical glyph width and line height."""

    document_id: str
    lines: list[Line]
    char_width: float
    line_height: float
    positioned: bool  # True for PDF words, False for plain text


def undouble(word: str) -> str:
    """Undo fake-bold text where every glyph is printed 2-4 times ('BBLLOOCCKK' -> 'BLOCK')."""
    if len(word) < 4 or not any(ch.isalpha() for ch in word):
        return word
    for k in (4, 3, 2):
        if len(word) % k == 0 and all(word[i::k] == word[0::k] for i in range(1, k)):
            return word[0::k]
    return word


def _token(word: Word) -> Token:
    text = undouble(word.text)
    return Token(
        text=text,
        x0=word.bbox.x0,
        x1=word.bbox.x1,
        top=word.bbox.top,
        bottom=word.bbox.bottom,
        page=word.page,
        start=word.start,
        end=word.end,
        raw=word.text,
    )


def _group(tokens: list[Token]) -> list[list[Token]]:
    """Cluster tokens into lines by vertical overlap, per page."""
    lines: list[list[Token]] = []
    band: tuple[int | None, float, float] = (None, 0.0, 0.0)
    for tok in sorted(tokens, key=lambda t: (t.page or 0, t.top, t.x0)):
        page, top, bottom = band
        height, band_height = max(tok.bottom - tok.top, 0.1), max(bottom - top, 0.1)
        overlap = min(bottom, tok.bottom) - max(top, tok.top)
        similar = max(height, band_height) <= 2.5 * min(height, band_height)
        if lines and page == tok.page and similar and overlap >= 0.5 * min(height, band_height):
            lines[-1].append(tok)
            continue
        lines.append([tok])
        band = (tok.page, tok.top, tok.bottom)
    return [sorted(line, key=lambda t: t.x0) for line in lines]


def _merge_touching(tokens: list[Token]) -> list[Token]:
    """Join OCR fragments of one word that touch ('IT' 'E' 'M' -> 'ITEM')."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if prev is not None and 0 <= tok.x0 - prev.x1 < TOUCH_GAP and tok.text[0].isalnum():
            out[-1] = Token(
                prev.text + tok.text,
                prev.x0,
                tok.x1,
                min(prev.top, tok.top),
                max(prev.bottom, tok.bottom),
                prev.page,
                prev.start,
                tok.end,
                prev.raw + tok.raw,
            )
        else:
            out.append(tok)
    return out


def _from_words(doc: ParsedDocument) -> Layout:
    tokens = [_token(w) for w in doc.words if w.text.strip()]
    widths = [(t.x1 - t.x0) / len(t.text) for t in tokens if t.text and t.x1 > t.x0]
    heights = [t.bottom - t.top for t in tokens if t.bottom > t.top]
    groups = [_merge_touching(g) for g in _group(tokens)]
    lines = [Line(tokens=g, index=i) for i, g in enumerate(groups)]
    return Layout(
        doc.document_id,
        lines,
        statistics.median(widths) if widths else 5.0,
        statistics.median(heights) if heights else 10.0,
        True,
    )


def _unquote(content: str, forwarded: bool) -> tuple[str, int]:
    """A forwarded line without its '>' marks (blanked, so offsets stay), and the mark width."""
    m = _QUOTE_MARK.match(content) if forwarded else None
    if m is None:
        return content, 0
    return " " * m.end() + content[m.end() :], m.end()


def _from_text(doc: ParsedDocument) -> Layout:
    lines: list[Line] = []
    offset = 0
    forwarded = False
    for row, raw_line in enumerate(doc.text.splitlines(keepends=True)):
        content = raw_line.rstrip("\r\n").expandtabs(8) if "\t" not in raw_line else raw_line
        forwarded = forwarded or bool(FORWARD_DIVIDER.match(content))
        content, mark = _unquote(content, forwarded)
        tokens = [
            Token(
                text=m.group(),
                x0=(m.start() - mark) * TEXT_CHAR_WIDTH,
                x1=(m.end() - mark) * TEXT_CHAR_WIDTH,
                top=row * TEXT_LINE_HEIGHT,
                bottom=row * TEXT_LINE_HEIGHT + 10,
                page=None,
                start=offset + m.start(),
                end=offset + m.end(),
                raw=m.group(),
            )
            for m in re.finditer(r"[^\s]+", content)
        ]
        if tokens:
            lines.append(Line(tokens=tokens, index=len(lines)))
        offset += len(raw_line)
    return Layout(doc.document_id, lines, TEXT_CHAR_WIDTH, TEXT_LINE_HEIGHT, False)


def build_layout(doc: ParsedDocument) -> Layout:
    """Lines of tokens: from word boxes when the parser gave them, else from the text."""
    return _from_words(doc) if doc.words else _from_text(doc)


def source_of(layout: Layout, tokens: list[Token]) -> SourceRef | None:
    """A SourceRef spanning the given tokens."""
    if not tokens:
        return None
    ref = SourceRef(
        document_id=layout.document_id,
        start=min(t.start for t in tokens),
        end=max(t.end for t in tokens),
    )
    if layout.positioned:
        ref.page = tokens[0].page
        ref.x0, ref.x1 = min(t.x0 for t in tokens), max(t.x1 for t in tokens)
        ref.top, ref.bottom = min(t.top for t in tokens), max(t.bottom for t in tokens)
    return ref


def has_zero_width(text: str) -> bool:
    """True when the text hides zero-width characters."""
    return bool(_ZERO_WIDTH.search(text))


def split_phrases(line: Line, gap: float) -> list[list[Token]]:
    """Runs of tokens separated by less than `gap` points."""
    phrases: list[list[Token]] = []
    for tok in line.tokens:
        if phrases and tok.x0 - phrases[-1][-1].x1 < gap:
            phrases[-1].append(tok)
        else:
            phrases.append([tok])
    return phrases


def spaced_text(line: Line, char_width: float) -> str:
    """The line's text with wide gaps (more than a word space) kept as two spaces."""
    parts: list[str] = []
    for k, tok in enumerate(line.tokens):
        if k:
            gap = tok.x0 - line.tokens[k - 1].x1
            parts.append("  " if gap > 1.5 * char_width else " ")
        parts.append(tok.text)
    return "".join(parts)

"""HTML to plain text that keeps table rows as lines and reports hidden content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

from app.documents.headers import detect_header_row
from app.documents.model import Table

CELL_SEPARATOR = " | "
_DROP = frozenset({"script", "style", "head", "noscript", "template", "svg", "object", "iframe"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "form",
        "address",
        "center",
        "fieldset",
        "figure",
        "figcaption",
        "caption",
        "body",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
    }
)
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class HtmlText:
    """Text rendered from HTML, its data tables and what was suspicious in it."""

    text: str
    tables: list[Table] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # comments and hidden elements, as text


def html_to_text(html: str) -> HtmlText:
    """Render HTML as text: blocks as lines, data-table rows as cells joined by " | "."""
    soup = BeautifulSoup(html, "lxml")
    problems: list[str] = []
    comments = soup.find_all(string=lambda s: isinstance(s, Comment))
    hidden_text = [str(c).strip() for c in comments if _WORDS.search(str(c))]
    if hidden_text:
        problems.append("html_comment")
    for comment in comments:
        comment.extract()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    hidden = [t for t in soup.find_all(_is_hidden) if isinstance(t, Tag)]
    hidden_words = [t.get_text(" ").strip() for t in hidden if _WORDS.search(t.get_text(" "))]
    if hidden_words:
        problems.append("html_hidden_text")
    hidden_text += hidden_words
    for tag in hidden:
        if not tag.decomposed:
            tag.decompose()
    renderer = _Renderer()
    renderer.block(soup)
    return HtmlText(
        text=renderer.finish(), tables=renderer.tables, problems=problems, hidden=hidden_text
    )


def _is_hidden(tag: Tag) -> bool:
    """True for elements a mail client would not show."""
    if tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


class _Renderer:
    """Walks the tree once, collecting lines and leaf tables."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.tables: list[Table] = []

    def newline(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        self.current = []
        if line:
            self.lines.append(line)

    def blank(self) -> None:
        self.newline()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def block(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.current.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, tag: Tag) -> None:
        name = tag.name
        if name == "br":
            if not "".join(self.current).strip():
                self.blank()
            self.newline()
        elif name == "table":
            self.table(tag)
        elif name == "blockquote":
            self.quote(tag)
        elif name == "pre":
            self.newline()
            self.lines.extend(tag.get_text().splitlines())
        elif name in _PARAGRAPH:
            self.blank()
            self.block(tag)
            self.blank()
        elif name in _BLOCK:
            self.newline()
            self.block(tag)
            self.newline()
        else:
            self.block(tag)

    def quote(self, tag: Tag) -> None:
        inner = _Renderer()
        inner.block(tag)
        self.tables.extend(inner.tables)
        self.blank()
        self.lines.extend(f"> {line}".rstrip() for line in inner.finish().splitlines())

    def table(self, tag: Tag) -> None:
        self.blank()
        if tag.find("table") is not None:  # a layout table: render its cells as blocks
            self.block(tag)
            self.newline()
            return
        rows: list[list[str]] = []
        for tr in tag.find_all("tr"):
            cells: list[str] = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                cells.append(_SPACES.sub(" ", cell.get_text(" ")).strip())
                span = _int_attr(cell, "colspan")
                cells.extend([""] * (min(span, 50) - 1))
            if any(cells):
                rows.append(cells)
        for row in rows:
            self.lines.append(CELL_SEPARATOR.join(row).strip())
        if rows and max(len(r) for r in rows) >= 2:
            width = max(len(r) for r in rows)
            grid = [r + [""] * (width - len(r)) for r in rows]
            self.tables.append(Table(rows=grid, header_row=_table_header(tag, grid)))
        self.blank()

    def finish(self) -> str:
        self.newline()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + ("\n" if self.lines else "")


def _table_header(tag: Tag, rows: list[list[str]]) -> int | None:
    """Row 0 when it is made of <th> cells, else the detected header row."""
    first = tag.find("tr")
    if isinstance(first, Tag) and first.find("th", recursive=False) is not None:
        return 0
    return detect_header_row(rows)


def _int_attr(tag: Tag, name: str) -> int:
    """An integer attribute such as colspan, 1 when missing or malformed."""
    value = tag.get(name)
    try:
        return max(int(str(value)), 1) if value is not None else 1
    except ValueError:
        return 1

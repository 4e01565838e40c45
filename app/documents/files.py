"""Loose files (a folder of attachments, an upload) read as one message."""

from __future__ import annotations

from pathlib import Path

from app.documents.mail import LimitExceeded, Walker, parse_message
from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.documents.pdf import DEFAULT_MAX_PAGES


def parse_files(paths: list[Path], *, max_pages: int = DEFAULT_MAX_PAGES) -> ParsedMessage:
    """One message from files in name order: a lone .eml is parsed as that email."""
    ordered = sorted(paths, key=lambda p: (p.name.lower(), str(p)))
    if len(ordered) == 1 and ordered[0].suffix.lower() == ".eml":
        try:
            return parse_message(ordered[0].read_bytes(), max_pages=max_pages)
        except OSError as exc:
            return ParsedMessage(problems=[f"unreadable: {ordered[0].name}: {exc.strerror}"])
    result = ParsedMessage()
    walker = Walker(result, max_pages=max_pages)
    try:
        for path in ordered:
            try:
                data = path.read_bytes()
            except OSError as exc:
                doc = ParsedDocument(
                    document_id=walker.next_id(), kind=DocumentKind.OTHER, filename=path.name
                )
                doc.problems.append(f"unreadable: {exc.strerror or type(exc).__name__}")
                result.documents.append(doc)
                continue
            walker.attachment(data, filename=path.name, content_type=None, depth=0)
    except LimitExceeded as exc:
        result.documents = []
        result.problems.append(exc.problem)
    return result

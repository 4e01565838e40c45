"""The message as the model sees it: untrusted text inside delimiters, within a token budget."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.model import ParsedDocument, ParsedMessage, Table

TRUNCATION_MARK = "\n[... truncated ...]\n"
# Anything that could close or open one of our delimiters from inside the data.
_DELIMITER = re.compile(r"<(\s*/?\s*)(document|table)\b", re.IGNORECASE)
_ATTRIBUTE_UNSAFE = re.compile(r"[\"<>&\r\n]")


# Documents the model never sees: they could not be read safely, so whatever text came out of
# them (if any) is not the sender's order as a person would read it.
WITHHELD_PROBLEMS = frozenset({"encrypted", "too_many_pages", "parse_failure"})


@dataclass(frozen=True)
class ModelInput:
    """The user turn sent to the model and what went into it."""

    text: str
    source_tokens: int  # estimated tokens of the message's own content, before wrapping
    truncated: bool
    documents: int = 0  # documents rendered
    withheld: tuple[str, ...] = ()  # ids of documents left out (see WITHHELD_PROBLEMS)


def withheld_reason(doc: ParsedDocument) -> str | None:
    """Why a document must not reach a model, or None when it may."""
    if doc.encrypted:
        return "encrypted"
    return next(
        (
            p.split(":", 1)[0]
            for p in doc.problems
            if p.split(":", 1)[0].strip() in WITHHELD_PROBLEMS
        ),
        None,
    )


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (~4 characters per token), good enough for budgets."""
    return (len(text) + 3) // 4


def render_message(message: ParsedMessage, *, max_tokens: int) -> ModelInput:
    """Subject and every document (text, tables as TSV), wrapped and cut to `max_tokens`."""
    parts: list[tuple[str, dict[str, str], str]] = (
        [("subject", {}, message.subject)] if message.subject.strip() else []
    )
    if any(p.split(":", 1)[0] in WITHHELD_PROBLEMS for p in message.problems):
        shown: list[ParsedDocument] = []  # the parse failed: nothing of the message is sent
        withheld = ("message", *(doc.document_id for doc in message.documents))
    else:
        shown = [doc for doc in message.documents if withheld_reason(doc) is None]
        withheld = tuple(d.document_id for d in message.documents if withheld_reason(d))
    parts += [(doc.document_id, _attributes(doc), document_content(doc)) for doc in shown]
    source_tokens = sum(estimate_tokens(content) for _, _, content in parts)
    remaining = max_tokens * 4
    blocks: list[str] = []
    truncated = False
    for document_id, attributes, content in parts:
        safe = neutralise(content)
        if len(safe) > remaining:
            safe = safe[: max(remaining, 0)] + TRUNCATION_MARK
            truncated = True
        blocks.append(_wrap(document_id, attributes, safe))
        remaining -= len(safe)
        if truncated:
            break
    return ModelInput(
        text="\n".join(blocks),
        source_tokens=source_tokens,
        truncated=truncated,
        documents=len(shown),
        withheld=withheld,
    )


def document_content(doc: ParsedDocument) -> str:
    """A document's reading-order text followed by its tables as TSV."""
    tables = [table_tsv(table) for table in doc.tables]
    return "\n\n".join(part for part in [doc.text.strip(), *tables] if part)


def table_tsv(table: Table) -> str:
    """One table as tab-separated rows (tabs and newlines inside cells become spaces)."""
    return "\n".join("\t".join(_cell(c) for c in row) for row in table.rows)


def neutralise(text: str) -> str:
    """Defuse delimiter-like text so the data cannot close its own wrapper."""
    return _DELIMITER.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)


def _cell(value: str) -> str:
    return " ".join(value.split())


def _attributes(doc: ParsedDocument) -> dict[str, str]:
    attributes = {"kind": doc.kind.value}
    if doc.filename:
        attributes["filename"] = _ATTRIBUTE_UNSAFE.sub("_", doc.filename)[:120]
    if doc.ocr:
        attributes["ocr"] = "true"
    return attributes


def _wrap(document_id: str, attributes: dict[str, str], content: str) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in attributes.items())
    safe_id = _ATTRIBUTE_UNSAFE.sub("_", document_id)
    return f'<document id="{safe_id}"{attrs}>\n{content}\n</document>'

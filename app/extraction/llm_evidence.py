"""Checking the model's values against the message text, and finding where they were read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from app.documents.model import ParsedDocument, ParsedMessage
from app.extraction.llm_document import document_content
from app.extraction.schema import SourceRef

Scalar = str | Decimal | date

_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_CURRENCY_SIGNS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CHF": "Fr",
    "CAD": "$",
    "AUD": "$",
    "MXN": "$",
    "CNY": "¥",
}
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "{m}/{d}/%Y",
    "%d/%m/%Y",
    "{d}/{m}/%Y",
    "%d.%m.%Y",
    "{d}.{m}.%Y",
    "%m/%d/%y",
    "{m}/{d}/%y",
    "%d.%m.%y",
    "%B {d}",
    "%b {d}",
    "{d} %B",
    "{d} %b",
    "%b. {d}",
    "{d}. %B",
    "%Y%m%d",
)


def normalise(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: how values and quotes are compared."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def value_forms(value: Scalar, *, currency: bool = False) -> list[str]:
    """The ways a value may be written in a document."""
    if isinstance(value, date):
        return [value.strftime(f.format(m=value.month, d=value.day)) for f in _DATE_FORMATS]
    if isinstance(value, Decimal):
        return _number_forms(value)
    if currency and value.upper() in _CURRENCY_SIGNS:
        return [value, _CURRENCY_SIGNS[value.upper()]]
    return [value]


def _number_forms(value: Decimal) -> list[str]:
    forms = [
        f"{value:f}",
        f"{value:.2f}",
        f"{value:,.2f}",
        f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", "."),
    ]
    if value == value.to_integral_value():
        whole = int(value)
        forms += [str(whole), f"{whole:,}", f"{whole:,}".replace(",", ".")]
        if 0 <= whole < len(_NUMBER_WORDS):
            forms.append(_NUMBER_WORDS[whole])
    else:
        forms += [f"{value.normalize():f}", f"{value.normalize():f}".replace(".", ",")]
    return list(dict.fromkeys(forms))


class MessageText:
    """The message's text, searchable for quotes and values, mapping hits to SourceRefs."""

    def __init__(self, message: ParsedMessage) -> None:
        self._documents = message.documents
        corpus = [message.subject, *(document_content(d) for d in message.documents)]
        self._corpus = " " + normalise("\n".join(corpus)) + " "

    def contains(self, text: str) -> bool:
        """True when `text` occurs in the message as a whole word sequence (normalised)."""
        needle = normalise(text)
        if not needle:
            return False
        return re.search(_bounded(re.escape(needle)), self._corpus) is not None

    def supports(self, forms: list[str], evidence: str | None, *, literal: bool) -> bool:
        """A value is supported when a written form of it occurs in the message, or, for a
        normalised value (date, number, code) that is `literal=False`, when its quote does."""
        if any(self.contains(form) for form in forms):
            return True
        return not literal and evidence is not None and self.contains(evidence)

    def locate(self, forms: list[str], evidence: str | None) -> SourceRef | None:
        """Where the value was read: the form inside the evidence span, else the first hit."""
        span = self._find(evidence) if evidence else None
        for form in forms:
            found = self._find(form, within=span)
            if found is not None:
                return found
        return span

    def _find(self, text: str, within: SourceRef | None = None) -> SourceRef | None:
        pattern = _flexible(text)
        if pattern is None:
            return None
        for doc in self._documents:
            if within is not None and doc.document_id != within.document_id:
                continue
            start = (within.start or 0) if within is not None else 0
            end = (within.end or len(doc.text)) if within is not None else len(doc.text)
            match = pattern.search(doc.text, start, end)
            if match is not None:
                return _source(doc, match.start(), match.end())
        return None


def _bounded(pattern: str) -> str:
    return rf"(?<![\w]){pattern}(?![\w])" if pattern else pattern


def _flexible(text: str) -> re.Pattern[str] | None:
    tokens = text.split()
    if not tokens:
        return None
    body = r"\s+".join(re.escape(t) for t in tokens)
    return re.compile(_bounded(body), re.IGNORECASE)


def _source(doc: ParsedDocument, start: int, end: int) -> SourceRef:
    words = [w for w in doc.words if w.start < end and w.end > start]
    ref = SourceRef(document_id=doc.document_id, start=start, end=end)
    if not words:
        return ref
    page = words[0].page
    boxes = [w.bbox for w in words if w.page == page]
    return ref.model_copy(
        update={
            "page": page,
            "x0": min(b.x0 for b in boxes),
            "top": min(b.top for b in boxes),
            "x1": max(b.x1 for b in boxes),
            "bottom": max(b.bottom for b in boxes),
        }
    )

"""The one interface every extractor implements."""

from __future__ import annotations

from typing import Protocol

from app.documents.model import ParsedMessage
from app.extraction.schema import ExtractedOrder


class ExtractionFailed(Exception):
    """The extractor could not produce a valid order (timeout, schema failure, budget)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # machine code, e.g. "timeout", "schema", "budget", "http_500"


class Extractor(Protocol):
    name: str

    def extract(self, message: ParsedMessage) -> ExtractedOrder:
        """Read the message into an order; a value the message does not state stays None."""
        ...

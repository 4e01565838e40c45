"""Shared shapes of the deterministic core's answers: frozen results, issues, money."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

CENT = Decimal("0.01")


class Result(BaseModel):
    """Base of every answer of the core: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Issue(Result):
    """One finding, with a machine code and a sentence for the reviewer."""

    code: str
    detail: str


class Money(Result):
    """An amount in one ISO 4217 currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def has_issue(issues: tuple[Issue, ...], code: str) -> bool:
    """Whether any issue carries `code`."""
    return any(issue.code == code for issue in issues)

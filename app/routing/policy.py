"""The routing policy: thresholds, reason codes and the queues they go to, read from YAML."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ReasonCode = Literal[
    "low_confidence",
    "high_value",
    "unknown_customer",
    "unknown_item",
    "new_ship_to",
    "price_mismatch",
    "atp_shortage",
    "carrier_unavailable",
    "credit_hold",
    "duplicate_po",
    "discontinued_item",
    "uom_mismatch",
    "total_mismatch",
    "order_change",
    "possible_injection",
    "not_a_po",
    "parse_failure",
    "extractor_failure",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MaxAutoTotal(_Strict):
    """The largest order total that may be auto-approved, per currency."""

    default: Decimal = Field(ge=0)
    by_currency: dict[str, Decimal] = Field(default_factory=dict)

    def limit(self, currency: str | None) -> Decimal:
        """The limit for `currency` (the default for an unknown or missing one)."""
        return self.by_currency.get((currency or "").upper(), self.default)

    @model_validator(mode="after")
    def _currencies(self) -> MaxAutoTotal:
        bad = [c for c, v in self.by_currency.items() if len(c) != 3 or not c.isupper() or v < 0]
        if bad:
            raise ValueError(f"currencies must be ISO 4217 codes with limits >= 0: {bad}")
        return self


class Thresholds(_Strict):
    """The numbers the routing decision compares facts with."""

    auto_min_confidence: float = Field(ge=0.0, le=1.0)
    max_auto_total: MaxAutoTotal
    price_tolerance_percent: Decimal = Field(default=Decimal("0"), ge=0, le=100)
    price_tolerance_amount: Decimal = Field(default=Decimal("0"), ge=0)
    total_tolerance_amount: Decimal = Field(default=Decimal("0.01"), ge=0)
    ignored_parse_problems: list[str] = Field(default_factory=list)


class Queue(_Strict):
    """A review queue."""

    description: str = ""


class ReasonRoute(_Strict):
    """Where one reason sends an order: a queue, a priority (1 = most urgent), an SLA."""

    queue: str
    priority: int = Field(ge=1, le=9)
    sla_hours: int = Field(gt=0)


class RoutingPolicy(_Strict):
    """The whole policy file."""

    version: Literal[1] = 1
    thresholds: Thresholds
    queues: dict[str, Queue]
    reasons: dict[ReasonCode, ReasonRoute]

    @model_validator(mode="after")
    def _complete(self) -> RoutingPolicy:
        missing = [code for code in REASON_CODES if code not in self.reasons]
        if missing:
            raise ValueError(f"reasons missing: {', '.join(missing)}")
        unknown = sorted({r.queue for r in self.reasons.values()} - set(self.queues))
        if unknown:
            raise ValueError(f"reasons use undefined queues: {', '.join(unknown)}")
        return self


class PolicyError(ValueError):
    """A policy file that cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load_policy(path: Path | str | None = None) -> RoutingPolicy:
    """The policy in `path` (the shipped default when None); PolicyError when it is invalid."""
    policy, problems = _read(Path(path) if path is not None else DEFAULT_POLICY_PATH)
    if policy is None:
        raise PolicyError(problems)
    return policy


@cache
def default_policy() -> RoutingPolicy:
    """The shipped default policy, read once."""
    return load_policy()


def validate_policy_file(path: Path | str) -> list[str]:
    """The problems of a policy file, each prefixed with the file and the key path; [] if valid."""
    return _read(Path(path))[1]


def _read(path: Path) -> tuple[RoutingPolicy | None, list[str]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc.strerror or exc}"]
    except yaml.YAMLError as exc:
        return None, [f"{path}: not valid YAML: {_yaml_problem(exc)}"]
    if not isinstance(raw, dict):
        return None, [f"{path}: the policy must be a mapping, got {type(raw).__name__}"]
    try:
        return RoutingPolicy.model_validate(raw), []
    except ValidationError as exc:
        problems = [_problem(path, err["loc"], err["msg"]) for err in exc.errors()]
        # Field errors stop the whole-policy checks; run them here so one pass reports all.
        extra = [f"{path}: (top level): {p}" for p in _cross_check(raw)]
        return None, problems + [p for p in extra if p not in problems]


def _cross_check(raw: dict[object, object]) -> list[str]:
    reasons = raw.get("reasons")
    queues = raw.get("queues")
    if not isinstance(reasons, dict) or not isinstance(queues, dict):
        return []
    problems = []
    missing = [code for code in REASON_CODES if code not in reasons]
    if missing:
        problems.append(f"reasons missing: {', '.join(missing)}")
    used = {r.get("queue") for r in reasons.values() if isinstance(r, dict)}
    unknown = sorted(str(q) for q in used - set(queues) if q is not None)
    if unknown:
        problems.append(f"reasons use undefined queues: {', '.join(unknown)}")
    return problems


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return where + str(getattr(exc, "problem", None) or exc)


def _problem(path: Path, loc: tuple[int | str, ...], msg: str) -> str:
    if loc and loc[-1] == "[key]":
        loc, msg = loc[:-1], f"{loc[-2]!r} is not a known key here"
    where = ".".join(str(part) for part in loc) or "(top level)"
    return f"{path}: {where}: {msg.removeprefix('Value error, ')}"

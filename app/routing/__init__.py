"""Routing: the policy file, the auto/review decision, and injection detection."""

from app.routing.facts import CreditStatus, LinePriceCheck, RoutingFacts
from app.routing.injection import InjectionMatch, detect_injection, scan_text
from app.routing.policy import (
    DEFAULT_POLICY_PATH,
    REASON_CODES,
    PolicyError,
    ReasonCode,
    ReasonRoute,
    RoutingPolicy,
    Thresholds,
    default_policy,
    load_policy,
    validate_policy_file,
)
from app.routing.route import Decision, ReasonExplanation, RouteDecision, route

__all__ = [
    "DEFAULT_POLICY_PATH",
    "REASON_CODES",
    "CreditStatus",
    "Decision",
    "InjectionMatch",
    "LinePriceCheck",
    "PolicyError",
    "ReasonCode",
    "ReasonExplanation",
    "ReasonRoute",
    "RouteDecision",
    "RoutingFacts",
    "RoutingPolicy",
    "Thresholds",
    "default_policy",
    "detect_injection",
    "load_policy",
    "route",
    "scan_text",
    "validate_policy_file",
]

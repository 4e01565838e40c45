"""Where the order goes: a known ship-to of the customer, its default, or a new address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.extraction.schema import Address
from app.resolution.models import Candidate, ShipToResolution
from app.resolution.normalise import address_tokens, postal_code, words
from tools.masterdata import MasterData, ShipTo

STREET_MATCH = 85.0  # street-name similarity (0-100) that counts as the same street
NAME_MATCH = 90.0  # ship-to name similarity when the address gives only a name


@dataclass(frozen=True)
class _Score:
    ship_to: ShipTo
    number: bool | None  # street numbers agree; None when one side has none
    street: float
    postal: bool | None
    city: bool | None
    name: float

    @property
    def points(self) -> float:
        """A ranking score, 0-100, for the reviewer's candidate list."""
        agree = [self.postal, self.city, self.number]
        return round(0.55 * self.street + 15 * sum(a is True for a in agree), 1)


def resolve_ship_to(
    *, address: Address | None, customer_id: str | None, master: MasterData
) -> ShipToResolution:
    """The customer's ship-to matching the stated address, its default, or a new ship-to."""
    if not _stated(address):
        return _default(customer_id, master)
    assert address is not None
    if customer_id is None:
        return ShipToResolution(
            address=address,
            reason="unknown_customer",
            evidence=["customer unknown: its ship-tos cannot be searched"],
        )
    known = [s for s in master.ship_tos.values() if s.customer_id == customer_id]
    scores = sorted((_score(address, s) for s in known), key=lambda s: -s.points)
    for score in scores:
        confidence = _match_confidence(score)
        if confidence > 0:
            return ShipToResolution(
                value=score.ship_to.ship_to_id,
                confidence=confidence,
                method="match",
                address=address,
                candidates=_candidates(scores),
                evidence=_evidence(score),
            )
    return ShipToResolution(
        is_new=True,
        method="new",
        confidence=0.9,
        address=address,
        reason="new_ship_to",
        candidates=_candidates(scores),
        evidence=[f"stated address matches none of {len(known)} known ship-tos of {customer_id}"],
    )


def _stated(address: Address | None) -> bool:
    return address is not None and any(
        (getattr(address, f) or "").strip() for f in ("street", "city", "postal_code", "name")
    )


def _default(customer_id: str | None, master: MasterData) -> ShipToResolution:
    customer = master.customers.get(customer_id) if customer_id else None
    default = customer.default_ship_to_id if customer else None
    if default is None or default not in master.ship_tos:
        return ShipToResolution(
            reason="no_ship_to", evidence=["no ship-to stated and no default ship-to known"]
        )
    return ShipToResolution(
        value=default,
        confidence=0.95,
        method="default",
        evidence=[f"no ship-to stated: default of {customer_id}"],
    )


def _score(address: Address, ship_to: ShipTo) -> _Score:
    stated = address_tokens(address.street or "")
    known = address_tokens(ship_to.street)
    stated_num, known_num = _number(stated), _number(known)
    street = fuzz.token_set_ratio(" ".join(_non_numbers(stated)), " ".join(_non_numbers(known)))
    return _Score(
        ship_to=ship_to,
        number=None if stated_num is None or known_num is None else stated_num == known_num,
        street=street if stated and known else 0.0,
        postal=_same(address.postal_code, ship_to.postal_code, postal_code),
        city=_same(address.city, ship_to.city, lambda t: " ".join(address_tokens(t))),
        name=_name_similarity(address.name, ship_to.name),
    )


def _name_similarity(stated: str | None, known: str) -> float:
    if not stated:
        return 0.0
    return fuzz.token_set_ratio(" ".join(words(stated)), " ".join(words(known)))


def _number(tokens: list[str]) -> str | None:
    return next((t for t in tokens if t[:1].isdigit()), None)


def _non_numbers(tokens: list[str]) -> list[str]:
    return [t for t in tokens if not t[:1].isdigit()]


def _same(stated: str | None, known: str, form: Callable[[str], str]) -> bool | None:
    if not stated or not stated.strip() or not known.strip():
        return None
    return form(stated) == form(known)


def _match_confidence(s: _Score) -> float:
    if s.number is False or s.postal is False:
        return 0.0
    street_ok = s.street >= STREET_MATCH and s.number is True
    place_ok = [s.postal, s.city].count(True)
    if street_ok and place_ok == 2:
        return 0.98
    if street_ok and place_ok == 1 and s.city is not False:
        return 0.92
    if s.street == 0.0 and s.name >= NAME_MATCH and s.city is not False:
        return 0.75  # only a name (and maybe a city): likely, but a person should look
    return 0.0


def _evidence(s: _Score) -> list[str]:
    parts = [
        f"street {s.street:.0f}",
        f"number {_yn(s.number)}",
        f"postal {_yn(s.postal)}",
        f"city {_yn(s.city)}",
    ]
    return [
        f"stated address ~ {s.ship_to.ship_to_id} {s.ship_to.street}, {s.ship_to.city}: "
        + ", ".join(parts)
    ]


def _yn(value: bool | None) -> str:
    return "n/a" if value is None else ("agrees" if value else "differs")


def _candidates(scores: list[_Score]) -> list[Candidate]:
    return [
        Candidate(
            id=s.ship_to.ship_to_id,
            score=s.points,
            label=f"{s.ship_to.name}, {s.ship_to.street}, {s.ship_to.city}",
        )
        for s in scores[:3]
    ]

"""Which customer sent the order: sender address, sender domain and the name on the document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from app.resolution.models import Candidate, Resolution
from app.resolution.normalise import normalise_company
from tools.masterdata import Customer, MasterData, split_list

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "t-online.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "qq.com",
        "163.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "hotmail.co.uk",
        "yahoo.co.uk",
        "btinternet.com",
    }
)

SenderMethod = Literal["address", "domain"]

NAME_STRONG = 90.0  # a name score from here on names the customer
NAME_WEAK = 80.0  # from here on it is a candidate worth showing
NAME_MARGIN = 5.0  # the best name must beat the next customer by this much


@dataclass(frozen=True)
class _NameScore:
    customer_id: str
    score: float
    matched: str


def resolve_customer(
    *, sender: str | None, customer_name: str | None, master: MasterData
) -> Resolution[str]:
    """The customer from sender address and domain and the document's customer name."""
    by_address = _by_address(sender, master)
    by_domain = [] if by_address else _by_domain(sender, master)
    names = _name_scores(customer_name, master)
    sender_ids = by_address or by_domain
    sender_method: SenderMethod = "address" if by_address else "domain"
    if sender_ids:
        return _with_sender(sender_ids, sender_method, names, sender or "", master)
    return _by_name_only(names, customer_name, sender)


def _by_address(sender: str | None, master: MasterData) -> list[str]:
    if not sender:
        return []
    address = sender.strip().casefold()
    return [
        c.customer_id
        for c in master.customers.values()
        if address in {a.casefold() for a in split_list(c.email_addresses)}
    ]


def sender_domain(sender: str | None) -> str | None:
    """The domain part of an address, lower case; None when there is none."""
    if not sender or sender.count("@") != 1:
        return None
    domain = sender.rsplit("@", 1)[1].strip().casefold().rstrip(".")
    return domain or None


def _by_domain(sender: str | None, master: MasterData) -> list[str]:
    domain = sender_domain(sender)
    if domain is None or domain in FREE_MAIL_DOMAINS:
        return []
    return [
        c.customer_id
        for c in master.customers.values()
        if any(_domain_matches(domain, d) for d in split_list(c.email_domains))
    ]


def _domain_matches(domain: str, known: str) -> bool:
    known = known.casefold().lstrip("@")
    return known not in FREE_MAIL_DOMAINS and (domain == known or domain.endswith("." + known))


def _name_scores(name: str | None, master: MasterData) -> list[_NameScore]:
    query = normalise_company(name or "")
    if not query:
        return []
    scores = [_best_name(query, c) for c in master.customers.values()]
    return sorted((s for s in scores if s.score >= NAME_WEAK), key=lambda s: -s.score)


def _best_name(query: str, customer: Customer) -> _NameScore:
    best = _NameScore(customer.customer_id, 0.0, "")
    for known in [customer.name, *split_list(customer.aliases)]:
        norm = normalise_company(known)
        score = max(fuzz.ratio(query, norm), fuzz.token_sort_ratio(query, norm)) if norm else 0.0
        if score > best.score:
            best = _NameScore(customer.customer_id, score, known)
    return best


def _with_sender(
    sender_ids: list[str],
    method: SenderMethod,
    names: list[_NameScore],
    sender: str,
    master: MasterData,
) -> Resolution[str]:
    sender_evidence = f"sender {sender} is a known {method} of {', '.join(sender_ids)}"
    name_of = {n.customer_id: n for n in names}
    agreeing = [cid for cid in sender_ids if cid in name_of and name_of[cid].score >= NAME_STRONG]
    top_name = names[0] if names and names[0].score >= NAME_STRONG else None
    if len(agreeing) == 1:
        n = name_of[agreeing[0]]
        return Resolution[str](
            value=n.customer_id,
            confidence=0.99 if method == "address" else 0.95,
            method="combined",
            candidates=_candidates(sender_ids, names, master),
            evidence=[sender_evidence, f"document name matches {n.matched!r} ({n.score:.0f})"],
        )
    if top_name is not None and top_name.customer_id not in sender_ids:
        return Resolution[str](
            value=sender_ids[0],
            confidence=0.3,
            method="conflict",
            reason="customer_conflict",
            candidates=_candidates(sender_ids, names, master),
            evidence=[
                sender_evidence,
                f"but the document names {top_name.matched!r} "
                f"of {top_name.customer_id} ({top_name.score:.0f})",
            ],
        )
    if len(sender_ids) > 1:
        return Resolution[str](
            value=None,
            confidence=0.2,
            method=method,
            reason="ambiguous_customer",
            candidates=_candidates(sender_ids, names, master),
            evidence=[sender_evidence, "the document name does not tell them apart"],
        )
    return Resolution[str](
        value=sender_ids[0],
        confidence=0.97 if method == "address" else 0.9,
        method=method,
        candidates=_candidates(sender_ids, names, master),
        evidence=[sender_evidence, "no customer name on the document contradicts it"],
    )


def _by_name_only(
    names: list[_NameScore], customer_name: str | None, sender: str | None
) -> Resolution[str]:
    sender_note = (
        f"sender {sender} is not a known address or domain"
        if sender
        else "no trustworthy sender address"
    )
    if not names:
        return Resolution[str](
            value=None,
            confidence=0.0,
            reason="unknown_customer",
            evidence=[sender_note, f"no customer named like {customer_name!r}"],
        )
    top = names[0]
    runner_up = names[1].score if len(names) > 1 else 0.0
    clear = top.score >= NAME_STRONG and top.score - runner_up >= NAME_MARGIN
    # A name alone is what anyone can type: never certain without the sender to back it.
    return Resolution[str](
        value=top.customer_id if clear else None,
        confidence=round(0.85 * top.score / 100, 3) if clear else 0.3,
        method="name",
        reason=None if clear else "unknown_customer",
        candidates=[Candidate(id=n.customer_id, score=n.score, label=n.matched) for n in names[:5]],
        evidence=[
            sender_note,
            f"document name {customer_name!r} ~ {top.matched!r} "
            f"({top.score:.0f}, next {runner_up:.0f})",
        ],
    )


def _candidates(
    sender_ids: list[str], names: list[_NameScore], master: MasterData
) -> list[Candidate]:
    out = {
        n.customer_id: Candidate(id=n.customer_id, score=n.score, label=n.matched)
        for n in names[:5]
    }
    for cid in sender_ids:
        out.setdefault(cid, Candidate(id=cid, score=100.0, label=master.customers[cid].name))
    return sorted(out.values(), key=lambda c: -c.score)[:5]

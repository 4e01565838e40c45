"""Operations metrics per day: rows read with SQL, then pure aggregation functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.core.time import utcnow
from app.drafts.tables import DraftOrder, DraftStatus
from app.intake.tables import InboundMessage
from app.orders.tables import Order
from app.review.service import OPEN_STATES
from app.review.tables import ReviewTask

T = TypeVar("T")


@dataclass(frozen=True)
class DraftRow:
    created_at: datetime
    decided_at: datetime | None
    status: str
    route_decision: str | None
    reasons: tuple[str, ...]
    edited: bool
    tokens: int
    received_at: datetime | None
    ordered_at: datetime | None

    @property
    def touchless(self) -> bool:
        return self.route_decision == "auto" and self.status == DraftStatus.APPROVED

    @property
    def approved_by_review(self) -> bool:
        return self.route_decision == "review" and self.status == DraftStatus.APPROVED


@dataclass(frozen=True)
class TaskRow:
    created_at: datetime
    closed_at: datetime | None
    sla_due_at: datetime
    status: str


@dataclass(frozen=True)
class Days:
    """The window: `count` calendar days ending today, in the company's time zone."""

    end: date
    count: int
    tz: ZoneInfo

    @property
    def dates(self) -> list[date]:
        return [self.end - timedelta(days=self.count - 1 - i) for i in range(self.count)]

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.count - 1)

    def index(self, stamp: datetime | None) -> int | None:
        """The position of the day holding `stamp`, or None outside the window."""
        if stamp is None:
            return None
        offset = (stamp.astimezone(self.tz).date() - self.start).days
        return offset if 0 <= offset < self.count else None


def _buckets(days: Days, items: Iterable[tuple[datetime | None, T]]) -> list[list[T]]:
    out: list[list[T]] = [[] for _ in range(days.count)]
    for stamp, item in items:
        i = days.index(stamp)
        if i is not None:
            out[i].append(item)
    return out


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _median(values: Sequence[float]) -> float | None:
    return float(median(values)) if values else None


def daily_counts(days: Days, stamps: Iterable[datetime]) -> list[int]:
    return [len(b) for b in _buckets(days, ((s, 1) for s in stamps))]


def touchless_rate(days: Days, drafts: Iterable[DraftRow]) -> list[float | None]:
    """Auto-approved drafts / routed drafts, by the day the draft was made."""
    buckets = _buckets(days, ((d.created_at, d) for d in drafts if d.route_decision))
    return [_rate(sum(d.touchless for d in b), len(b)) for b in buckets]


def review_rate(days: Days, drafts: Iterable[DraftRow]) -> list[float | None]:
    buckets = _buckets(days, ((d.created_at, d) for d in drafts if d.route_decision))
    return [_rate(sum(d.route_decision == "review" for d in b), len(b)) for b in buckets]


def review_rate_by_reason(
    days: Days, drafts: Iterable[DraftRow], top: int = 5
) -> dict[str, list[float | None]]:
    """For the most frequent reasons: drafts sent to review for it / routed drafts, per day."""
    routed = [d for d in drafts if d.route_decision]
    frequent = Counter(r for d in routed if d.route_decision == "review" for r in d.reasons)
    buckets = _buckets(days, ((d.created_at, d) for d in routed))
    return {
        reason: [
            _rate(sum(d.route_decision == "review" and reason in d.reasons for d in b), len(b))
            for b in buckets
        ]
        for reason, _ in frequent.most_common(top)
    }


def median_cycle_minutes(days: Days, drafts: Iterable[DraftRow]) -> list[float | None]:
    """Receipt of the message to the order, by the day the order was made."""
    buckets = _buckets(
        days,
        (
            (d.ordered_at, (d.ordered_at - d.received_at).total_seconds() / 60)
            for d in drafts
            if d.ordered_at and d.received_at
        ),
    )
    return [_median(b) for b in buckets]


def median_review_minutes(days: Days, tasks: Iterable[TaskRow]) -> list[float | None]:
    """Task opened to task closed, by the day it closed."""
    buckets = _buckets(
        days,
        (
            (t.closed_at, (t.closed_at - t.created_at).total_seconds() / 60)
            for t in tasks
            if t.closed_at
        ),
    )
    return [_median(b) for b in buckets]


def sla_breaches(days: Days, tasks: Iterable[TaskRow], now: datetime) -> list[int]:
    """Tasks whose SLA ran out, by the day it ran out: closed late, or open past it."""
    late = [
        t
        for t in tasks
        if (t.closed_at is not None and t.closed_at > t.sla_due_at)
        or (t.closed_at is None and t.status in OPEN_STATES and now > t.sla_due_at)
    ]
    return daily_counts(days, (t.sla_due_at for t in late))


def first_pass_quality(days: Days, drafts: Iterable[DraftRow]) -> list[float | None]:
    """Reviewed and approved without an edit / reviewed and approved, by decision day."""
    buckets = _buckets(days, ((d.decided_at, d) for d in drafts if d.approved_by_review))
    return [_rate(sum(not d.edited for d in b), len(b)) for b in buckets]


def tokens_per_order(days: Days, drafts: Iterable[DraftRow]) -> list[float | None]:
    """Mean model tokens (in + out) of the drafts that became orders, by order day."""
    buckets = _buckets(days, ((d.ordered_at, float(d.tokens)) for d in drafts if d.ordered_at))
    return [sum(b) / len(b) if b else None for b in buckets]


# --- reading the rows --------------------------------------------------------------------


def _since(days: Days) -> datetime:
    start = datetime.combine(days.start, datetime.min.time(), tzinfo=days.tz)
    return start - timedelta(days=1)


def message_times(session: Session, days: Days) -> list[datetime]:
    stmt = select(InboundMessage.received_at).where(col(InboundMessage.received_at) >= _since(days))
    return list(session.exec(stmt))


def draft_rows(session: Session, days: Days) -> list[DraftRow]:
    stmt = (
        select(DraftOrder, InboundMessage.received_at, Order.created_at)
        .join(
            InboundMessage,
            col(InboundMessage.id) == col(DraftOrder.inbound_message_id),
            isouter=True,
        )
        .join(Order, col(Order.draft_id) == col(DraftOrder.id), isouter=True)
        .where(col(DraftOrder.created_at) >= _since(days))
    )
    return [
        DraftRow(
            created_at=d.created_at,
            decided_at=d.decided_at,
            status=d.status,
            route_decision=d.route_decision,
            reasons=tuple(d.reasons),
            edited=d.edited,
            tokens=d.tokens_input + d.tokens_output,
            received_at=received,
            ordered_at=ordered,
        )
        for d, received, ordered in session.exec(stmt)
    ]


def task_rows(session: Session, days: Days) -> list[TaskRow]:
    since = _since(days)
    stmt = select(ReviewTask).where(
        (col(ReviewTask.created_at) >= since)
        | (col(ReviewTask.sla_due_at) >= since)
        | (col(ReviewTask.closed_at) >= since)
    )
    return [
        TaskRow(
            created_at=t.created_at, closed_at=t.closed_at, sla_due_at=t.sla_due_at, status=t.status
        )
        for t in session.exec(stmt)
    ]


@dataclass(frozen=True)
class Dashboard:
    dates: list[date]
    messages: list[int]
    touchless: list[float | None]
    review: list[float | None]
    review_by_reason: dict[str, list[float | None]]
    cycle_minutes: list[float | None]
    review_minutes: list[float | None]
    sla_breaches: list[int]
    first_pass: list[float | None]
    tokens_per_order: list[float | None]
    totals: dict[str, float | None]


def dashboard(
    session: Session, *, tz: str, days: int = 30, now: datetime | None = None
) -> Dashboard:
    """Every dashboard series over the last `days` days, with totals over the window."""
    now = now or utcnow()
    zone = ZoneInfo(tz)
    window = Days(end=now.astimezone(zone).date(), count=days, tz=zone)
    drafts = draft_rows(session, window)
    tasks = task_rows(session, window)
    in_window = [d for d in drafts if window.index(d.created_at) is not None]
    routed = [d for d in in_window if d.route_decision]
    reviewed = [
        d for d in drafts if d.approved_by_review and window.index(d.decided_at) is not None
    ]
    ordered = [d for d in drafts if window.index(d.ordered_at) is not None]
    cycle = [
        (d.ordered_at - d.received_at).total_seconds() / 60
        for d in ordered
        if d.ordered_at and d.received_at
    ]
    closed = [
        (t.closed_at - t.created_at).total_seconds() / 60
        for t in tasks
        if t.closed_at and window.index(t.closed_at) is not None
    ]
    messages = message_times(session, window)
    return Dashboard(
        dates=window.dates,
        messages=daily_counts(window, messages),
        touchless=touchless_rate(window, drafts),
        review=review_rate(window, drafts),
        review_by_reason=review_rate_by_reason(window, drafts),
        cycle_minutes=median_cycle_minutes(window, drafts),
        review_minutes=median_review_minutes(window, tasks),
        sla_breaches=sla_breaches(window, tasks, now),
        first_pass=first_pass_quality(window, drafts),
        tokens_per_order=tokens_per_order(window, drafts),
        totals={
            "messages": float(sum(daily_counts(window, messages))),
            "touchless": _rate(sum(d.touchless for d in routed), len(routed)),
            "review": _rate(sum(d.route_decision == "review" for d in routed), len(routed)),
            "cycle_minutes": _median(cycle),
            "review_minutes": _median(closed),
            "sla_breaches": float(sum(sla_breaches(window, tasks, now))),
            "first_pass": _rate(sum(not d.edited for d in reviewed), len(reviewed)),
            "tokens_per_order": (
                sum(d.tokens for d in ordered) / len(ordered) if ordered else None
            ),
        },
    )

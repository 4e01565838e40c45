"""The dashboard's aggregations, on hand-made rows (pure), and read from a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.core.context import AppContext
from app.ui import metrics
from app.ui.metrics import DraftRow, TaskRow

UTC_DAYS = metrics.Days(end=date(2026, 11, 20), count=3, tz=ZoneInfo("UTC"))
D0, D1, D2 = (datetime(2026, 11, 18 + i, 12, tzinfo=UTC) for i in range(3))


def draft(
    created: datetime,
    *,
    route: str | None = "review",
    status: str = "approved",
    reasons: tuple[str, ...] = (),
    edited: bool = False,
    tokens: int = 0,
    ordered: datetime | None = None,
    received: datetime | None = None,
) -> DraftRow:
    return DraftRow(
        created_at=created,
        decided_at=created + timedelta(hours=1),
        status=status,
        route_decision=route,
        reasons=reasons,
        edited=edited,
        tokens=tokens,
        received_at=received or created,
        ordered_at=ordered,
    )


def test_days_bucket_by_company_day() -> None:
    chicago = metrics.Days(end=date(2026, 11, 20), count=2, tz=ZoneInfo("America/Chicago"))
    late_evening = datetime(2026, 11, 20, 3, tzinfo=UTC)  # 21:00 on the 19th in Chicago
    assert chicago.index(late_evening) == 0
    assert chicago.index(datetime(2026, 11, 21, 7, tzinfo=UTC)) is None
    assert metrics.daily_counts(chicago, [late_evening, late_evening]) == [2, 0]


def test_touchless_and_review_rates() -> None:
    rows = [
        draft(D0, route="auto"),
        draft(D0, reasons=("high_value",)),
        draft(D1, route="auto", status="in_review"),
        draft(D1, route=None),
    ]
    assert metrics.touchless_rate(UTC_DAYS, rows) == [0.5, 0.0, None]
    assert metrics.review_rate(UTC_DAYS, rows) == [0.5, 0.0, None]


def test_review_rate_by_reason_keeps_the_most_frequent() -> None:
    rows = [
        draft(D0, reasons=("unknown_item", "new_ship_to")),
        draft(D0, reasons=("unknown_item",)),
        draft(D0, route="auto"),
        draft(D1, reasons=("price_mismatch",)),
    ]
    by_reason = metrics.review_rate_by_reason(UTC_DAYS, rows, top=2)
    assert list(by_reason) == ["unknown_item", "new_ship_to"]
    assert by_reason["unknown_item"] == [2 / 3, 0.0, None]


def test_medians_of_cycle_and_review_time() -> None:
    rows = [draft(D0, ordered=D2, received=D2 - timedelta(minutes=m)) for m in (10, 30, 90)]
    assert metrics.median_cycle_minutes(UTC_DAYS, rows) == [None, None, 30.0]
    tasks = [
        TaskRow(
            created_at=D1 - timedelta(minutes=m), closed_at=D1, sla_due_at=D2, status="approved"
        )
        for m in (5, 15)
    ]
    assert metrics.median_review_minutes(UTC_DAYS, tasks) == [None, 10.0, None]


def test_sla_breaches_closed_late_or_still_open() -> None:
    tasks = [
        TaskRow(created_at=D0, closed_at=D1, sla_due_at=D0 + timedelta(hours=1), status="approved"),
        TaskRow(created_at=D0, closed_at=None, sla_due_at=D1, status="open"),
        TaskRow(created_at=D0, closed_at=D0, sla_due_at=D1, status="approved"),
        TaskRow(created_at=D0, closed_at=None, sla_due_at=D2 + timedelta(hours=2), status="open"),
    ]
    assert metrics.sla_breaches(UTC_DAYS, tasks, now=D2) == [1, 1, 0]


def test_first_pass_quality_and_tokens() -> None:
    rows = [
        draft(D0, edited=False, ordered=D0, tokens=1000),
        draft(D0, edited=True, ordered=D0, tokens=3000),
        draft(D0, route="auto", ordered=D0, tokens=0),
    ]
    assert metrics.first_pass_quality(UTC_DAYS, rows) == [0.5, None, None]
    assert metrics.tokens_per_order(UTC_DAYS, rows) == [4000 / 3, None, None]


def test_dashboard_reads_the_database(demo_ctx: AppContext) -> None:
    with Session(demo_ctx.engine) as session:
        board = metrics.dashboard(session, tz="America/Chicago")
    assert len(board.dates) == 30 and board.messages == [0] * 30
    assert board.totals["touchless"] is None

"""SLA colours and confidence levels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.ui.views import level, sla_state

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def test_sla_state() -> None:
    due = T0 + timedelta(hours=8)
    assert sla_state(T0, due, "open", now=T0 + timedelta(hours=1)) == "ok"
    assert sla_state(T0, due, "claimed", now=T0 + timedelta(hours=6, minutes=30)) == "soon"
    assert sla_state(T0, due, "open", now=due + timedelta(seconds=1)) == "breached"
    assert sla_state(T0, due, "approved", now=due + timedelta(hours=1)) == "closed"
    short = T0 + timedelta(minutes=90)  # short windows: due soon in the last hour
    assert sla_state(T0, short, "open", now=T0 + timedelta(minutes=40)) == "soon"


def test_confidence_levels() -> None:
    assert [level(v) for v in (0.95, 0.9, 0.8, 0.2, None)] == ["high", "high", "mid", "low", "none"]

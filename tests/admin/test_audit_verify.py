"""`intake audit verify`: intact chains pass; the database refuses edits; tampering is found."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from app.audit import service as audit
from app.audit.tables import AuditEvent
from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope


def _events(ctx: AppContext, n: int) -> None:
    with session_scope(ctx.engine) as session:
        for i in range(n):
            audit.record(
                session,
                actor="test",
                action="test.event",
                entity="thing",
                entity_id=f"t{i}",
                after={"i": i},
            )


def test_verify_intact_then_tampered(
    demo_ctx: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    _events(demo_ctx, 4)
    url = demo_ctx.settings.database_url
    assert main(["audit", "verify", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("audit chain intact: ") and "events" in out

    with pytest.raises(DatabaseError, match="append-only"), demo_ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE entity_id = 't1'"))
    with pytest.raises(DatabaseError, match="append-only"), demo_ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE entity_id = 't1'"))

    with demo_ctx.engine.begin() as conn:  # an attacker with DDL rights
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE entity_id = 't1'"))
        conn.execute(text("DELETE FROM audit_events WHERE entity_id = 't2'"))
    assert main(["audit", "verify", "--database-url", url]) == 1
    out = capsys.readouterr().out
    assert "audit chain BROKEN" in out
    assert "event content does not match its hash" in out
    assert "broken link to the previous event" in out


def _event(session: object, entity_id: str) -> None:
    audit.record(
        session,  # type: ignore[arg-type]
        actor="test",
        action="test.event",
        entity="thing",
        entity_id=entity_id,
    )


def test_chain_holds_across_savepoints_and_transactions(demo_ctx: AppContext) -> None:
    """Several events per transaction, one in a savepoint that rolls back, one after a commit
    in the same session: every event still links to the one really stored before it."""
    with session_scope(demo_ctx.engine) as session:
        _event(session, "a")
        _event(session, "b")
        savepoint = session.begin_nested()
        _event(session, "lost")
        savepoint.rollback()
        _event(session, "c")
        nested = session.begin_nested()
        _event(session, "d")
        nested.commit()
        _event(session, "e")
        session.commit()
        _event(session, "f")
    with session_scope(demo_ctx.engine) as session:
        assert audit.verify(session) == []
        ids = [ev.entity_id for ev in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
    assert ids[-6:] == ["a", "b", "c", "d", "e", "f"]

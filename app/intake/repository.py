"""All SQL of the intake."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.core.rows import insert_unless_present, insert_values, insert_values_unless_present
from app.intake.schemas import StoredMessage
from app.intake.tables import InboundMessage, MailgunTokenSeen, MessageStatus, RawMessage


def get_by_dedup_key(session: Session, dedup_key: str) -> InboundMessage | None:
    return session.exec(
        select(InboundMessage).where(InboundMessage.dedup_key == dedup_key)
    ).one_or_none()


def get(session: Session, message_id: str) -> InboundMessage | None:
    return session.get(InboundMessage, message_id)


def stored_dedup_keys(session: Session, keys: set[str]) -> set[str]:
    """Which of `keys` belong to stored messages (one indexed column, no entity loads)."""
    if not keys:
        return set()
    stmt = select(InboundMessage.dedup_key).where(col(InboundMessage.dedup_key).in_(keys))
    return set(session.exec(stmt))


def insert_messages(session: Session, rows: list[tuple[StoredMessage, bytes, str]]) -> set[str]:
    """Insert messages with their bytes and sha256; returns the dedup keys that lost to a
    stored message (another transaction stored the key first: nothing was written for them).

    Core statements for all rows at once: ON CONFLICT DO NOTHING on the unique dedup key,
    then one look-up tells which of our ids won.
    """
    if not rows:
        return set()
    values = [dict(vars(m)) for m, _, _ in rows]  # the record's fields are the columns
    insert_values_unless_present(session, InboundMessage, values, "dedup_key")
    ours = {m.dedup_key: m.id for m, _, _ in rows}
    stmt = select(InboundMessage.dedup_key, InboundMessage.id).where(
        col(InboundMessage.dedup_key).in_(ours)
    )
    lost = {key for key, stored_id in session.exec(stmt) if stored_id != ours[key]}
    raws = [
        {"message_id": m.id, "bytes": content, "sha256": sha256}
        for m, content, sha256 in rows
        if m.dedup_key not in lost
    ]
    insert_values(session, RawMessage, raws)
    return lost


def count_recent_from(session: Session, sender: str, *, since: datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(InboundMessage)
        .where(InboundMessage.sender == sender, col(InboundMessage.received_at) > since)
    )
    return int(session.exec(stmt).one())


def raw_bytes(session: Session, message_id: str) -> bytes | None:
    row = session.get(RawMessage, message_id)
    return None if row is None else row.content


def list_by_status(
    session: Session, status: MessageStatus, *, limit: int, offset: int
) -> list[InboundMessage]:
    stmt = (
        select(InboundMessage)
        .where(InboundMessage.status == status)
        .order_by(col(InboundMessage.received_at).desc(), col(InboundMessage.id))
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(stmt))


def insert_token(session: Session, token: str, *, seen_at: datetime) -> bool:
    """Record a Mailgun token; False when it was seen before."""
    return insert_unless_present(session, MailgunTokenSeen(token=token, seen_at=seen_at), "token")


def purge_tokens(session: Session, *, before: datetime) -> None:
    session.execute(delete(MailgunTokenSeen).where(col(MailgunTokenSeen.seen_at) < before))

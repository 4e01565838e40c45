"""All SQL of the intake."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.intake.tables import InboundMessage, MailgunTokenSeen, MessageStatus, RawMessage


def get_by_dedup_key(session: Session, dedup_key: str) -> InboundMessage | None:
    return session.exec(
        select(InboundMessage).where(InboundMessage.dedup_key == dedup_key)
    ).one_or_none()


def get(session: Session, message_id: str) -> InboundMessage | None:
    return session.get(InboundMessage, message_id)


def insert_message(session: Session, message: InboundMessage, raw: RawMessage) -> bool:
    """Insert the message and its bytes; False when its dedup_key is already taken."""
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
            session.add(raw)
    except IntegrityError:
        return False
    return True


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
    try:
        with session.begin_nested():
            session.add(MailgunTokenSeen(token=token, seen_at=seen_at))
    except IntegrityError:
        return False
    return True


def purge_tokens(session: Session, *, before: datetime) -> None:
    session.execute(delete(MailgunTokenSeen).where(col(MailgunTokenSeen.seen_at) < before))

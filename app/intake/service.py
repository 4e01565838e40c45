"""Store first, process later: an inbound message is durable before the provider hears 2xx.

Nothing here commits: the request's session (or the worker's session_scope) does.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import assert_never

from opentelemetry import trace
from sqlmodel import Session

from app.core.config import Settings
from app.core.errors import Conflict, NotFound, TooManyRequests, Unavailable
from app.core.time import utcnow
from app.intake import repository
from app.intake.forms import FormFields
from app.intake.message_headers import HeaderSummary, dedup_key, summarise_headers
from app.intake.providers import mailgun, ses
from app.intake.schemas import Envelope, InboundSubmission, StoredMessage
from app.intake.tables import InboundMessage, MessageSource, MessageStatus
from app.jobs.service import JobRequest, enqueue_many

PROCESS_MESSAGE_JOB = "process_message"  # payload: {"message_id": str}
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Delivery:
    """One message to store, with what is read off it before any database work."""

    raw: bytes
    source: str
    key: str  # dedup key: Message-ID, else provider event id, else hash of the bytes
    headers: HeaderSummary
    sha256: str
    envelope: Envelope
    provider_event_id: str | None = None
    quarantine_reason: str | None = None
    trace_id: str | None = None  # the receiving request's span, as hex
    span_id: str | None = None


def prepare(
    raw: bytes,
    source: MessageSource | str,
    *,
    provider_event_id: str | None = None,
    envelope: Envelope | None = None,
    headers: HeaderSummary | None = None,
    quarantine_reason: str | None = None,
) -> Delivery:
    """Identity, sender and hash of a message; captures the current span (call it in the
    request's context: the store may run on another thread)."""
    summary = headers or summarise_headers(raw)
    span = trace.get_current_span().get_span_context()
    return Delivery(
        raw=raw,
        source=source,
        key=dedup_key(
            message_id_norm=summary.message_id_norm,
            source=source,
            provider_event_id=provider_event_id,
            raw=raw,
        ),
        headers=summary,
        sha256=hashlib.sha256(raw).hexdigest(),
        provider_event_id=provider_event_id,
        envelope=envelope or Envelope(),
        quarantine_reason=quarantine_reason,
        trace_id=format(span.trace_id, "032x") if span.is_valid else None,
        span_id=format(span.span_id, "016x") if span.is_valid else None,
    )


Stored = tuple[StoredMessage, bool]  # (message, duplicate)


def store_inbound(
    session: Session,
    *,
    raw: bytes,
    source: MessageSource | str,
    provider_event_id: str | None = None,
    envelope: Envelope | None = None,
    headers: HeaderSummary | None = None,
    quarantine_reason: str | None = None,
    sender_rate_per_minute: int | None = None,
) -> Stored:
    """Store the raw bytes and the message row, and queue its processing, in one transaction.

    Returns (message, duplicate). A message whose dedup key (Message-ID, else provider event
    id, else hash of the bytes) is already stored is not stored again: the unique dedup_key
    decides, so concurrent deliveries of one message leave one row and one job. With a
    `quarantine_reason` the message is stored quarantined and no job is queued.
    Raises TooManyRequests when the sender sent `sender_rate_per_minute` messages in the
    last minute (counted in the database, so every API process sees the same window).
    """
    delivery = prepare(
        raw,
        source,
        provider_event_id=provider_event_id,
        envelope=envelope,
        headers=headers,
        quarantine_reason=quarantine_reason,
    )
    (outcome,) = store_many(session, [delivery], sender_rate_per_minute=sender_rate_per_minute)
    if isinstance(outcome, TooManyRequests):
        raise outcome
    return outcome


def store_many(
    session: Session, deliveries: Sequence[Delivery], *, sender_rate_per_minute: int | None
) -> list[Stored | TooManyRequests]:
    """store_inbound for several deliveries in the caller's transaction, with a few statements
    for all of them (the SQLite group commit stores every waiting request's message at once).

    One outcome per delivery, in order: (message, duplicate), or TooManyRequests for a sender
    over its rate (nothing stored for it). Two deliveries with one dedup key store one row.
    """
    now = utcnow()
    present = repository.stored_dedup_keys(session, {d.key for d in deliveries})
    recent: dict[str, int] = {}
    fresh: dict[str, tuple[StoredMessage, Delivery]] = {}  # by dedup key: the first delivery
    planned: list[StoredMessage | str | TooManyRequests] = []  # message, or the key of a dup
    for delivery in deliveries:
        if delivery.key in present or delivery.key in fresh:
            planned.append(delivery.key)
            continue
        sender = delivery.headers.sender
        if sender_rate_per_minute and sender:
            if sender not in recent:
                recent[sender] = repository.count_recent_from(
                    session, sender, since=now - RATE_WINDOW
                )
            if recent[sender] >= sender_rate_per_minute:
                planned.append(_over_rate(sender_rate_per_minute))
                continue
            recent[sender] += 1
        message = _new_message(delivery, now)
        fresh[delivery.key] = (message, delivery)
        planned.append(message)
    lost = repository.insert_messages(session, [(m, d.raw, d.sha256) for m, d in fresh.values()])
    queued = [m for k, (m, _) in fresh.items() if k not in lost and m.quarantine_reason is None]
    enqueue_many(
        session,
        PROCESS_MESSAGE_JOB,
        [JobRequest({"message_id": m.id}, m.id, m.trace_id, m.span_id) for m in queued],
    )
    winners = _winners(session, {p for p in planned if isinstance(p, str)} | lost)
    outcomes: list[Stored | TooManyRequests] = []
    for item in planned:
        if isinstance(item, StoredMessage) and item.dedup_key not in lost:
            outcomes.append((item, False))
        elif isinstance(item, TooManyRequests):
            outcomes.append(item)
        else:
            key = item if isinstance(item, str) else item.dedup_key
            outcomes.append((winners[key], True))
    return outcomes


def _new_message(delivery: Delivery, now: datetime) -> StoredMessage:
    return StoredMessage(
        id=str(uuid.uuid4()),
        received_at=now,
        updated_at=now,
        source=delivery.source,
        dedup_key=delivery.key,
        message_id_norm=delivery.headers.message_id_norm,
        provider_event_id=delivery.provider_event_id,
        sender=delivery.headers.sender,
        subject=delivery.headers.subject,
        size_bytes=len(delivery.raw),
        envelope_from=delivery.envelope.mail_from,
        envelope_to=list(delivery.envelope.rcpt_to),
        status=MessageStatus.QUARANTINED if delivery.quarantine_reason else MessageStatus.RECEIVED,
        quarantine_reason=delivery.quarantine_reason,
        draft_id=None,
        trace_id=delivery.trace_id,
        span_id=delivery.span_id,
    )


def _over_rate(limit: int) -> TooManyRequests:
    return TooManyRequests(
        f"more than {limit} messages a minute from this sender",
        details={"retry_after_s": 60},
    )


def _winners(session: Session, keys: set[str]) -> dict[str, StoredMessage]:
    """The stored message of each dedup key (duplicates are rare: loaded one by one)."""
    return {key: StoredMessage.of(_stored_winner(session, key)) for key in keys}


def _stored_winner(session: Session, key: str) -> InboundMessage:
    winner = repository.get_by_dedup_key(session, key)
    if winner is None:  # pragma: no cover - a stored key was seen in this transaction
        raise Conflict("the message could not be stored", code="store_conflict")
    return winner


def record_mailgun_token(session: Session, token: str, *, max_age_s: int) -> None:
    """Honour a signed Mailgun token once; raises Conflict ("replayed") the second time.

    Tokens older than twice the allowed clock skew can never pass the timestamp check again,
    so they are purged on the way.
    """
    now = utcnow()
    repository.purge_tokens(session, before=now - timedelta(seconds=2 * max_age_s))
    if not repository.insert_token(session, token, seen_at=now):
        raise Conflict(
            "this Mailgun webhook was already received (token replayed)", code="replayed"
        )


def get_message(session: Session, message_id: str) -> InboundMessage:
    message = repository.get(session, message_id)
    if message is None:
        raise NotFound(f"inbound message {message_id} not found")
    return message


def load_raw(session: Session, message_id: str) -> bytes:
    """The bytes as received."""
    raw = repository.raw_bytes(session, message_id)
    if raw is None:
        raise NotFound(f"raw bytes of inbound message {message_id} not found")
    return raw


def list_quarantine(session: Session, *, limit: int = 50, offset: int = 0) -> list[InboundMessage]:
    return repository.list_by_status(session, MessageStatus.QUARANTINED, limit=limit, offset=offset)


def set_status(
    session: Session,
    message_id: str,
    status: MessageStatus,
    *,
    reason: str | None = None,
    draft_id: str | None = None,
) -> InboundMessage:
    """Move a message along (processing, processed with its draft, quarantined or failed)."""
    message = get_message(session, message_id)
    message.status = status
    message.updated_at = utcnow()
    if status in (MessageStatus.QUARANTINED, MessageStatus.FAILED):
        message.quarantine_reason = reason
    if draft_id is not None:
        message.draft_id = draft_id
    session.add(message)
    session.flush()
    return message


def quarantine(session: Session, message_id: str, reason: str) -> InboundMessage:
    return set_status(session, message_id, MessageStatus.QUARANTINED, reason=reason)


def receive(session: Session, submission: InboundSubmission, *, settings: Settings) -> Stored:
    """Store a message a provider adapter produced, with the sender rate limit applied."""
    return store_inbound(
        session,
        raw=submission.raw,
        source=submission.source,
        provider_event_id=submission.provider_event_id,
        envelope=submission.envelope,
        sender_rate_per_minute=settings.sender_rate_per_minute,
    )


def receive_mailgun(session: Session, form: FormFields, *, settings: Settings) -> Stored:
    """Verify the signature (when a signing key is set), refuse replays, then store."""
    if settings.mailgun_signing_key is not None:
        token = mailgun.verify_signature(
            form,
            signing_key=settings.mailgun_signing_key.get_secret_value(),
            now=utcnow(),
            max_age_s=settings.webhook_max_age_s,
        )
        record_mailgun_token(session, token, max_age_s=settings.webhook_max_age_s)
    return receive(session, mailgun.to_submission(form), settings=settings)


_SNS_REASONS = {
    "SubscriptionConfirmation": "sns_subscription_confirmation",
    "UnsubscribeConfirmation": "sns_unsubscribe_confirmation",
}


@dataclass(frozen=True)
class SnsOutcome:
    message: StoredMessage
    duplicate: bool
    subscription_note: str | None = None  # set for (un)subscribe confirmations


def receive_ses(
    session: Session, body: bytes, *, settings: Settings, fetcher: ses.RawMessageFetcher | None
) -> SnsOutcome:
    """An SNS delivery: an SES message inline or in S3, or a subscription confirmation."""
    delivery = ses.read_delivery(body, allowed_topics=settings.ses_topic_arns)
    if isinstance(delivery, ses.InlineMessage):
        return SnsOutcome(*receive(session, delivery.submission, settings=settings))
    if isinstance(delivery, ses.StoredInS3):
        if fetcher is None:
            return SnsOutcome(
                *store_inbound(
                    session,
                    raw=delivery.notification,
                    source=MessageSource.SES,
                    provider_event_id=delivery.event_id,
                    envelope=delivery.envelope,
                    headers=delivery.headers,
                    quarantine_reason=f"s3_fetch_unavailable: {delivery.bucket}/{delivery.key}",
                    sender_rate_per_minute=settings.sender_rate_per_minute,
                )
            )
        try:
            raw = fetcher.fetch(bucket=delivery.bucket, key=delivery.key)
        except ses.RawMessageUnavailable as exc:
            raise Unavailable(f"could not fetch s3://{delivery.bucket}/{delivery.key}") from exc
        submission = InboundSubmission(
            raw=raw,
            source=MessageSource.SES,
            provider_event_id=delivery.event_id,
            envelope=delivery.envelope,
        )
        return SnsOutcome(*receive(session, submission, settings=settings))
    if isinstance(delivery, ses.SubscriptionRequest):
        note = (
            f"SNS {delivery.kind} stored, not acted on: this service makes no outbound "
            f"calls; confirm by visiting SubscribeURL ({delivery.subscribe_url})"
        )
        message, duplicate = store_inbound(
            session,
            raw=delivery.body,
            source=MessageSource.SES,
            provider_event_id=delivery.event_id,
            headers=HeaderSummary(
                message_id_norm=None, sender=None, subject=f"SNS {delivery.kind}"
            ),
            quarantine_reason=f"{_SNS_REASONS[delivery.kind]}: {delivery.subscribe_url}",
        )
        return SnsOutcome(message, duplicate, subscription_note=note)
    assert_never(delivery)

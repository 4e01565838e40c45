"""Intake and quarantine routes. They only translate HTTP: each stores and answers 202 fast,
processing happens in the job worker.

Status codes: 202 stored (or already stored: "duplicate": true); 401 missing/wrong credentials
or Mailgun signature ("bad_signature") or a Mailgun timestamp outside webhook_max_age_s
("stale_signature"); 409 "replayed" for a Mailgun token seen before; 413 body over
max_message_bytes; 415 wrong content type; 429 sender over sender_rate_per_minute;
503 "unavailable" when the database is down (the provider retries).

Handlers are async. They store through the Receiver (on SQLite a group commit of every waiting
request's message) or a UnitOfWork that commits in the worker thread that wrote: under many
concurrent senders no transaction waits for a thread.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from anyio.to_thread import run_sync
from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.deps import requires
from app.core.errors import AppError, Unprocessable
from app.deps import SettingsDep, UnitOfWorkDep
from app.intake import service
from app.intake.deps import (
    CappedBody,
    IntakeSessionDep,
    RawFetcherDep,
    ReceiverDep,
    require_intake_token,
    require_mailgun_fallback,
    require_postmark,
    require_sendgrid,
)
from app.intake.forms import FormFields, parse_form
from app.intake.providers import postmark, sendgrid
from app.intake.schemas import (
    InboundSubmission,
    IntakeAccepted,
    QuarantineList,
    StoredMessage,
    SubscriptionNoted,
)
from app.intake.tables import InboundMessagePublic, MessageSource

router = APIRouter(prefix="/v1/intake", tags=["intake"])
admin_router = APIRouter(
    prefix="/v1/admin", tags=["admin"], dependencies=[Depends(requires("admin"))]
)

MAX_FORM_PARTS = 1000


def _accepted(message: StoredMessage, duplicate: bool) -> IntakeAccepted:
    return IntakeAccepted(id=message.id, duplicate=duplicate, status=message.status)


async def _read_form(request: Request, body: bytes, settings: SettingsDep) -> FormFields:
    """A multipart or urlencoded body, parsed off the event loop (it may be megabytes)."""
    return await run_sync(
        partial(
            parse_form,
            body,
            request.headers.get("content-type"),
            max_part_size=settings.max_message_bytes,
            max_parts=MAX_FORM_PARTS,
        )
    )


@router.post(
    "/messages", status_code=status.HTTP_202_ACCEPTED, dependencies=[Depends(require_intake_token)]
)
async def post_raw_message(
    request: Request, body: CappedBody, receive: ReceiverDep
) -> IntakeAccepted:
    """A raw RFC 822 message (Content-Type: message/rfc822)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "message/rfc822":
        raise AppError(
            "send the message as Content-Type: message/rfc822",
            status_code=415,
            code="unsupported_media_type",
        )
    if not body:
        raise Unprocessable("the message is empty")
    return _accepted(*await receive(InboundSubmission(raw=body, source=MessageSource.RFC822)))


@router.post(
    "/postmark", status_code=status.HTTP_202_ACCEPTED, dependencies=[Depends(require_postmark)]
)
async def post_postmark(body: CappedBody, receive: ReceiverDep) -> IntakeAccepted:
    """Postmark inbound webhook (JSON)."""
    submission = await run_sync(lambda: postmark.to_submission(postmark.read_payload(body)))
    return _accepted(*await receive(submission))


@router.post(
    "/mailgun",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[Depends(require_mailgun_fallback)],
)
async def post_mailgun(
    request: Request, body: CappedBody, uow: UnitOfWorkDep, settings: SettingsDep
) -> IntakeAccepted:
    """Mailgun route forward(): parsed fields or `body-mime`, signed with the signing key."""
    form = await _read_form(request, body, settings)
    return _accepted(*await uow.run(service.receive_mailgun, form, settings=settings))


@router.post(
    "/sendgrid", status_code=status.HTTP_202_ACCEPTED, dependencies=[Depends(require_sendgrid)]
)
async def post_sendgrid(
    request: Request, body: CappedBody, receive: ReceiverDep, settings: SettingsDep
) -> IntakeAccepted:
    """SendGrid Inbound Parse: raw MIME in `email`, or the parsed fields."""
    form = await _read_form(request, body, settings)
    return _accepted(*await receive(await run_sync(sendgrid.to_submission, form)))


@router.post(
    "/ses",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[Depends(require_intake_token)],
    responses={200: {"model": SubscriptionNoted}},
)
async def post_ses(
    response: Response,
    body: CappedBody,
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    fetcher: RawFetcherDep,
) -> IntakeAccepted | SubscriptionNoted:
    """SES receipt notifications through SNS (inline content or S3), and SNS confirmations.

    SNS signatures are not verified (that needs the certificate from the network): the topic
    allowlist and the intake token (Basic password in the subscription URL) guard this route.
    """
    outcome = await uow.run(service.receive_ses, body, settings=settings, fetcher=fetcher)
    if outcome.subscription_note is not None:
        response.status_code = status.HTTP_200_OK
        return SubscriptionNoted(
            id=outcome.message.id, duplicate=outcome.duplicate, note=outcome.subscription_note
        )
    return _accepted(outcome.message, outcome.duplicate)


@admin_router.get("/quarantine")
def list_quarantine(
    session: IntakeSessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QuarantineList:
    """Quarantined messages, newest first."""
    items = service.list_quarantine(session, limit=limit, offset=offset)
    return QuarantineList(
        items=[InboundMessagePublic.model_validate(m, from_attributes=True) for m in items],
        limit=limit,
        offset=offset,
    )

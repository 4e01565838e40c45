"""HTTP-side checks of the intake routes: credentials, body size, a session that maps a
database outage to 503 so providers retry."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from anyio.to_thread import run_sync
from fastapi import Depends, Request
from pydantic import SecretStr

from app.core.config import Settings
from app.core.errors import AppError, Forbidden, PayloadTooLarge, Unauthorized
from app.deps import ContextDep, SessionDep, SettingsDep, UnitOfWork, context_of
from app.intake import service
from app.intake.group_commit import GroupCommitWriter
from app.intake.providers.ses import RawMessageFetcher
from app.intake.schemas import InboundSubmission

RAW_MESSAGE_FETCHER = "raw_message_fetcher"  # AppContext.extras key for the S3 fetcher
GROUP_COMMIT = "intake_group_commit"  # AppContext.extras key of the SQLite GroupCommitWriter
INLINE_PREPARE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Receiver:
    """Stores a provider's submission: on SQLite through the process's group commit, on
    PostgreSQL in a transaction of its own (several API processes write concurrently)."""

    uow: UnitOfWork
    settings: Settings
    writer: GroupCommitWriter | None

    async def __call__(self, submission: InboundSubmission) -> service.Stored:
        if self.writer is None:
            return await self.uow.run(service.receive, submission, settings=self.settings)
        prepare = partial(
            service.prepare,
            submission.raw,
            submission.source,
            provider_event_id=submission.provider_event_id,
            envelope=submission.envelope,
        )
        # Reading the headers and hashing a small message (~0.1 ms) costs less than a hop to
        # a worker thread; a large one is read off the event loop.
        small = len(submission.raw) <= INLINE_PREPARE_BYTES
        delivery = prepare() if small else await run_sync(prepare)
        return await self.writer.store(delivery)


async def get_receiver(request: Request) -> Receiver:
    ctx = context_of(request)
    writer: GroupCommitWriter | None = None
    if ctx.engine.dialect.name == "sqlite":
        found = ctx.extras.get(GROUP_COMMIT)
        if isinstance(found, GroupCommitWriter):
            writer = found
        else:
            writer = GroupCommitWriter(
                ctx.engine,
                sender_rate_per_minute=ctx.settings.sender_rate_per_minute,
            )
            ctx.extras[GROUP_COMMIT] = writer
    return Receiver(UnitOfWork(ctx.engine), ctx.settings, writer)


ReceiverDep = Annotated[Receiver, Depends(get_receiver)]


# The quarantine admin routes use the request's one session (503 when the database is down).
IntakeSessionDep = SessionDep


async def read_capped_body(request: Request, settings: SettingsDep) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed max_message_bytes:
    from Content-Length before reading, or while streaming a chunked body."""
    limit = settings.max_message_bytes
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise AppError("Content-Length is not a number", code="bad_request") from None
        if length > limit:
            raise PayloadTooLarge(
                f"the body is {length} bytes; at most {limit} are accepted",
                details={"limit": limit},
            )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body exceeds {limit} bytes", details={"limit": limit})
        chunks.append(chunk)
    return b"".join(chunks)


CappedBody = Annotated[bytes, Depends(read_capped_body)]


def presented_secrets(request: Request) -> list[str]:
    """Secrets a caller can present: Bearer token, Basic password (providers put credentials
    in the webhook URL), or a `token` query parameter."""
    found: list[str] = []
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        found.append(value.strip())
    basic = basic_credentials(request)
    if basic is not None:
        found.append(basic[1])
    if token := request.query_params.get("token"):
        found.append(token)
    return found


def basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def check_secret(request: Request, secret: SecretStr | None) -> None:
    """Nothing to check when `secret` is unset; else one presented secret must match it."""
    if secret is None:
        return
    expected = secret.get_secret_value().encode()
    if not any(hmac.compare_digest(expected, s.encode()) for s in presented_secrets(request)):
        raise Unauthorized("missing or wrong intake credentials")


async def require_intake_token(request: Request, settings: SettingsDep) -> None:
    """INTAKE_INTAKE_TOKEN, when set, guards the raw intake and the admin routes."""
    check_secret(request, settings.intake_token)


async def require_postmark(request: Request, settings: SettingsDep) -> None:
    """Basic auth with postmark_user/password when configured, else the intake token;
    and the source IP allowlist when configured."""
    if settings.postmark_allow_ips:
        client = request.client.host if request.client else ""
        if not _ip_allowed(client, settings.postmark_allow_ips):
            raise Forbidden(f"source address {client!r} is not allowed", code="ip_not_allowed")
    if settings.postmark_user and settings.postmark_password:
        basic = basic_credentials(request)
        ok = (
            basic is not None
            and hmac.compare_digest(basic[0].encode(), settings.postmark_user.encode())
            and hmac.compare_digest(
                basic[1].encode(), settings.postmark_password.get_secret_value().encode()
            )
        )
        if not ok:
            raise Unauthorized("missing or wrong Postmark basic auth credentials")
        return
    check_secret(request, settings.intake_token)


async def require_sendgrid(request: Request, settings: SettingsDep) -> None:
    """The SendGrid token (?token= or basic auth password) when set, else the intake token."""
    check_secret(request, settings.sendgrid_token or settings.intake_token)


async def require_mailgun_fallback(request: Request, settings: SettingsDep) -> None:
    """Without a signing key there is no signature to check: the intake token guards."""
    if settings.mailgun_signing_key is None:
        check_secret(request, settings.intake_token)


async def get_raw_fetcher(ctx: ContextDep) -> RawMessageFetcher | None:
    fetcher = ctx.extras.get(RAW_MESSAGE_FETCHER)
    return fetcher  # type: ignore[return-value]


RawFetcherDep = Annotated[RawMessageFetcher | None, Depends(get_raw_fetcher)]


def _ip_allowed(client: str, allowed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)

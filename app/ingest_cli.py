"""`intake ingest FILE...`: run the order pipeline on files and print each draft and its route.

Each `.eml` file is one message; the other files (.pdf, .xlsx, .csv, .txt, .html) together form one
message, composed as a real RFC 822 email (empty body, the files attached in name order), so the
stored message and the pipeline are exactly the service's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.drafts.tables import DraftLine, DraftOrder
from app.extraction.schema import ExtractedOrder

JsonObject = dict[str, Any]


# ---------------------------------------------------------------- messages from files


def compose_loose_message(paths: Sequence[Path]) -> bytes:
    """One RFC 822 message: an empty text body and the files attached in name order.

    The bytes depend only on the files' names and contents (fixed Message-ID and boundary),
    so ingesting the same files twice is recognised as the same message.
    """
    ordered = sorted(paths, key=lambda p: (p.name.lower(), str(p)))
    contents = [(p.name, p.read_bytes()) for p in ordered]
    digest = hashlib.sha256()
    for name, data in contents:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    key = digest.hexdigest()
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = ", ".join(name for name, _ in contents)
    msg["Message-ID"] = f"<loose-{key[:32]}@intake.local>"
    msg.set_content("")
    for name, data in contents:
        maintype, subtype = _media_type(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    msg.set_boundary(f"=_intake_{key[:24]}")
    return msg.as_bytes()


def message_groups(paths: Sequence[Path]) -> list[list[Path]]:
    """Each .eml is its own message; all other files together are one more message."""
    emails = [[p] for p in paths if p.suffix.lower() == ".eml"]
    loose = [p for p in paths if p.suffix.lower() != ".eml"]
    return emails + ([loose] if loose else [])


def raw_message(group: Sequence[Path]) -> bytes:
    """The bytes to store for one group: the .eml as it is, else a composed message."""
    if len(group) == 1 and group[0].suffix.lower() == ".eml":
        return group[0].read_bytes()
    return compose_loose_message(group)


def _media_type(name: str) -> tuple[str, str]:
    guessed, _ = mimetypes.guess_type(name)
    maintype, _, subtype = (guessed or "application/octet-stream").partition("/")
    return maintype, subtype


# ---------------------------------------------------------------- the ingest answer


def draft_answer(draft: DraftOrder) -> JsonObject:
    """The spec's ingest answer: `extraction`, `route`, `confidence` as in the eval report."""
    order = ExtractedOrder.model_validate(draft.extraction or {})
    return {
        "draft_id": draft.id,
        "message_id": draft.inbound_message_id,
        "status": draft.status,
        "extraction": order.as_gold_shape(),
        "route": {"decision": draft.route_decision or "review", "reasons": list(draft.reasons)},
        "confidence": order.confidences(),
        "document_confidence": draft.document_confidence,
        "customer_id": draft.customer_id,
        "total": str(draft.total) if draft.total is not None else None,
        "currency": draft.currency,
        "order_id": draft.order_id,
    }


# ---------------------------------------------------------------- the command


def register(sub: Any) -> None:
    """Add the `ingest` command."""
    ingest = sub.add_parser(
        "ingest", help="run the order pipeline on .eml files, or on loose files as one message"
    )
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ingest.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per message (the eval spec's ingest answer)",
    )
    ingest.add_argument(
        "--no-wait",
        action="store_true",
        help="only store and queue the messages (tab-separated: file, id, stored)",
    )
    ingest.add_argument("--database-url", default=None)
    ingest.set_defaults(func=_ingest)


def _ingest(args: argparse.Namespace) -> int:
    from app.cli import CliError, settings_from
    from app.core.context import AppContext
    from app.demo import load_demo_if_empty

    unreadable = [_unreadable(p) for p in args.files]
    problems = [p for p in unreadable if p]
    if problems:
        raise CliError("cannot read " + "; ".join(problems))
    settings = settings_from(args)
    if not args.no_wait:  # storing needs no master data; processing does
        load_demo_if_empty(settings)
    ctx = AppContext.create(settings)
    try:
        for group in message_groups(args.files):
            message_id, duplicate = _store(ctx, raw_message(group))
            label = " ".join(str(p) for p in group)
            if args.no_wait:
                print(f"{label}\t{message_id}\t{'duplicate' if duplicate else 'stored'}")
                continue
            draft, lines = _process(ctx, message_id)
            if args.json:
                print(json.dumps({**draft_answer(draft), "files": [str(p) for p in group]}))
            else:
                print(describe_draft(draft, lines, source=label, duplicate=duplicate))
    finally:
        ctx.engine.dispose()
    return 0


def _unreadable(path: Path) -> str | None:
    if not path.exists():
        return f"{path}: no such file"
    if not path.is_file():
        return f"{path}: not a file"
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return None


def _store(ctx: Any, raw: bytes) -> tuple[str, bool]:
    from app.core.db import session_scope
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource

    with session_scope(ctx.engine) as session:
        message, duplicate = store_inbound(session, raw=raw, source=MessageSource.CLI)
        return message.id, duplicate


def _process(ctx: Any, message_id: str) -> tuple[DraftOrder, list[DraftLine]]:
    """Run the graph now (idempotent: a processed message returns its draft) and mark its job."""
    from app.core.db import session_scope
    from app.drafts import service as drafts
    from app.pipeline import GraphRunner

    GraphRunner.for_context(ctx).process(message_id)
    with session_scope(ctx.engine) as session:
        _mark_job_done(session, message_id)
        draft = drafts.get_draft(session, drafts.draft_id_for(message_id))
        return draft, drafts.lines_of(session, draft.id)


def _mark_job_done(session: Session, message_id: str) -> None:
    """The queued processing job has been done here; a worker need not pick it up."""
    from app.core.time import utcnow
    from app.intake.service import PROCESS_MESSAGE_JOB
    from app.jobs import repository as jobs
    from app.jobs.tables import JobStatus

    job = jobs.get_by_key(session, kind=PROCESS_MESSAGE_JOB, key=message_id)
    if job is not None and job.status == JobStatus.QUEUED:
        job.status = JobStatus.DONE
        job.updated_at = utcnow()
        session.add(job)


# ---------------------------------------------------------------- human-readable output


def describe_draft(
    draft: DraftOrder, lines: Sequence[DraftLine], *, source: str, duplicate: bool = False
) -> str:
    """The draft as a person reads it: header, lines table, total, route and reasons."""
    order = ExtractedOrder.model_validate(draft.extraction or {})
    out = [
        f"== {source}" + ("  (already ingested)" if duplicate else ""),
        f"draft     {draft.id}   status {draft.status}"
        + (f"   order {draft.order_id}" if draft.order_id else ""),
        f"customer  {draft.customer_id or '-'}   (as written: {order.customer_name.value or '-'})",
        f"PO        {draft.customer_po_number or '-'}",
    ]
    out += _lines_table(lines)
    total = f"{draft.total:,.2f} {draft.currency or ''}".strip() if draft.total is not None else "-"
    stated = f"   (stated {draft.stated_total:,.2f})" if draft.stated_total is not None else ""
    out.append(f"total     {total}{stated}")
    confidence = (
        f"   confidence {draft.document_confidence:.2f}"
        if draft.document_confidence is not None
        else ""
    )
    out.append(f"route     {(draft.route_decision or 'none').upper()}{confidence}")
    for code in draft.reasons:
        out.append(f"  - {code}: {draft.explanations.get(code, '')}")
    return "\n".join(out) + "\n"


def _lines_table(lines: Sequence[DraftLine]) -> list[str]:
    if not lines:
        return ["lines     (none)"]
    rows = [("#", "item as written", "description", "qty", "uom", "sku", "unit", "amount")]
    for ln in lines:
        rows.append(
            (
                str(ln.line_no),
                ln.customer_item_code or "",
                (ln.description or "")[:40],
                _num(ln.quantity),
                ln.uom or "",
                ln.sku or "?",
                _num(ln.unit_price),
                _num(ln.extended_price),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {0, 3, 6, 7}
    return [
        "  "
        + "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]


def _num(value: object) -> str:
    return "" if value is None else str(value)

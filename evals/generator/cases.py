"""Render a planned case into its source files, channel by channel."""

from __future__ import annotations

import random
from email.message import EmailMessage
from email.utils import format_datetime

from evals.generator import phrasing, world
from evals.generator.catalog import Catalog
from evals.generator.envelope import Attachment, MessageParts, build_message, message_bytes
from evals.generator.formatting import Formatter, formatter_for
from evals.generator.html_render import html_order
from evals.generator.model import CasePlan, Order
from evals.generator.nonorders import write_non_order
from evals.generator.pdf_render import render_pdf
from evals.generator.sheet_render import render_csv, render_xlsx
from evals.generator.text_render import prose, quote, signature, structured

Files = dict[str, bytes]


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    return items[rng.randrange(len(items))]


def render_case(plan: CasePlan, catalog: Catalog, seed: int) -> Files:
    """The source files of one case, by file name."""
    rng = random.Random(f"render:{seed}:{plan.case_id}")
    if plan.kind == "non_order":
        return _non_order(plan, catalog, rng)
    order = plan.order
    assert order is not None
    plan.envelope.subject = _subject(plan, order, rng)
    if plan.amendment is not None:
        return _amendment(plan, rng)
    channel = plan.channel
    if channel == "loose_pdf":
        return {plan.attachment_name: _pdf(plan, order, rng)}
    if channel == "loose_xlsx":
        return {plan.attachment_name: _xlsx(plan, order, rng)}
    if channel == "txt":
        return {plan.attachment_name: (_body_text(plan, order, rng) + "\n").encode("utf-8")}
    return {"message.eml": message_bytes(_order_message(plan, order, rng), plan.case_id)}


def _subject(plan: CasePlan, order: Order, rng: random.Random) -> str:
    template = _pick(rng, phrasing.SUBJECTS[plan.style.lang])
    if "{po}" in template and not order.po_number:
        template = phrasing.SUBJECTS[plan.style.lang][-1]
    text = template.format(po=order.po_number or "", company=order.customer_name or "")
    text = " ".join(text.replace("  ", " ").split()).strip(" -")
    if plan.wrapper.startswith("forward"):
        return f"Fwd: {text}"
    return f"RE: {text}" if plan.wrapper == "reply_history" else text


def _fmt(plan: CasePlan, order: Order, rng: random.Random) -> Formatter:
    return formatter_for(order, plan.style, rng)


def _injected(plan: CasePlan, text: str) -> str:
    if plan.injection != "body_text":
        return text
    return f"{text}\n\n{plan.injection_text}"


def _body_text(plan: CasePlan, order: Order, rng: random.Random) -> str:
    fmt = _fmt(plan, order, rng)
    layout = plan.layout if plan.layout in ("prose", "text_table", "text_list") else "text_table"
    core = prose(order, fmt, rng) if layout == "prose" else structured(order, fmt, layout, rng)
    return _injected(plan, core) + "\n" + signature(order, plan.style, plan.envelope, rng)


def _cover_note(plan: CasePlan, order: Order, rng: random.Random) -> str:
    lang = plan.style.lang
    if rng.random() < 0.08:
        return ""
    note = (
        _pick(rng, phrasing.COVER_NOTES[lang]).format(po=order.po_number or "").replace("  ", " ")
    )
    text = f"{_pick(rng, phrasing.GREETINGS[lang])}\n\n{note}"
    return _injected(plan, text) + "\n" + signature(order, plan.style, plan.envelope, rng)


def _pdf(plan: CasePlan, order: Order, rng: random.Random, banner: str | None = None) -> bytes:
    injection = None
    if plan.injection in ("pdf_hidden_white", "pdf_tiny"):
        injection = (plan.injection, plan.injection_text)
    return render_pdf(order, _fmt(plan, order, rng), plan.layout, injection, banner)


def _xlsx(plan: CasePlan, order: Order, rng: random.Random) -> bytes:
    text = plan.injection_text if plan.injection == "sheet_cell" else None
    return render_xlsx(order, _fmt(plan, order, rng), plan.layout, text)


def _order_message(plan: CasePlan, order: Order, rng: random.Random) -> EmailMessage:
    env = plan.envelope
    parts = MessageParts(envelope=env, text=None)
    name = plan.attachment_name
    if plan.channel == "eml_plain":
        parts.text = _body_text(plan, order, rng)
    elif plan.channel == "eml_html":
        fmt = _fmt(plan, order, rng)
        greeting = _pick(rng, phrasing.GREETINGS[plan.style.lang])
        sig = signature(order, plan.style, env, rng)
        comment = plan.injection_text if plan.injection == "html_comment" else None
        body = _injected(plan, greeting)
        parts.html = html_order(order, fmt, plan.layout, body, sig, comment, rng)
        if rng.random() < 0.5:
            parts.text = _injected(plan, structured(order, fmt, "text_table", rng)) + "\n" + sig
    else:
        parts.text = _cover_note(plan, order, rng)
        if plan.channel == "eml_pdf":
            parts.attachments.append(Attachment(name, _pdf(plan, order, rng), "application", "pdf"))
        elif plan.channel == "eml_xlsx":
            parts.attachments.append(
                Attachment(
                    name,
                    _xlsx(plan, order, rng),
                    "application",
                    "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            )
        else:
            data = render_csv(order, _fmt(plan, order, rng), plan.layout)
            parts.attachments.append(Attachment(name, data, "text", "csv"))
    if plan.wrapper == "forward_inline":
        return build_message(_forward_inline(plan, parts, rng))
    if plan.wrapper == "forward_attached":
        return _forward_attached(plan, parts, rng)
    if plan.wrapper == "reply_history":
        return build_message(_with_history(plan, parts, rng))
    return build_message(parts)


def _forward_header(plan: CasePlan) -> list[str]:
    env = plan.envelope
    return [
        f"From: {env.sender_name} <{env.sender_address}>",
        f"Date: {format_datetime(env.sent_at)}",
        f"Subject: {env.subject[5:]}",
        f"To: {env.to_address if not plan.envelope.forwarder_internal else 'sales'}",
    ]


def _forward_inline(plan: CasePlan, parts: MessageParts, rng: random.Random) -> MessageParts:
    assert plan.envelope.forwarder is not None
    note = _pick(rng, phrasing.FORWARD_NOTES[plan.style.lang])
    rule = _pick(rng, phrasing.FORWARD_RULES)
    head = "\n".join(_forward_header(plan))
    fwd_name = plan.envelope.forwarder[0]
    if parts.text is not None:
        parts.text = f"{note}\n\n{fwd_name}\n\n{rule}\n{head}\n\n{parts.text}"
    if parts.html is not None:
        head_html = "<br>".join(_forward_header(plan)).replace("<", "&lt;").replace(">", "&gt;")
        head_html = head_html.replace("&lt;br&gt;", "<br>")
        parts.html = parts.html.replace(
            "<body>",
            f"<body><p>{note}</p><p>{fwd_name}</p><p>{rule}<br>{head_html}</p><blockquote>",
            1,
        ).replace("</body>", "</blockquote></body>")
    parts.sender = plan.envelope.forwarder
    return parts


def _forward_attached(plan: CasePlan, parts: MessageParts, rng: random.Random) -> EmailMessage:
    assert plan.envelope.forwarder is not None
    inner = build_message(parts)
    outer = MessageParts(
        envelope=plan.envelope,
        text=f"{_pick(rng, phrasing.ATTACHED_FORWARD_NOTES)}\n\n{plan.envelope.forwarder[0]}",
        attached_messages=[inner],
        sender=plan.envelope.forwarder,
    )
    return build_message(outer)


def _with_history(plan: CasePlan, parts: MessageParts, rng: random.Random) -> MessageParts:
    old = plan.history
    assert old is not None
    lang = plan.style.lang
    env = plan.envelope
    old_fmt = _fmt(plan, old, rng)
    old_text = (
        structured(old, old_fmt, "text_table", rng) + "\n" + signature(old, plan.style, env, rng)
    )
    ours = _pick(rng, phrasing.HISTORY_REPLIES) + f"\n\n{world.INTERNAL_REPS[2][0]}"
    ours_intro = _pick(rng, phrasing.HISTORY_INTROS).format(
        date="Mon, 14 Sep 2026 09:12",
        name=world.INTERNAL_REPS[2][0],
        address=world.INTERNAL_REPS[2][1],
        subject=env.subject[4:],
    )
    their_intro = _pick(rng, phrasing.HISTORY_INTROS).format(
        date="Fri, 11 Sep 2026 16:40",
        name=env.sender_name,
        address=env.sender_address,
        subject=env.subject[4:],
    )
    history = (
        f"{ours_intro}\n{quote(ours + chr(10) + chr(10) + their_intro + chr(10) + quote(old_text))}"
    )
    top = _pick(rng, phrasing.HISTORY_TOPS[lang])
    if parts.text is not None:
        parts.text = f"{top}\n\n{parts.text}\n\n{history}"
    if parts.html is not None:
        quoted = "<br>".join(history.replace("&", "&amp;").replace("<", "&lt;").splitlines())
        parts.html = parts.html.replace("<body>", f"<body><p>{top}</p>", 1).replace(
            "</body>", f'<blockquote type="cite">{quoted}</blockquote></body>'
        )
    parts.in_reply_to = f"<history.{plan.case_id}@{world.SELLER_DOMAIN}>"
    return parts


def _amendment(plan: CasePlan, rng: random.Random) -> Files:
    amendment = plan.amendment
    assert amendment is not None
    original, env, lang = amendment.original, plan.envelope, plan.style.lang
    sig = signature(original, plan.style, env, rng)
    greeting = _pick(rng, phrasing.GREETINGS[lang])
    parts = MessageParts(envelope=env, text=None)
    env.subject = (
        f"RE: {env.subject}"
        if amendment.how != "revised_pdf"
        else (f"{_pick(rng, phrasing.REVISION_BANNERS)} {original.po_number or ''}".strip())
    )
    if amendment.how == "reply_quote":
        old = structured(original, _fmt(plan, original, rng), "text_table", rng) + "\n" + sig
        intro = _pick(rng, phrasing.HISTORY_INTROS).format(
            date="Tue, 8 Sep 2026 10:05",
            name=env.sender_name,
            address=env.sender_address,
            subject=env.subject[4:],
        )
        parts.text = f"{greeting}\n\n{amendment.instruction}\n{sig}\n\n{intro}\n{quote(old)}"
        parts.in_reply_to = f"<original.{plan.case_id}@{env.sender_address.split('@')[1]}>"
    elif amendment.how == "reply_pdf":
        parts.text = f"{greeting}\n\n{amendment.instruction}\n{sig}"
        parts.attachments.append(
            Attachment(plan.attachment_name, _pdf(plan, original, rng), "application", "pdf")
        )
        parts.in_reply_to = f"<original.{plan.case_id}@{env.sender_address.split('@')[1]}>"
    else:
        assert plan.order is not None
        banner = _pick(rng, phrasing.REVISION_BANNERS)
        parts.text = f"{greeting}\n\n{banner}: {amendment.instruction}\n{sig}"
        parts.attachments.append(
            Attachment(
                plan.attachment_name,
                _pdf(plan, plan.order, rng, banner=banner),
                "application",
                "pdf",
            )
        )
    return {"message.eml": message_bytes(build_message(parts), plan.case_id)}


def _non_order(plan: CasePlan, catalog: Catalog, rng: random.Random) -> Files:
    content = write_non_order(plan, catalog, rng)
    plan.envelope.subject = content.subject
    parts = MessageParts(envelope=plan.envelope, text=content.text, html=content.html)
    if content.pdf is not None:
        parts.attachments.append(Attachment("statement.pdf", content.pdf, "application", "pdf"))
    return {"message.eml": message_bytes(build_message(parts), plan.case_id)}

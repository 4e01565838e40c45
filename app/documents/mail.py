"""RFC 822 messages into a ParsedMessage: headers, body text, and every attachment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError, MessageError
from email.message import Message
from email.parser import BytesParser
from typing import Literal

from tnefparse import TNEF

from app.documents.archives import open_zip
from app.documents.attachments import classify, parse_leaf, text_document
from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage
from app.documents.pdf import DEFAULT_MAX_PAGES
from app.documents.replies import is_forward, strip_quoted_history

MAX_DEPTH = 10
MAX_PARTS = 100
INLINE_IMAGE_SKIP_BYTES = 100_000  # smaller inline images with a Content-ID are logos
_ADDRESS = re.compile(r"[^\s@<>\"',;]+@[^\s@<>\"',;]+\.[^\s@<>\"',;]+")
_ANGLE = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
# An address standing alone: not a piece of a longer token ("a@b.com@evil.example").
_WHOLE_ADDRESS = re.compile(rf"(?<![^\s<>\"',;])(?:{_ADDRESS.pattern})(?![^\s<>\"',;])")
# OverflowError: a Date header whose numbers overflow C ints (found by tests/security/test_fuzz.py)
_HEADER_ERRORS = (
    HeaderParseError,
    MessageError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
    OverflowError,
)
_SIGNATURES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)


class LimitExceeded(Exception):
    """Raised inside the walk when the message is too deep or has too many parts."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class _Leaf:
    """A leaf part with the header fields read once during the walk (each read re-parses)."""

    part: Message
    content_type: str
    filename: str | None


@dataclass
class _Plan:
    """Which parts of one message are its body and which are attachments."""

    message: Message
    plain: list[_Leaf] = field(default_factory=list)
    html: list[_Leaf] = field(default_factory=list)
    attachments: list[_Plan | _Leaf] = field(default_factory=list)
    filename: str | None = None


def parse_message(raw: bytes, *, max_pages: int = DEFAULT_MAX_PAGES) -> ParsedMessage:
    """Parse a raw RFC 822 message; bad input becomes problems, never exceptions."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except RecursionError:
        return ParsedMessage(problems=["mime_depth"])
    result = ParsedMessage()
    read_headers(message, result)
    walker = Walker(result, max_pages=max_pages)
    try:
        plan = walker.plan(message, depth=0)
        walker.top_message(plan)
    except LimitExceeded as exc:
        result.documents = []
        result.problems.append(exc.problem)
    except RecursionError:
        result.documents = []
        result.problems.append("mime_depth")
    return result


def read_headers(message: Message, result: ParsedMessage) -> None:
    """Subject, sender, date and threading headers; malformed ones become problems."""
    result.subject = (_header(message, "subject") or "").strip()
    result.message_id = _header(message, "message-id")
    result.in_reply_to = _header(message, "in-reply-to")
    try:
        date = message["date"]
        stamp = getattr(date, "datetime", None)
        result.sent_at = stamp.isoformat() if stamp is not None else None
    except _HEADER_ERRORS:
        result.problems.append("date_malformed")
    _read_sender(message, result)


def _header(message: Message, name: str) -> str | None:
    """A header's decoded value, its raw value when decoding fails, None when absent."""
    try:
        value = message[name]
    except _HEADER_ERRORS:
        raw = next((v for k, v in message.raw_items() if k.lower() == name), None)
        return str(raw).strip() if raw is not None else None
    return str(value).strip() if value is not None else None


def _read_sender(message: Message, result: ParsedMessage) -> None:
    """Set sender from the From addr-spec only; flag display names posing as addresses."""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == "from"), None)
    if raw is None:
        result.problems.append("no_from")
        return
    try:
        header = message["from"]
        addresses = list(getattr(header, "addresses", ()))
        malformed = bool(getattr(header, "defects", ())) or len(addresses) != 1
    except _HEADER_ERRORS:
        addresses, malformed = [], True
    if malformed or not addresses:
        name, address = "", _real_address(raw)
        result.problems.append("from_malformed")
    else:
        name, address = addresses[0].display_name, addresses[0].addr_spec
    address = address.strip()
    result.sender = address.lower() if _ADDRESS.fullmatch(address) else None
    if result.sender is None and "from_malformed" not in result.problems:
        result.problems.append("from_malformed")
    claimed = {a.lower() for a in _ADDRESS.findall(name)}
    if malformed:
        claimed |= {a.lower() for a in _ADDRESS.findall(raw)}
    if claimed - {result.sender}:
        result.problems.append("from_display_name_spoof")
        result.sender_name = None
    else:
        result.sender_name = name.strip() or None


def _real_address(raw: str) -> str:
    """The one address a broken From names: inside <...> if there, else the only one."""
    bracketed = {a.lower() for a in _ANGLE.findall(raw)}
    if len(bracketed) == 1:
        return str(bracketed.pop())
    found = {a.lower() for a in _WHOLE_ADDRESS.findall(raw)}
    if not bracketed and len(found) == 1:
        return str(found.pop())
    return ""


class Walker:
    """Plans a message's parts, then turns them into documents with stable ids."""

    def __init__(self, result: ParsedMessage, *, max_pages: int) -> None:
        self.result = result
        self.max_pages = max_pages
        self.parts = 0
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return f"att-{self.count}"

    def plan(self, message: Message, *, depth: int, filename: str | None = None) -> _Plan:
        """Sort a message's parts into body and attachments, enforcing the limits."""
        plan = _Plan(message=message, filename=filename)
        self._scan(message, plan, depth=depth)
        return plan

    def _scan(self, part: Message, plan: _Plan, *, depth: int) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise LimitExceeded("mime_parts")
        if depth > MAX_DEPTH:
            raise LimitExceeded("mime_depth")
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/rfc822":
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    self._scan(sub, plan, depth=depth + 1)
            return
        if ctype == "message/rfc822":
            inner = _embedded_message(part)
            name = _filename(part)
            plan.attachments.append(
                self.plan(inner, depth=depth + 1, filename=name)
                if inner is not None
                else _Leaf(part, ctype, name)
            )
            return
        disposition = part.get_content_disposition()
        name = _filename(part)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not name:
            (plan.plain if ctype == "text/plain" else plan.html).append(_Leaf(part, ctype, name))
        elif ctype in _SIGNATURES or _is_logo(part, ctype, disposition):
            return
        else:
            plan.attachments.append(_Leaf(part, ctype, name))

    def top_message(self, plan: _Plan) -> None:
        """The outer message: body with quoted history removed, then its attachments."""
        body = self._body(plan, document_id="body")
        if body is None:
            self.result.problems.append("no_body")
        else:
            forwarded = is_forward(body.text, self.result.subject)
            if forwarded:
                self.result.forwarded = True
            elif body.text:
                body.text = strip_quoted_history(body.text)
            self.result.documents.append(body)
        self._attachments(plan, depth=0)

    def _nested_message(self, plan: _Plan) -> None:
        """An attached message: a header block and its whole body, then its attachments."""
        self.result.forwarded = True
        document_id = self.next_id()
        body = self._body(plan, document_id=document_id)
        if body is None:
            body = ParsedDocument(document_id=document_id, kind=DocumentKind.BODY_TEXT)
        body.filename = plan.filename or "message.eml"
        body.content_type = "message/rfc822"
        body.text = _header_block(plan.message) + body.text
        self.result.documents.append(body)
        self._attachments(plan, depth=1)

    def _body(self, plan: _Plan, *, document_id: str) -> ParsedDocument | None:
        """The body document: text/plain preferred, HTML when plain is missing or blank."""
        plain = [self._text(p, "text", document_id) for p in plan.plain]
        html = [self._text(p, "html", document_id) for p in plan.html]
        chosen = [d for d in plain if d.text.strip()] or [d for d in html if d.text.strip()]
        if not chosen:
            return next(iter(plain + html), None)
        body = chosen[0]
        for extra in chosen[1:]:
            body.text += "\n" + extra.text
            body.problems.extend(p for p in extra.problems if p not in body.problems)
            body.hidden_text.extend(extra.hidden_text)
        if body.kind == DocumentKind.BODY_TEXT:
            for rendered in html:  # the plain text loses tables the HTML alternative has
                body.tables.extend(rendered.tables)
                body.problems.extend(p for p in rendered.problems if p not in body.problems)
                body.hidden_text.extend(rendered.hidden_text)
        return body

    def _text(self, leaf: _Leaf, kind: str, document_id: str) -> ParsedDocument:
        data = _payload(leaf.part)
        return text_document(
            data,
            kind="html" if kind == "html" else "text",
            document_id=document_id,
            filename=None,
            content_type=leaf.content_type,
            charset=leaf.part.get_content_charset(),
            body=True,
        )

    def _attachments(self, plan: _Plan, *, depth: int) -> None:
        for item in plan.attachments:
            if isinstance(item, _Plan):
                self._nested_message(item)
            else:
                self.attachment(
                    _payload(item.part),
                    filename=item.filename,
                    content_type=item.content_type,
                    charset=item.part.get_content_charset(),
                    depth=depth,
                )

    def attachment(
        self,
        data: bytes,
        *,
        filename: str | None,
        content_type: str | None,
        charset: str | None = None,
        depth: int,
        in_archive: bool = False,
    ) -> None:
        """One attached file: a leaf document, or a message / winmail.dat / zip opened up."""
        kind = classify(data, filename, content_type)
        if kind == "zip" and data:
            self._zip(data, filename=filename, depth=depth, nested=in_archive)
            return
        if kind == "eml" and data:
            if depth >= MAX_DEPTH:
                raise LimitExceeded("mime_depth")
            try:
                inner = BytesParser(policy=policy.default).parsebytes(data)
            except RecursionError as exc:
                raise LimitExceeded("mime_depth") from exc
            self._nested_message(self.plan(inner, depth=depth + 1, filename=filename))
            return
        if kind == "tnef" and data:
            self._tnef(data, filename=filename, depth=depth)
            return
        self.result.documents.append(
            parse_leaf(
                data,
                kind=kind,
                document_id=self.next_id(),
                filename=filename,
                content_type=content_type,
                charset=charset,
                max_pages=self.max_pages,
            )
        )

    def _tnef(self, data: bytes, *, filename: str | None, depth: int) -> None:
        """winmail.dat: its message body as a document, then each file it carries."""
        try:
            tnef = TNEF(data, do_checksum=False)
        except (ValueError, IndexError, KeyError, TypeError, UnicodeDecodeError) as exc:
            doc = ParsedDocument(
                document_id=self.next_id(),
                kind=DocumentKind.OTHER,
                filename=filename,
                content_type="application/ms-tnef",
            )
            doc.problems.append(f"unreadable: {type(exc).__name__}: {exc}"[:200])
            self.result.documents.append(doc)
            return
        body, html = tnef.body, tnef.htmlbody
        if body or html:
            kind: Literal["text", "html"] = "text" if body else "html"
            content = body or html
            raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            doc = text_document(
                raw,
                kind=kind,
                document_id=self.next_id(),
                filename=filename,
                content_type="application/ms-tnef",
                charset="utf-8" if isinstance(content, str) else None,
            )
            self.result.documents.append(doc)
        for item in tnef.attachments:
            self._count_part()
            self.attachment(
                bytes(item.data or b""),
                filename=_tnef_name(item),
                content_type=None,
                depth=depth + 1,
            )
        if not (body or html or tnef.attachments):
            doc = ParsedDocument(
                document_id=self.next_id(), kind=DocumentKind.OTHER, filename=filename
            )
            doc.problems.append("empty")
            self.result.documents.append(doc)

    def _zip(self, data: bytes, *, filename: str | None, depth: int, nested: bool) -> None:
        """A zip archive: each member parsed as an attachment; an archive in it is not opened."""
        if nested:
            self._archive_problem(filename, "archive_nested")
            return
        opened = open_zip(data)
        for problem in opened.problems:
            self._archive_problem(filename, problem)
        for member in opened.members:
            self._count_part()
            self.attachment(
                member.data,
                filename=member.name,
                content_type=None,
                depth=depth + 1,
                in_archive=True,
            )

    def _archive_problem(self, filename: str | None, problem: str) -> None:
        doc = ParsedDocument(
            document_id=self.next_id(),
            kind=DocumentKind.OTHER,
            filename=filename,
            content_type="application/zip",
        )
        doc.problems.append(problem)
        self.result.documents.append(doc)

    def _count_part(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise LimitExceeded("mime_parts")


def _payload(part: Message) -> bytes:
    """A leaf part's decoded bytes (base64 / quoted-printable undone)."""
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError):
        return b""
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str | None:
    """The part's file name, None when missing or undecodable."""
    try:
        name = part.get_filename()
    except _HEADER_ERRORS:
        return None
    return str(name).strip() or None if name else None


def _embedded_message(part: Message) -> Message | None:
    """The message inside a message/rfc822 part, however it was encoded."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    data = _payload(part)
    if not data:
        return None
    return BytesParser(policy=policy.default).parsebytes(data)


def _is_logo(part: Message, ctype: str, disposition: str | None) -> bool:
    """Small inline images referenced by Content-ID: signatures and logos, not orders."""
    if ctype.partition("/")[0] != "image" or disposition == "attachment":
        return False
    return part.get("content-id") is not None and len(_payload(part)) < INLINE_IMAGE_SKIP_BYTES


def _header_block(message: Message) -> str:
    """From, Date and Subject of an embedded message, as lines above its body."""
    lines = []
    for name in ("From", "To", "Date", "Subject"):
        value = _header(message, name.lower())
        if value:
            lines.append(f"{name}: {value}")
    return "\n".join(lines) + "\n\n" if lines else ""


def _tnef_name(item: object) -> str | None:
    """An attachment's long file name inside winmail.dat."""
    long_name = getattr(item, "long_filename", None)
    try:
        name = long_name() if callable(long_name) else getattr(item, "name", None)
    except (UnicodeDecodeError, AttributeError, ValueError):
        name = None
    return str(name).strip("\x00 ") or None if name else None

"""Webhook form bodies, parsed with every value kept as the bytes that were sent.

Starlette's `Request.form(max_files=, max_fields=, max_part_size=)` (1.10) decodes text fields to
str, falling back to Latin-1 when they are not UTF-8: after that the exact bytes of a raw MIME
field (SendGrid `email`, Mailgun `body-mime`) can no longer be told apart. The raw message is
what we store and hash, so the intake parses the (already size-capped) body itself with the same
python-multipart parser and the same limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.core.errors import AppError


class InvalidForm(AppError):
    status_code = 400
    code = "invalid_form"


@dataclass(frozen=True)
class FormPart:
    name: str
    data: bytes
    filename: str | None = None  # set for file parts
    content_type: str | None = None


@dataclass
class FormFields:
    parts: list[FormPart] = field(default_factory=list)

    def raw(self, name: str) -> bytes | None:
        """The bytes of the first part called `name`."""
        return next((p.data for p in self.parts if p.name == name), None)

    def text(self, name: str, charset: str = "utf-8") -> str | None:
        """The first part called `name`, decoded (undecodable bytes replaced)."""
        data = self.raw(name)
        if data is None:
            return None
        try:
            return data.decode(charset, errors="replace")
        except (LookupError, ValueError):  # an unknown name, or not even a name (a NUL inside)
            return data.decode("utf-8", errors="replace")

    def part(self, name: str) -> FormPart | None:
        return next((p for p in self.parts if p.name == name), None)


def parse_form(
    body: bytes, content_type: str | None, *, max_part_size: int, max_parts: int = 1000
) -> FormFields:
    """multipart/form-data or application/x-www-form-urlencoded into parts."""
    media, params = parse_options_header(content_type or "")
    if media == b"multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise InvalidForm("multipart body without a boundary")
        return _multipart(body, boundary, max_part_size=max_part_size, max_parts=max_parts)
    if media == b"application/x-www-form-urlencoded":
        return _urlencoded(body, max_part_size=max_part_size, max_parts=max_parts)
    raise InvalidForm(
        "expected multipart/form-data or application/x-www-form-urlencoded",
        status_code=415,
        code="unsupported_media_type",
    )


def _multipart(body: bytes, boundary: bytes, *, max_part_size: int, max_parts: int) -> FormFields:
    form = FormFields()
    current: dict[str, bytes] = {}
    header_name = bytearray()
    header_value = bytearray()
    data = bytearray()

    def on_part_begin() -> None:
        current.clear()
        data.clear()

    def on_header_field(chunk: bytes, start: int, end: int) -> None:
        header_name.extend(chunk[start:end])

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        header_value.extend(chunk[start:end])

    def on_header_end() -> None:
        current[header_name.decode("latin-1").lower()] = bytes(header_value)
        header_name.clear()
        header_value.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        if len(data) + end - start > max_part_size:
            raise InvalidForm(
                f"a form part exceeds {max_part_size} bytes",
                status_code=413,
                code="payload_too_large",
            )
        data.extend(chunk[start:end])

    def on_part_end() -> None:
        if len(form.parts) >= max_parts:
            raise InvalidForm(f"more than {max_parts} form parts")
        _, options = parse_options_header(current.get("content-disposition"))
        name = options.get(b"name")
        if name is None:
            raise InvalidForm("a form part has no name")
        filename = options.get(b"filename")
        ctype = current.get("content-type")
        form.parts.append(
            FormPart(
                name=_text(name),
                data=bytes(data),
                filename=_text(filename) if filename is not None else None,
                content_type=ctype.decode("latin-1").strip() if ctype else None,
            )
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        raise InvalidForm(f"malformed multipart body: {exc}") from exc
    return form


def _urlencoded(body: bytes, *, max_part_size: int, max_parts: int) -> FormFields:
    form = FormFields()
    for pair in body.split(b"&"):
        if not pair:
            continue
        if len(form.parts) >= max_parts:
            raise InvalidForm(f"more than {max_parts} form fields")
        name, _, value = pair.partition(b"=")
        decoded = unquote_to_bytes(value.replace(b"+", b" "))
        if len(decoded) > max_part_size:
            raise InvalidForm(
                f"a form field exceeds {max_part_size} bytes",
                status_code=413,
                code="payload_too_large",
            )
        form.parts.append(
            FormPart(name=_text(unquote_to_bytes(name.replace(b"+", b" "))), data=decoded)
        )
    return form


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")

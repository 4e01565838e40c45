"""Hostile inputs built in code: PDFs that hang or explode, and zip archives that lie."""

from __future__ import annotations

import io
import zipfile
import zlib
from email.message import EmailMessage


def pdf_from_objects(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF file from numbered object bodies (object n is objects[n-1]), with a valid xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def flate_bomb_pdf(inflated_mb: int) -> bytes:
    """One page whose content stream is deflated twice and inflates to `inflated_mb` MB."""
    chunk = b"0 0 m 1 1 l S\n" * 4096
    compressor = zlib.compressobj(9)
    once = bytearray()
    for _ in range(inflated_mb * 1024 * 1024 // len(chunk)):
        once += compressor.compress(chunk)
    once += compressor.flush()
    twice = zlib.compress(bytes(once), 9)
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(twice, b"/Filter [/FlateDecode /FlateDecode]"),
        ]
    )


def self_referencing_pages_pdf() -> bytes:
    """A page tree whose /Kids holds the tree itself (and a page pointing back at it)."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
        ]
    )


def looping_forms_pdf() -> bytes:
    """A page drawing form X1, which draws X2, which draws X1 again."""
    page_content = b"BT /F1 12 Tf 72 700 Td (PO 4711) Tj ET\n/X1 Do\n"
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << %s >> >>"
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 7 0 R >> /XObject << /X1 5 0 R >> >> >>",
            _stream(page_content),
            _stream(b"/X2 Do\n/X2 Do\n", form % b"/X2 6 0 R"),
            _stream(b"/X1 Do\n/X1 Do\n", form % b"/X1 5 0 R"),
            _FONT,
        ]
    )


def fan_out_forms_pdf(levels: int = 9, fan_out: int = 12) -> bytes:
    """Forms with no loop that pdfminer could refuse: each draws the next `fan_out` times, so
    the page costs fan_out ** levels draws (a billion laughs in PDF)."""
    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << %s >>"
    first = 5  # object number of form 1
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /X %d 0 R >> >> >>" % first,
        _stream(b"/X Do\n"),
    ]
    for level in range(levels):
        number = first + level
        if level == levels - 1:
            objects.append(
                _stream(
                    b"BT /F1 1 Tf 1 1 Td (x) Tj ET\n",
                    form % (b"/Font << /F1 %d 0 R >>" % (number + 1)),
                )
            )
            objects.append(_FONT)
        else:
            objects.append(
                _stream(b"/X Do\n" * fan_out, form % (b"/XObject << /X %d 0 R >>" % (number + 1)))
            )
    return pdf_from_objects(objects)


def text_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (a control: it parses)."""
    content = b"BT /F1 12 Tf 72 700 Td (%s) Tj ET" % text.encode("latin-1")
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content),
            _FONT,
        ]
    )


def mail_with(
    attachment: bytes,
    filename: str,
    *,
    subtype: str = "pdf",
    sender: str = "Mike Kowalski <mkowalski@greatlakesfab.com>",
    message_id: str = "<hostile@test>",
    body: str = "Our order is attached.",
) -> bytes:
    """A message from a known customer carrying one attachment."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "orders@northwind.example"
    msg["Subject"] = "Purchase order"
    msg["Date"] = "Tue, 17 Nov 2026 09:12:00 -0600"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    msg.add_attachment(attachment, maintype="application", subtype=subtype, filename=filename)
    return bytes(msg)


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding `members` (names used as given, traversal included)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()
